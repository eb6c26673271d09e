// Command benchreport reads `go test -bench` output (several runs may be concatenated)
// and prints each measurement beside its raw-PostgreSQL baseline, with the ratio, using
// the median of the runs.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// comparison pairs a benchmark with its baseline.
type comparison struct {
	label, bench, baseline, baselineLabel, metric string
	// goal is the lowest acceptable ratio, 0 if none.
	goal float64
}

var comparisons = []comparison{
	{"append 1 event/tx, 1 writer", "Append/events=1/writers=1", "RawInsert/events=1/writers=1", "raw insert", "events/s", 0},
	{"append 1 event/tx, 16 writers", "Append/events=1/writers=16", "RawInsert/events=1/writers=16", "raw insert", "events/s", 0.70},
	{"append 10-event batches, 16 writers", "Append/events=10/writers=16", "RawInsert/events=10/writers=16", "raw insert", "events/s", 0},
	{"catch-up read of all events", "CatchUpRead", "RawScan", "raw keyset scan", "events/s", 0},
}

var line = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

// results maps benchmark name → metric unit → values over runs.
type results map[string]map[string][]float64

func parse(r io.Reader) (results, error) {
	out := results{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		fields := strings.Fields(m[2])
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			if out[m[1]] == nil {
				out[m[1]] = map[string][]float64{}
			}
			out[m[1]][fields[i+1]] = append(out[m[1]][fields[i+1]], v)
		}
	}
	return out, sc.Err()
}

func median(vs []float64) float64 {
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

func report(w io.Writer, res results) (missed bool) {
	for _, c := range comparisons {
		got, base := res[c.bench][c.metric], res[c.baseline][c.metric]
		if len(got) == 0 || len(base) == 0 {
			continue
		}
		g, b := median(got), median(base)
		ratio := g / b
		fmt.Fprintf(w, "%s: %.0f %s; %s: %.0f/s; ratio %.2f", c.label, g, c.metric, c.baselineLabel, b, ratio)
		if c.goal > 0 {
			verdict := "met"
			if ratio < c.goal {
				verdict, missed = "MISSED", true
			}
			fmt.Fprintf(w, " (goal >= %.2f: %s)", c.goal, verdict)
		}
		fmt.Fprintf(w, "  [median of %d runs]\n", min(len(got), len(base)))
	}
	if lat := res["DeliveryLatency"]; len(lat["p50-ms"]) > 0 {
		fmt.Fprintf(w, "delivery latency, append to subscriber (woken by NOTIFY): p50 %.2f ms, p99 %.2f ms  [median of %d runs]\n",
			median(lat["p50-ms"]), median(lat["p99-ms"]), len(lat["p50-ms"]))
	}
	return missed
}

func main() {
	res, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	if len(res) == 0 {
		fmt.Fprintln(os.Stderr, "benchreport: no benchmark results on standard input")
		os.Exit(1)
	}
	report(os.Stdout, res)
}
