package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkAppend/events=1/writers=16-2         	   12128	    256416 ns/op	      3900 events/s
BenchmarkRawInsert/events=1/writers=16-2      	   16822	    195482 ns/op	      5000 events/s
BenchmarkAppend/events=1/writers=16-2         	   12128	    256416 ns/op	      3000 events/s
BenchmarkRawInsert/events=1/writers=16-2      	   16822	    195482 ns/op	      5000 events/s
BenchmarkAppend/events=1/writers=16-2         	   12128	    256416 ns/op	      3700 events/s
BenchmarkRawInsert/events=1/writers=16-2      	   16822	    195482 ns/op	      4000 events/s
BenchmarkDeliveryLatency-2   	    1082	   1948002 ns/op	         0.8020 p50-ms	         4.608 p99-ms
PASS
`

func TestReportUsesMediansAndJudgesTheGoal(t *testing.T) {
	res, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	missed := report(&b, res)
	out := b.String()
	// Medians: 3700 and 5000 → 0.74.
	want := "append 1 event/tx, 16 writers: 3700 events/s; raw insert: 5000/s; ratio 0.74 (goal >= 0.70: met)"
	if !strings.Contains(out, want) || missed {
		t.Fatalf("report:\n%s\nwant a line with %q", out, want)
	}
	if !strings.Contains(out, "p50 0.80 ms, p99 4.61 ms") {
		t.Fatalf("latency missing:\n%s", out)
	}
}
