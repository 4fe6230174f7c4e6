#!/usr/bin/env bash
# The local OpenID provider (oidc-provider, pinned by package-lock.json); make run and the tests call it.
exec "$(dirname "$0")/../../../deploy/local/npm-ci.sh" "$(dirname "$0")"
