#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (idempotent).
# playwright-core drives it over CDP, so no ChromeDriver and no downloaded browser build.
set -euo pipefail

find_chromium() {
  local candidate
  for candidate in "${FRONTDOOR_CHROMIUM:-}" /usr/lib/chromium/chromium /usr/bin/chromium; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! chromium_path="$(find_chromium)"; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "install-browser: installing Debian's chromium package" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends chromium
  chromium_path="$(find_chromium)" || {
    echo "install-browser: chromium still not found after apt-get install" >&2
    exit 1
  }
fi

version="$("$chromium_path" --version 2>/dev/null | head -n 1 | sed -e 's/[[:space:]]*$//')"
echo "install-browser: ${version:-unknown version} at $chromium_path"
