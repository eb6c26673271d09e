# Passerelle. `make run` starts everything; `make test` proves it works.
GO ?= go
NPM ?= npm
BINARIES := ./infra/cmd/passerelle ./services/directory/cmd/directory ./services/sessions/cmd/sessions ./services/proposals/cmd/proposals ./services/notifications/cmd/notifications ./services/experts/cmd/experts ./graph/cmd/gateway
WEB := graph/web
# What the web app's build reads: a change in any of them builds it again.
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/public -type f -not -name graphql-env.d.ts 2>/dev/null) \
	$(WEB)/index.html $(WEB)/graphiql.html $(WEB)/vite.config.ts $(WEB)/tsconfig.json $(WEB)/package-lock.json \
	graph/schema/schema.graphql

.PHONY: build web run demo test lint bench clean

## build: the web app (graph/web/dist, embedded in the gateway), then the binaries in
##        ./bin (passerelle, directory, sessions, proposals, gateway)
build: web
	$(GO) build -o bin/ $(BINARIES)

## web: the web app and GraphiQL, with npm (Node.js 20 or later)
web: $(WEB)/dist/index.html

$(WEB)/node_modules/.package-lock.json: $(WEB)/package-lock.json
	@command -v $(NPM) >/dev/null || { echo "make: the web app is built with Node.js 20 or later and npm: install them (https://nodejs.org, or apt-get install nodejs npm)" >&2; exit 1; }
	cd $(WEB) && $(NPM) ci --no-audit --no-fund

$(WEB)/dist/index.html: $(WEB)/node_modules/.package-lock.json $(WEB_SOURCES)
	cd $(WEB) && $(NPM) run build

## run: the whole platform in one process on http://localhost:$${PORT:-8080}
##      (a private PostgreSQL in ./.passerelle unless DATABASE_URL is set)
run: build
	./bin/passerelle serve

## demo: load the demo data set into the platform's database (make run may be running),
##       printing keys to sign in with
demo: build
	./bin/passerelle seed --demo

## test: every test, -race, against real PostgreSQL; then the web app's unit tests and
##       its end-to-end tests in headless Chromium against a running platform
test: build
	./infra/scripts/test.sh

## lint: golangci-lint (installed into bin/ the first time) over every module; make test
##       runs it too
lint:
	./infra/scripts/lint.sh

## bench: the event store's speed beside raw PostgreSQL, with ratios
bench: build
	./infra/scripts/bench.sh

clean:
	rm -rf bin $(WEB)/dist/assets $(WEB)/dist/*.html $(WEB)/dist/*.svg
