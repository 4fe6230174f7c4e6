#!/usr/bin/env bash
# Tools the test suite needs beyond Python, installed from Debian's packages when missing:
# - kubectl (kubernetes-client) renders deploy/k8s offline (`kubectl kustomize`) for tests/deploy;
# - Chromium runs the browser tests (tests/support/browser.py): Playwright drives Debian's build, as
#   it cannot download a browser of its own on an isolated network.
# With `bench`, also what `make bench` needs: wrk, the load generator, and nginx, the reverse proxy the
# gateway is measured against (tests/bench/bench_baseline.py).
set -euo pipefail

missing=()
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [[ ${1:-} == bench ]]; then
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)  # sbin: not on every PATH
fi
((${#missing[@]})) || exit 0
die() { echo "error: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "missing: ${missing[*]}; run this script as root or install them: sudo apt-get install ${missing[*]}"
command -v apt-get >/dev/null 2>&1 || die "missing: ${missing[*]}, and apt-get is not available (Debian/Ubuntu expected)"
echo "installing Debian's ${missing[*]}..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
command -v kubectl >/dev/null 2>&1 || die "kubectl is not on PATH after installing kubernetes-client"
command -v chromium >/dev/null 2>&1 || die "chromium is not on PATH after installing it"
