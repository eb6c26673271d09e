#!/usr/bin/env bash
# The linters (.golangci.yml: errcheck, govet, ineffassign, staticcheck, unused, and
# goimports for formatting) over every module of the workspace. golangci-lint is
# installed into bin/ from the Go module proxy the first time, at the version below.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=v2.15.0
LINT="$PWD/bin/golangci-lint"
if ! "$LINT" version 2>/dev/null | grep -q "${VERSION#v}"; then
  echo "installing golangci-lint $VERSION into bin/ (once)" >&2
  GOBIN="$PWD/bin" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$VERSION"
fi
status=0
while read -r dir; do
  (cd "$dir" && "$LINT" run --config "$OLDPWD/.golangci.yml" ./...) || status=1
done < <(go list -m -f '{{.Dir}}')
exit $status
