#!/usr/bin/env bash
# make bench: the event store beside plain PostgreSQL doing the same work, in the same
# run. The benchmarks run RUNS times, interleaved, and the report takes medians: on a
# small shared machine single runs wander by ±20%.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/testdb.sh
RUNS="${BENCH_RUNS:-3}"
go build -o bin/benchreport ./infra/cmd/benchreport
out="$(mktemp)"
for i in $(seq "$RUNS"); do
  echo "run $i of $RUNS" >&2
  go test -run '^$' -bench . -benchtime "${BENCH_TIME:-2s}" ./events/eventstore/ | tee -a "$out" | grep '^Benchmark' >&2
done
echo
./bin/benchreport < "$out"
rm -f "$out"
