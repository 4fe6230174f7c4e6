#!/usr/bin/env bash
# usage: deploy/local/npm-ci.sh DIR — the npm packages DIR's package-lock.json pins, into DIR/node_modules
# (git ignores it); Debian's npm first when Node.js is missing. Reinstalls only when the lock file
# changed. The JavaScript tools the project runs (Spectral, axe-core, the local OpenID provider) each
# keep such a folder and a two-line install.sh calling this.
set -euo pipefail
cd "$1"
[[ node_modules/.package-lock.json -nt package-lock.json ]] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  [[ $(id -u) -eq 0 ]] || { echo "error: npm is missing; install it: sudo apt-get install npm" >&2; exit 1; }
  echo "installing Debian's npm..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
