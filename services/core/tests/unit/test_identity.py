"""Token verification: a verified token is remembered until its `exp`, and only a verified one."""
from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from services.core import identity
from services.core.identity import TokenVerifier
from services.core.problems import Problem

ISSUER, AUDIENCE = "https://gateway.test", "france-travail-platform"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def signed(lifetime: float = 900, **claims) -> tuple[str, float]:
    expires_at = int(time.time() + lifetime)
    token = jwt.encode({"sub": "ft-agence-nantes", "iss": ISSUER, "aud": AUDIENCE, "iat": int(time.time()),
                        "exp": expires_at, "org_id": "ft-44", "org_type": "france_travail",
                        "scope": "registration:read", **claims}, KEY, algorithm="RS256")
    return token, expires_at


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def lookups():
    return []


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def verifier(lookups, clock):
    def key_for_token(token: str):
        lookups.append(token)
        return KEY.public_key()

    return TokenVerifier(key_for_token, ISSUER, AUDIENCE, clock=clock)


def test_a_token_is_checked_once_then_remembered_with_its_caller(verifier, lookups):
    token, _ = signed()
    first, second = verifier.verify(token), verifier.verify(token)
    assert first == second and first.client_id == "ft-agence-nantes" and first.has_scope("registration:read")
    assert lookups == [token]


def test_a_remembered_token_is_refused_once_its_exp_has_passed(verifier, clock):
    token, expires_at = signed()
    verifier.verify(token)
    clock.now = expires_at
    with pytest.raises(Problem) as refused:
        verifier.verify(token)
    assert refused.value.status == 401 and "expired" in refused.value.detail


@pytest.mark.parametrize("claims", [{"aud": "another-platform"}, {"org_type": "unknown"}])
def test_a_refused_token_is_checked_again_on_every_call(verifier, lookups, claims):
    token, _ = signed(**claims)
    for _ in range(2):
        with pytest.raises(Problem) as refused:
            verifier.verify(token)
        assert refused.value.status == 401
    assert lookups == [token, token]


def test_a_token_signed_by_another_key_is_refused(verifier):
    forged = jwt.encode({"sub": "x", "iss": ISSUER, "aud": AUDIENCE, "iat": int(time.time()),
                         "exp": int(time.time()) + 900, "org_id": "o", "org_type": "caf"},
                        rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm="RS256")
    with pytest.raises(Problem) as refused:
        verifier.verify(forged)
    assert refused.value.status == 401


def test_the_remembered_tokens_stay_bounded_and_the_latest_are_kept(verifier, lookups, monkeypatch):
    monkeypatch.setattr(identity, "REMEMBERED_TOKENS", 4)
    tokens = [signed(sub=f"client-{n}")[0] for n in range(5)]
    for token in tokens:
        verifier.verify(token)
    lookups.clear()
    verifier.verify(tokens[-1])
    assert lookups == []  # the newest is still remembered
    verifier.verify(tokens[0])
    assert lookups == [tokens[0]]  # the oldest was forgotten, so checked again


def test_a_person_token_names_the_person_and_opens_their_own_door_only(verifier):
    token, _ = signed(sub="per_0001", token_use="person", scope="me", org_id=None, org_type=None)
    caller = verifier.verify(token)
    assert caller.is_person and caller.person_id == "per_0001"
    assert caller.has_scope("me") and not caller.has_scope("registrations:read")
    assert caller.territories == () and not caller.is_admin


@pytest.mark.parametrize("claims", [
    {"token_use": "person", "scope": "me registrations:read"},  # a person's token carries nothing else
    {"token_use": "person", "scope": "me", "sub": " "},  # and names someone
    {"scope": "me registrations:read"},  # an organisation's never carries `me`
])
def test_tokens_mixing_a_person_and_an_organisation_are_refused(verifier, claims):
    token, _ = signed(**claims)
    with pytest.raises(Problem) as refused:
        verifier.verify(token)
    assert refused.value.status == 401


def test_an_administrator_passes_every_scope_but_a_persons_own(verifier):
    token, _ = signed(scope="admin")
    admin = verifier.verify(token)
    assert admin.has_scope("registrations:read") and admin.has_scope("sanctions:decide")
    assert not admin.has_scope("me") and not admin.is_person
