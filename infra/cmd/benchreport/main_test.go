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
BenchmarkReads/query=calendar/clients=32/via=gateway-2   	 1650	 2068833 ns/op	 60.00 p50-ms	 90.00 p99-ms	 600.0 req/s
BenchmarkReads/query=calendar/clients=32/via=pgx-2   	 9789	 358101 ns/op	 11.00 p50-ms	 16.00 p99-ms	 2800 req/s
BenchmarkPostGraphile/query=calendar/clients=32-2   	 862	 2519541 ns/op	 78.00 p50-ms	 120.0 p99-ms	 400.0 req/s
BenchmarkRebuildAll/via=projections-2   	 1	 22540661375 ns/op	 1000000 events	 44000 events/s
BenchmarkRebuildAll/via=raw-scan-2   	 1	 3472536075 ns/op	 290000 events/s
PASS
`

func TestReportUsesMediansAndJudgesTheGoal(t *testing.T) {
	res, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	missed := report(&b, res)
	if !missed {
		t.Fatal("the report judged every goal met")
	}
	out := b.String()
	// Medians: 3700 and 5000 → 0.74.
	want := "append 1 event/tx, 16 writers: 3700 events/s; raw insert: 5000/s; ratio 0.74 (goal >= 0.70: met)"
	if !strings.Contains(out, want) {
		t.Fatalf("report:\n%s\nwant a line with %q", out, want)
	}
	if !strings.Contains(out, "p50 0.80 ms, p99 4.61 ms") {
		t.Fatalf("latency missing:\n%s", out)
	}
	for _, want := range []string{
		"p50 ratio 5.45 (goal <= 3: MISSED)",
		"throughput ratio 1.50 (goal >= 1.5: met; p99 no worse: met)",
		"ratio 0.15 (goal >= 0.30: MISSED)",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("report:\n%s\nwant %q", out, want)
		}
	}
}
