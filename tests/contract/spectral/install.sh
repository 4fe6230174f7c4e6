#!/usr/bin/env bash
# Spectral and the OWASP ruleset for tests/contract/test_spectral.py, pinned by package-lock.json.
exec "$(dirname "$0")/../../../deploy/local/npm-ci.sh" "$(dirname "$0")"
