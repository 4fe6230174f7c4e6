"""Every OAuth2 scope of the platform: one per capability and verb.

The gateway grants and checks them, each service's dependencies require them, the manifest's routes
and deploy/local/partners.yaml name them; an unknown name fails where it is read.
"""
from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    REGISTRATIONS_READ = "registrations:read"
    REGISTRATIONS_WRITE = "registrations:write"
    ORIENTATION_READ = "orientation:read"
    ORIENTATION_DECIDE = "orientation:decide"
    DOSSIER_READ = "dossier:read"
    DOSSIER_WRITE = "dossier:write"
    OFFERS_READ = "offers:read"
    OFFERS_PUBLISH = "offers:publish"
    OFFERS_SUBSCRIBE = "offers:subscribe"
    PROFILES_SEARCH = "profiles:search"
    PROFILES_CONTRIBUTE = "profiles:contribute"
    PROFILES_MANAGE = "profiles:manage"
    SANCTIONS_READ = "sanctions:read"
    SANCTIONS_REPORT = "sanctions:report"
    SANCTIONS_DECIDE = "sanctions:decide"
    INDICATORS_READ = "indicators:read"
    # Partner push (services/webhooks): its own endpoints and deliveries; the change feed.
    WEBHOOKS_MANAGE = "webhooks:manage"
    CHANGES_READ = "changes:read"
    # The gateway's own, after a person's OpenID Connect login: find the person the identity names.
    IDENTITY_MATCH = "identity:match"
    # A person about themselves (/v1/me/...): only in person tokens, which carry nothing else; no
    # organisation is granted it, and `admin` does not pass for it (Caller.has_scope).
    ME = "me"
    # Platform operations: passes every scope check (Caller.has_scope).
    ADMIN = "admin"
