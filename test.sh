#!/usr/bin/env bash
# The one command that runs every test: ./test.sh
# It installs the pinned workerd (npm ci), then vets and tests every package,
# including those that run against workerd's local D1.
set -euo pipefail
cd "$(dirname "$0")"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_HIDE_BANNER=true

if ! command -v node >/dev/null; then
	echo "test.sh: Node.js 20 or newer is needed for the workerd tests (apt-get install nodejs npm)" >&2
	exit 1
fi
npm ci --prefix internal/workerd --no-audit --no-fund --loglevel=error

go vet ./...
# The client must keep building for Go inside Workers (js/wasm).
GOOS=js GOARCH=wasm go build ./ ./d1test ./dialect ./migrate ./workers/...
GOOS=js GOARCH=wasm go vet ./workers/... ./examples/worker

go test -race -count=1 "$@" ./...

# The conformance suite inside workerd: Go compiled to wasm, run by the wasmexec wrapper
# with a fresh local D1 bound for each test binary.
GOOS=js GOARCH=wasm go test -count=1 "$@" \
	-exec="env GOOS= GOARCH= go run github.com/lunora-go/d1/internal/wasmexec" ./workers/...

# The github.com/syumai/workers example is its own module.
(cd examples/syumai && go vet ./... && go test -race -count=1 "$@" ./...)
