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
GOOS=js GOARCH=wasm go build ./ ./d1test $(for d in dialect migrate workers; do [ -d "$d" ] && echo "./$d"; done)
go test -race -count=1 "$@" ./...
