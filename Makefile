# Passerelle. `make run` starts everything; `make test` proves it works.
GO ?= go
BINARIES := ./infra/cmd/passerelle ./services/directory/cmd/directory ./services/sessions/cmd/sessions ./services/proposals/cmd/proposals ./graph/cmd/gateway

.PHONY: build run demo test bench clean

## build: the binaries, in ./bin (passerelle, directory, sessions, proposals, gateway)
build:
	$(GO) build -o bin/ $(BINARIES)

## run: the whole platform in one process on http://localhost:$${PORT:-8080}
##      (a private PostgreSQL in ./.passerelle unless DATABASE_URL is set)
run: build
	./bin/passerelle serve

## demo: load the demo data set into the platform's database (stop `make run` first),
##       printing tokens to try it; then `make run`
demo: build
	./bin/passerelle seed --demo

## test: every test, -race, against real PostgreSQL
test: build
	./infra/scripts/test.sh

## bench: the event store's speed beside raw PostgreSQL, with ratios
bench: build
	./infra/scripts/bench.sh

clean:
	rm -rf bin
