#!/usr/bin/env bash
# axe-core for tests/e2e/test_personal_space.py, pinned by package-lock.json.
exec "$(dirname "$0")/../../../deploy/local/npm-ci.sh" "$(dirname "$0")"
