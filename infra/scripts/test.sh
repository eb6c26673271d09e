#!/usr/bin/env bash
# make test: the linters, then every module's tests, with the race detector, against real
# PostgreSQL; then the web app's unit tests, and its end-to-end tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/testdb.sh
# Every module of the workspace (go.work), so a new service is tested without editing this.
mapfile -t PKGS < <(go list -m -f '{{.Dir}}/...')
unformatted=$(gofmt -l events services graph infra)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2; echo "$unformatted" >&2; exit 1
fi
go vet "${PKGS[@]}"
infra/scripts/lint.sh
go test -race -count=1 "${PKGS[@]}"
echo "web app: unit tests" >&2
(cd graph/web && npm test --silent)
infra/scripts/e2e.sh
