#!/usr/bin/env bash
# Tools the test suite needs beyond Python: kubectl, which renders deploy/k8s offline
# (`kubectl kustomize`) for tests/deploy. Installs Debian's kubernetes-client when it is missing.
set -euo pipefail

command -v kubectl >/dev/null 2>&1 && exit 0
die() { echo "error: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "kubectl is missing; run this script as root or install it: sudo apt-get install kubernetes-client"
command -v apt-get >/dev/null 2>&1 || die "kubectl is missing and apt-get is not available (Debian/Ubuntu expected)"
echo "installing Debian's kubernetes-client (kubectl)..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
command -v kubectl >/dev/null 2>&1 || die "apt-get installed kubernetes-client but kubectl is not on PATH"
