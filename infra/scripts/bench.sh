#!/usr/bin/env bash
# make bench: the event store and the gateway beside plain PostgreSQL doing the same
# work, in the same run, and a rebuild of every projection from a million events.
#
# The event store's benchmarks run RUNS times, interleaved, and the report takes
# medians: on a small shared machine single runs wander by ±20%. The gateway's run once
# (GATEWAY_RUNS) on a generated data set: BENCH_SCALE associations (100,000; with a
# tenth as many sessions and a fifth as many proposals), generated through the services'
# commands the first time (about ten minutes here) and kept in database
# passerelle_bench_<scale> of the test server; the rebuild replays BENCH_REBUILD_EVENTS
# events (1,000,000), a log built once from that data set and kept likewise.
#
# PostGraphile (a GraphQL server over PostgreSQL, in Node) answers the same reads beside
# the gateway: it is installed from npm into bin/postgraphile the first time. A last run
# measures the gateway keeping anonymous answers (PASSERELLE_RESPONSE_CACHE_ENTRIES); the
# goals are judged without it.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/testdb.sh
RUNS="${BENCH_RUNS:-3}"
GATEWAY_RUNS="${GATEWAY_RUNS:-1}"
go build -o bin/benchreport ./infra/cmd/benchreport
postgraphile=bin/postgraphile/node_modules/.bin/postgraphile
if [ ! -x "$postgraphile" ]; then
  echo "installing PostGraphile 4.14.1 into bin/postgraphile (once)" >&2
  npm install --prefix bin/postgraphile --no-audit --no-fund --loglevel=error \
    postgraphile@4.14.1 postgraphile-plugin-connection-filter@2.3.0 >&2 ||
    echo "PostGraphile could not be installed: its benchmarks are skipped" >&2
fi
if [ -x "$postgraphile" ]; then
  export POSTGRAPHILE="$PWD/$postgraphile"
fi
out="$(mktemp)"
for i in $(seq "$RUNS"); do
  echo "event store, run $i of $RUNS" >&2
  go test -run '^$' -bench . -benchtime "${BENCH_TIME:-2s}" ./events/eventstore/ | tee -a "$out" | grep '^Benchmark' >&2
done
for i in $(seq "$GATEWAY_RUNS"); do
  echo "gateway and rebuild, run $i of $GATEWAY_RUNS" >&2
  go test -run '^$' -bench . -benchtime "${BENCH_TIME:-3s}" -timeout 90m ./infra/platform/ 2>&1 \
    | grep -v 'level=' | tee -a "$out" | grep -E '^(Benchmark|generating|building|generated|Loaded)' >&2
done
echo "gateway keeping anonymous answers" >&2
BENCH_KEPT_ANSWERS=1000 go test -run '^$' -bench 'Reads/query=/clients=/via=gateway-keeping' -benchtime "${BENCH_TIME:-3s}" \
  -timeout 30m ./infra/platform/ 2>&1 | grep -v 'level=' | tee -a "$out" | grep -E '^Benchmark' >&2
echo
./bin/benchreport < "$out"
rm -f "$out"
