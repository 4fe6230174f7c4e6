#!/usr/bin/env bash
# axe-core for tests/e2e/test_personal_space.py, as package-lock.json pins it; Debian's npm first when
# Node.js is missing. Reinstalls only when the lock file changed.
set -euo pipefail
cd "$(dirname "$0")"
[[ node_modules/.package-lock.json -nt package-lock.json ]] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  [[ $(id -u) -eq 0 ]] || { echo "error: npm is missing; install it: sudo apt-get install npm" >&2; exit 1; }
  echo "installing Debian's npm..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
