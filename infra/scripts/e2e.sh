#!/usr/bin/env bash
# The web app's end-to-end tests: Playwright drives the machine's Chromium (Debian's
# package, installed here when missing: Playwright's own browsers cannot be downloaded
# everywhere) through the journeys of associations, coordinators, admins and the public,
# against `bin/passerelle serve` on a database of its own, created here and dropped after.
# Screenshots of each journey's steps land in graph/web/test-results/screens.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/testdb.sh

find_chromium() { command -v chromium || command -v chromium-browser || true; }
CHROMIUM="${CHROMIUM:-$(find_chromium)}"
if [ -z "$CHROMIUM" ]; then
  echo "no Chromium on this machine: installing Debian's chromium package" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; else
    echo "the browser tests need Chromium: apt-get install chromium (as root), or set CHROMIUM to a Chromium binary" >&2; exit 1
  fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
  CHROMIUM="$(find_chromium)"
fi
export CHROMIUM

E2E_DATABASE_URL="$(./bin/passerelle db create "$TEST_DATABASE_URL" "e2e_$(date +%s)_$$")"
export E2E_DATABASE_URL
ROOT="$PWD"
drop_database() { "$ROOT/bin/passerelle" db drop "$E2E_DATABASE_URL" || true; }
trap 'drop_database; if declare -F stop_test_server >/dev/null; then stop_test_server; fi' EXIT
export PASSERELLE_BIN="$PWD/bin/passerelle"
E2E_PORT="${E2E_PORT:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
export E2E_PORT
echo "web app: browser tests against the platform on port $E2E_PORT, Chromium at $CHROMIUM" >&2
cd graph/web
npx playwright test "$@"
