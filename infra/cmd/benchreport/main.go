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
	missed = reportReads(w, res) || missed
	if r := res["RebuildAll/via=projections"]; len(r["events/s"]) > 0 {
		got := median(r["events/s"])
		fmt.Fprintf(w, "rebuild of every projection from %.0f events: %.0f events/s", median(r["events"]), got)
		if base := res["RebuildAll/via=raw-scan"]; len(base["events/s"]) > 0 {
			ratio := got / median(base["events/s"])
			verdict := "met"
			if ratio < rebuildRatio {
				verdict, missed = "MISSED", true
			}
			fmt.Fprintf(w, "; raw keyset scan of the same events: %.0f events/s; ratio %.2f (goal >= %.2f: %s)",
				median(base["events/s"]), ratio, rebuildRatio, verdict)
			if floor := res["RebuildAll/via=write-floor"]; len(floor["events/s"]) > 0 {
				f := median(floor["events/s"])
				fmt.Fprintf(w, "; PostgreSQL alone writing the same rows, search documents, keys and indexes: %.0f events/s, ratio %.2f — no rebuild can pass it",
					f, f/median(base["events/s"]))
			}
		}
		fmt.Fprintf(w, "  [median of %d runs]\n", len(r["events/s"]))
	}
	if d := res["SubscriptionDelivery"]; len(d["p50-ms"]) > 0 && len(d["mutation-p50-ms"]) > 0 {
		ratio := median(d["p50-ms"]) / median(d["mutation-p50-ms"])
		verdict := "met"
		if ratio > subscriptionRatio {
			verdict, missed = "MISSED", true
		}
		fmt.Fprintf(w, "subscription delivery after the mutation returned: p50 %.2f ms, p99 %.2f ms; the mutation's round trip p50 %.2f ms; ratio %.2f (goal <= %.1f: %s)  [median of %d runs]\n",
			median(d["p50-ms"]), median(d["p99-ms"]), median(d["mutation-p50-ms"]), ratio, subscriptionRatio, verdict, len(d["p50-ms"]))
	}
	if lat := res["DeliveryLatency"]; len(lat["p50-ms"]) > 0 {
		fmt.Fprintf(w, "delivery latency, append to subscriber (woken by NOTIFY): p50 %.2f ms, p99 %.2f ms  [median of %d runs]\n",
			median(lat["p50-ms"]), median(lat["p99-ms"]), len(lat["p50-ms"]))
	}
	return missed
}

// subscriptionRatio is the most a subscriber may wait, once a mutation returned, for its
// change, as a share of that mutation's round trip.
const subscriptionRatio = 1.0

// rebuildRatio is the lowest acceptable ratio of a rebuild's speed to a raw keyset
// scan of the same events.
const rebuildRatio = 0.30

// readQueries are the gateway's read benchmarks.
var readQueries = []struct{ name, label string }{
	{"associations", "(a) a filtered page of 20 associations with totalCount"},
	{"calendar", "(b) a city calendar page with seats and registrations"},
	{"proposal", "(c) one proposal with reviews and pledges"},
}

// The goals of the reads: the gateway's p50 latency at most maxReadRatio times plain
// pgx's; at 32 clients, at least minPeerRatio times PostGraphile's throughput, with a
// p99 no worse.
const (
	maxReadRatio = 3.0
	minPeerRatio = 1.5
)

func reportReads(w io.Writer, res results) (missed bool) {
	judge := func(ok bool) string {
		if ok {
			return "met"
		}
		missed = true
		return "MISSED"
	}
	for _, q := range readQueries {
		for _, clients := range []int{1, 32} {
			prefix := fmt.Sprintf("Reads/query=%s/clients=%d/via=", q.name, clients)
			g, p := res[prefix+"gateway"], res[prefix+"pgx"]
			if len(g["p50-ms"]) == 0 {
				continue
			}
			fmt.Fprintf(w, "%s, %d client(s): gateway p50 %.2f ms, p99 %.2f ms, %.0f req/s", q.label, clients,
				median(g["p50-ms"]), median(g["p99-ms"]), median(g["req/s"]))
			if len(p["p50-ms"]) > 0 {
				ratio := median(g["p50-ms"]) / median(p["p50-ms"])
				fmt.Fprintf(w, "; plain pgx p50 %.2f ms, p99 %.2f ms, %.0f req/s; p50 ratio %.2f (goal <= %.0f: %s)",
					median(p["p50-ms"]), median(p["p99-ms"]), median(p["req/s"]), ratio, maxReadRatio, judge(ratio <= maxReadRatio))
			}
			if peer := res[fmt.Sprintf("PostGraphile/query=%s/clients=%d", q.name, clients)]; len(peer["req/s"]) > 0 {
				ratio := median(g["req/s"]) / median(peer["req/s"])
				fmt.Fprintf(w, "; PostGraphile p50 %.2f ms, p99 %.2f ms, %.0f req/s; throughput ratio %.2f",
					median(peer["p50-ms"]), median(peer["p99-ms"]), median(peer["req/s"]), ratio)
				if clients == 32 {
					fmt.Fprintf(w, " (goal >= %.1f: %s; p99 no worse: %s)", minPeerRatio, judge(ratio >= minPeerRatio),
						judge(median(g["p99-ms"]) <= median(peer["p99-ms"])))
				}
			}
			if r := res[prefix+"gateway-revalidating"]; len(r["req/s"]) > 0 {
				fmt.Fprintf(w, "; revalidating client (If-None-Match) p50 %.2f ms, %.0f req/s, %.0f%% not modified",
					median(r["p50-ms"]), median(r["req/s"]), 100*median(r["not-modified/op"]))
			}
			if r := res[prefix+"gateway-keeping-answers"]; len(r["req/s"]) > 0 {
				fmt.Fprintf(w, "; gateway keeping anonymous answers p50 %.2f ms, %.0f req/s", median(r["p50-ms"]), median(r["req/s"]))
			}
			fmt.Fprintf(w, "  [median of %d runs]\n", len(g["p50-ms"]))
		}
	}
	for _, clients := range []int{1, 32} {
		if f := res[fmt.Sprintf("Reads/query=typename/clients=%d/via=gateway", clients)]; len(f["req/s"]) > 0 {
			fmt.Fprintf(w, "floor, { __typename } through HTTP and graphql-go, %d client(s): p50 %.2f ms, p99 %.2f ms, %.0f req/s\n",
				clients, median(f["p50-ms"]), median(f["p99-ms"]), median(f["req/s"]))
		}
		if f := res[fmt.Sprintf("Reads/query=one-row/clients=%d/via=gateway", clients)]; len(f["req/s"]) > 0 {
			line := fmt.Sprintf("floor, one row ({ proposal(id) { id } }), %d client(s): p50 %.2f ms, p99 %.2f ms, %.0f req/s",
				clients, median(f["p50-ms"]), median(f["p99-ms"]), median(f["req/s"]))
			if p := res[fmt.Sprintf("Reads/query=proposal/clients=%d/via=pgx", clients)]; len(p["p50-ms"]) > 0 {
				line += fmt.Sprintf("; %.2f of (c) with plain pgx", median(f["p50-ms"])/median(p["p50-ms"]))
			}
			fmt.Fprintln(w, line)
		}
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
