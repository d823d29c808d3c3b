#!/usr/bin/env bash
# The whole test suite: lints, Rust tests (store suite on SQLite and, when FRONTDOOR_TEST_POSTGRES
# is set, PostgreSQL), then the browser tests against a demo server in Debian's Chromium.
# Installs what it needs (npm packages, Chromium) through the project's own scripts.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build-assets.sh
bash scripts/install-browser.sh
# The DfE's Children in Need census validator (optional component): the census tests run it
# when installed, and say they skipped it when not (CI requires it: FRONTDOOR_REQUIRE_CIN_VALIDATOR).
if [ -n "${FRONTDOOR_REQUIRE_CIN_VALIDATOR:-}" ] || [ -n "${FRONTDOOR_INSTALL_CIN_VALIDATOR:-}" ]; then
  bash scripts/install-cin-validator.sh
elif ! bash scripts/install-cin-validator.sh; then
  echo "== the DfE CIN validator could not be installed: the census tests will say they skipped it" >&2
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

echo "== cargo test"
cargo test --workspace

echo "== browser tests"
cargo build -p frontdoor-cli
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"${CARGO_TARGET_DIR:-target}/debug/frontdoor" --database "sqlite://$work/demo.db" demo --listen "127.0.0.1:$port" --contacts-per-year 300 --years 1 > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && break
  if ! kill -0 $server 2>/dev/null; then cat "$work/server.log"; echo "the demo server did not start" >&2; exit 1; fi
  sleep 0.5
done
FRONTDOOR_BASE_URL="http://127.0.0.1:$port" node --test tests/browser/
