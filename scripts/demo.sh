#!/usr/bin/env bash
# Runs the demo: builds the web assets from the pinned npm packages, then sets up a demo
# authority (Northshire) on the embedded SQLite default (./frontdoor.db) and serves it on
# http://127.0.0.1:8080/. Extra arguments go to `frontdoor demo` (see `--help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-assets.sh
exec cargo run --release -p frontdoor-cli -- demo "$@"
