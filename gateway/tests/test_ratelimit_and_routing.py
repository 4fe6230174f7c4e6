from gateway.ratelimit import RateLimiter
from gateway.routing import route_for


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_client_gets_its_quota_then_waits_for_tokens_to_refill():
    clock = Clock()
    limiter = RateLimiter(clock)
    decisions = [limiter.check("partner", per_minute=3) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions[:3]] == [2, 1, 0]
    refused = decisions[3].headers()
    assert refused["Retry-After"] == "20" and refused["RateLimit-Limit"] == "3"
    clock.now = 20.0  # one token back after 60 s / 3
    assert limiter.check("partner", per_minute=3).allowed
    assert limiter.check("other", per_minute=3).allowed  # buckets are per client


def test_paths_route_to_their_service_and_verbs_to_scopes():
    route = route_for("/v1/registrations/abc/confirm")
    assert route.service == "registration"
    assert route.scope_for("GET") == "registrations:read" and route.scope_for("PATCH") == "registrations:write"
    assert route_for("/v1/registrationsX") is None and route_for("/v1/unknown") is None
