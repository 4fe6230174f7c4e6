"""Who logged in: the registration an identity provider's claims name, never found from a NIR.

After an OpenID Connect login (FranceConnect's claims: family name, given names, birth date, birth
place as an INSEE commune code, birth country as an INSEE country code) the gateway asks which
registration is the person's, to issue a token naming them. A wrong answer would open someone
else's file, so unlike duplicate detection (`names.is_likely_duplicate`, a similarity that only flags
a registration for review) the names must be *equal* once folded the same way (`names.fold_name`:
case, accents, hyphens and apostrophes); the birth date must be equal; the birth place must be when
the claims give one. Exactly one registration must agree: none, and the person is not registered
(or typed differently: a counsellor corrects it); several, and only a counsellor can tell them apart.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.core.errors import Conflict, NotFound
from services.registration.domain.names import fold_name

# INSEE's code for France among country codes (COG "pays"); other codes say the person was born abroad.
FRANCE_INSEE_COUNTRY = "99100"
FRANCE_ISO_COUNTRY = "FR"


@dataclass(frozen=True)
class IdentityClaims:
    family_name: str  # birth name (nom de naissance), as FranceConnect gives it
    given_names: tuple[str, ...]  # in civil status order
    birth_date: date
    birth_country: str  # INSEE country code
    birth_place: str | None = None  # INSEE commune code, for people born in France


class NoIdentityMatch(NotFound):
    """No registration has this identity."""


class AmbiguousIdentityMatch(Conflict):
    """Several registrations have this identity: a counsellor must tell which is the person's."""


@dataclass(frozen=True)
class Candidate:
    registration_id: str
    identity: dict[str, Any]  # the registration's identity section


def matches(claims: IdentityClaims, identity: dict[str, Any]) -> bool:
    """True when the registration's identity is the claims' person, as far as the rule can tell."""
    return (
        str(identity.get("birth_date")) == claims.birth_date.isoformat()
        and fold_name(identity.get("last_name") or "") == fold_name(claims.family_name) != ""
        and _given_names_agree(claims.given_names, identity.get("first_names") or [])
        and _birth_place_agrees(claims, identity.get("birth_place") or {})
    )


def the_one_matching(claims: IdentityClaims, candidates: Iterable[Candidate]) -> str:
    """The id of the one registration matching the claims; refused when none or several do."""
    found = [c.registration_id for c in candidates if matches(claims, c.identity)]
    if not found:
        raise NoIdentityMatch("No registration matches this identity; the person registers, or a counsellor "
                              "corrects the identity registered.")
    if len(found) > 1:
        raise AmbiguousIdentityMatch("Several registrations match this identity; the person must see a counsellor, "
                                     "who alone can tell which is theirs.")
    return found[0]


def _given_names_agree(claimed: tuple[str, ...], registered: list[str]) -> bool:
    """The registered given names, folded, begin the claimed ones: a counter often types only the
    first given name (or the first two), whereas the identity provider gives all of them. Folding
    each name and splitting it into words keeps "Jean-Pierre" and "Jean Pierre" alike."""
    claimed_words = fold_name(" ".join(claimed)).split()
    registered_words = fold_name(" ".join(registered)).split()
    return bool(registered_words) and claimed_words[:len(registered_words)] == registered_words


def _birth_place_agrees(claims: IdentityClaims, birth_place: dict[str, Any]) -> bool:
    born_in_france = claims.birth_country == FRANCE_INSEE_COUNTRY
    registered_country = birth_place.get("country_code")
    if registered_country and (registered_country == FRANCE_ISO_COUNTRY) != born_in_france:
        return False
    if claims.birth_place is None:
        return True
    # A commune claimed must be the one registered; a registration without one cannot confirm it.
    return birth_place.get("commune_code") == claims.birth_place
