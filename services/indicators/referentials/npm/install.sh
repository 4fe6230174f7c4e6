#!/usr/bin/env bash
# Etalab's decoupage-administratif and svg-maps' France départements, pinned by package-lock.json: make test.
exec "$(dirname "$0")/../../../../deploy/local/npm-ci.sh" "$(dirname "$0")"
