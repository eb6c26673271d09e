#!/usr/bin/env bash
# Sourced by test.sh and bench.sh: makes TEST_DATABASE_URL point at a PostgreSQL server
# the tests may create databases on. In order: TEST_DATABASE_URL if set, the server at
# 127.0.0.1:5432 if it answers, else a private server started from the machine's
# PostgreSQL binaries (stopped again when the calling script exits).
LOCAL_URL="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "tests use TEST_DATABASE_URL" >&2
elif ./bin/passerelle db ping "$LOCAL_URL" 2>/dev/null; then
  export TEST_DATABASE_URL="$LOCAL_URL"
  echo "tests use the PostgreSQL at 127.0.0.1:5432" >&2
else
  echo "no PostgreSQL at 127.0.0.1:5432: starting a private one in .passerelle-test" >&2
  TEST_DATABASE_URL="$(./bin/passerelle db start --dir .passerelle-test --ephemeral)"
  export TEST_DATABASE_URL
  TEST_SERVER_ROOT="$PWD"
  stop_test_server() { "$TEST_SERVER_ROOT/bin/passerelle" db stop --dir "$TEST_SERVER_ROOT/.passerelle-test"; }
  trap stop_test_server EXIT
fi
