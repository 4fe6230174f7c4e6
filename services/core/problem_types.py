"""Every problem type the platform answers with: what it means and how a client gets past it.

A problem's `type` is `PROBLEM_BASE + slug`; the gateway serves this catalogue at `/problems/{slug}`
so that each type URI resolves, and `docs/problems.md` lists it. A test scans the code and fails on a
slug missing here, so a new refusal cannot ship undocumented.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int  # the status it usually comes with; a few slugs are answered with more than one
    title: str
    description: str
    fix: str


PROBLEM_TYPES: dict[str, ProblemType] = {problem.slug: problem for problem in (
    ProblemType(
        "bad-request", 400, "Bad request",
        "The request could not be read at all, for instance a form or multipart body that cannot be parsed.",
        "Check the Content-Type header against the body you send, and that the body is complete."),
    ProblemType(
        "unsupported-grant-type", 400, "Unsupported grant type",
        "The token endpoint only issues tokens with the OAuth2 client-credentials grant.",
        "Send grant_type=client_credentials in the form body of POST /oauth/token."),
    ProblemType(
        "invalid-scope", 400, "Scope not granted",
        "The token request asked for scopes this client was not granted.",
        "Ask only for scopes of your client (or omit scope to get all of them); "
        "the platform team grants new ones."),
    ProblemType(
        "unauthorized", 401, "Missing or invalid access token",
        "The call carries no bearer token, or one that is expired, malformed, signed by another key, "
        "issued for another audience, or held by a client that is no longer registered.",
        "Get a fresh token at POST /oauth/token and send it as 'Authorization: Bearer <token>'. "
        "Tokens last 15 minutes."),
    ProblemType(
        "invalid-client", 401, "Unknown client or wrong secret",
        "The token endpoint could not authenticate the client: its id is unknown or its secret is wrong.",
        "Check client_id and client_secret (form fields or HTTP Basic); secrets are issued by the platform team."),
    ProblemType(
        "insufficient-scope", 403, "Scope missing",
        "The token is valid but does not carry the scope this operation requires; the detail names it.",
        "Request a token with that scope; if your client was not granted it, ask the platform team."),
    ProblemType(
        "forbidden", 403, "Not allowed for your organisation",
        "Your organisation may know this object but may not do this to it (for example change a "
        "registration it may only read, or read a dossier section reserved for the referent).",
        "Nothing to retry: the detail says which rule applies. Ask the organisation entitled to act."),
    ProblemType(
        "cors-origin-refused", 403, "Origin not allowed",
        "A browser asked (CORS preflight) to call the API from a web origin that no partner registered, "
        "or with a method the API does not serve.",
        "Ask the platform team to add your web application's origin to your client's allow-list."),
    ProblemType(
        "not-found", 404, "Not found",
        "Nothing is published at this path, or the object does not exist, or your organisation may not "
        "see it: the three are answered alike on purpose, so no one learns of a person they may not see.",
        "Check the path and identifier; see /docs for the published operations."),
    ProblemType(
        "method-not-allowed", 405, "Method not allowed",
        "The resource exists but does not support this HTTP method.",
        "Use one of the methods listed in the Allow header of the response."),
    ProblemType(
        "conflict", 409, "Conflict with the current state",
        "The command contradicts the current state of the object (for example a duplicate).",
        "Read the object again, and decide from its current state whether to send another command."),
    ProblemType(
        "already-registered", 409, "Already registered",
        "A registration already exists for this person (same NIR). The problem links to it only when your "
        "organisation may see the person; the attempt is recorded in the person's access log.",
        "Do not register the person twice: read or update the existing registration when the problem links to it, "
        "otherwise ask France Travail to share it with your organisation."),
    ProblemType(
        "invalid-transition", 409, "Not possible in the current status",
        "The command does not apply to the object's current status (for example confirming a person who "
        "is already registered, or changing a withdrawn offer).",
        "Read the object to see its status; only the transitions documented for that status apply."),
    ProblemType(
        "slot-taken", 409, "Slot already taken",
        "Another booking took this appointment slot first.",
        "List the open slots again and book another one."),
    ProblemType(
        "idempotency-conflict", 409, "Request still being processed",
        "A request with the same Idempotency-Key is still being processed.",
        "Wait a moment and send the same request again with the same key: you will get its result."),
    ProblemType(
        "idempotency-key-reused", 409, "Idempotency-Key reused",
        "This Idempotency-Key was already used with a different request body or path.",
        "Use a new key for each distinct request; reuse a key only to retry the very same request."),
    ProblemType(
        "contact-already-released", 409, "Contact details already released",
        "A person's contact details go to a recruiter once, after they said they are interested.",
        "Use the contact details you received the first time; they are not sent again."),
    ProblemType(
        "interest-already-requested", 409, "Interest already requested",
        "Your organisation already asked this person and the request awaits an answer.",
        "Wait for the answer (or the request's expiry) before asking again."),
    ProblemType(
        "stale-etag", 412, "Stale version",
        "The If-Match header no longer matches the object's current ETag: someone changed it since you "
        "read it.",
        "Read the object again, reapply your change to the current version, and send it with the new ETag."),
    ProblemType(
        "payload-too-large", 413, "Request body too large",
        "The request body is over the limit of this operation (1 MiB unless the operation documents more).",
        "Send a smaller body; for many offers, use the bulk import operations, which accept larger files."),
    ProblemType(
        "unsupported-media-type", 415, "Unsupported media type",
        "The Content-Type of the body is not one this operation accepts.",
        "Send one of the media types the operation documents (application/json unless stated otherwise)."),
    ProblemType(
        "validation-error", 422, "Invalid input",
        "The request is well formed but some values are not valid; `errors` lists each field at fault "
        "with its message.",
        "Correct each field listed in `errors` and send the request again."),
    ProblemType(
        "domain-error", 422, "Refused by a business rule",
        "The request breaks a business rule of the platform; the detail says which.",
        "Change the request as the detail explains."),
    ProblemType(
        "invalid-offer", 422, "Invalid offer",
        "The job offer cannot be published: a required field is missing or a value breaks the rules "
        "(for example discriminatory wording); `errors` lists each field.",
        "Correct each field listed in `errors` and publish the offer again."),
    ProblemType(
        "bad-import-file", 422, "Import file unreadable",
        "The import file cannot be read as a whole (not NDJSON, a CSV without its header, not UTF-8).",
        "Send UTF-8 NDJSON (one offer per line) or a CSV with its header line."),
    ProblemType(
        "precondition-required", 428, "If-Match required",
        "Concurrent partners write this object, so an update must say which version it applies to.",
        "Read the object, then send the update with 'If-Match: <the ETag you read>'."),
    ProblemType(
        "rate-limited", 429, "Too many requests",
        "This client sent more requests than its quota allows in the current window.",
        "Wait the number of seconds in Retry-After before retrying; watch the RateLimit-* headers."),
    ProblemType(
        "too-many-nir-conflicts", 429, "Too many NIRs already registered",
        "This client gave, within the last hour, too many NIRs that were already registered: its NIR lookups are "
        "paused, so that the check cannot be used to find out who is registered.",
        "Wait the number of seconds in Retry-After; check the NIRs you send, and ask France Travail when the "
        "people you receive are registered elsewhere."),
    ProblemType(
        "quota-exceeded", 429, "Daily quota used up",
        "Your organisation has used its allowance for this kind of request today (e.g. profile detail views, "
        "limited so that a profile bank cannot be copied by paging through it).",
        "Wait the number of seconds in Retry-After (the next day, UTC); ask the platform team if your need is "
        "regularly higher."),
    ProblemType(
        "too-many-failed-authentications", 429, "Too many failed authentications",
        "Too many wrong secrets were sent for this client, or from this address, in a short time: token "
        "requests are refused for a while.",
        "Check the client secret, then wait the number of seconds in Retry-After before asking again."),
    # A person's login through OpenID Connect (gateway/oidc.py): the person reads these, in French pages.
    ProblemType(
        "login-expired", 400, "Login attempt unknown, expired or already used",
        "The login callback came without the login attempt the gateway started (its cookie is missing, "
        "over ten minutes old, or was already used), or with another attempt's state.",
        "Start again at GET /auth/login, in the same browser."),
    ProblemType(
        "login-refused", 403, "Login cancelled",
        "The identity provider did not authenticate the person: they cancelled, or it refused them; "
        "`error` is the provider's OAuth error code.",
        "Start again at GET /auth/login."),
    ProblemType(
        "csrf-header-required", 403, "X-Requested-With header required",
        "A change under /v1/me/... sent with the browser session's cookie lacks the header "
        "'X-Requested-With: personal-space', which a page of another site cannot add: it guards against "
        "cross-site request forgery.",
        "Send the header with every call other than GET and HEAD, or use the bearer token instead of the cookie."),
    ProblemType(
        "cross-site-request", 403, "Request from another site refused",
        "The browser said that this logout was posted by a page of another site (Sec-Fetch-Site): it guards "
        "against a site logging people out of the platform behind their back.",
        "Log out from the personal space's own button, or send 'X-Requested-With: personal-space'."),
    ProblemType(
        "logout-expired", 400, "Logout return unknown, expired or already used",
        "The identity provider sent the browser back to /auth/logout/callback without the logout the gateway "
        "started (its cookie is missing, over ten minutes old, or was already used), or with another "
        "logout's state. The platform's session had already ended.",
        "Nothing to retry on the platform; on a shared computer, close the browser."),
    ProblemType(
        "identity-not-matched", 404, "No registration matches this identity",
        "After the login, no registration has the identity the provider gave (names, birth date, birth "
        "place): the person is not registered, or was registered under a name or birth place written "
        "differently.",
        "The person contacts their counsellor, who checks and corrects the registration."),
    ProblemType(
        "identity-ambiguous", 409, "Several registrations match this identity",
        "After the login, more than one registration has the identity the provider gave; the platform will "
        "not guess which is the person's.",
        "The person contacts their counsellor, who alone can tell which registration is theirs."),
    ProblemType(
        "identity-provider-error", 502, "Identity provider's answer refused",
        "The identity provider refused the login's code (spent already, or expired), or its answer could "
        "not be verified (ID token signature, issuer, audience, nonce or expiry; missing claims).",
        "Start again at GET /auth/login; if it persists, the platform team checks the provider's settings."),
    ProblemType(
        "identity-provider-unavailable", 503, "Identity provider unavailable",
        "The gateway could not reach the identity provider to start or finish the login.",
        "Retry in a few minutes."),
    ProblemType(
        "internal-server-error", 500, "Unexpected error",
        "Something failed on the platform's side. It has been logged with the request id given in the "
        "response.",
        "Retry later; if it persists, report it to the platform team with the request id."),
    ProblemType(
        "upstream-unavailable", 502, "Service unavailable",
        "The gateway could not reach the service behind this operation.",
        "Retry later, with the same Idempotency-Key for a POST so that it is not applied twice."),
    ProblemType(
        "not-ready", 503, "Not ready",
        "A readiness check failed: the database, the broker or a service is not reachable; `checks` "
        "says which.",
        "Wait and check again; operators should look at the failing dependency."),
    ProblemType(
        "keys-unavailable", 503, "Signing keys unavailable",
        "The service could not fetch the gateway's public keys to check the token.",
        "Retry shortly; the same token stays valid."),
    ProblemType(
        "upstream-timeout", 504, "Service timeout",
        "The service behind this operation did not answer in time.",
        "Retry later, with the same Idempotency-Key for a POST so that it is not applied twice."),
)}
