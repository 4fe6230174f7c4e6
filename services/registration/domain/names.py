"""Duplicate detection for people registered without a NIR.

Without a NIR the only identity we have is names and a birth date, typed by different people at
different agencies: accents dropped, hyphens or apostrophes lost, a letter mistyped, the usage name
(nom d'usage) given instead of the birth name. So names are folded to a plain form and compared
with a similarity score rather than for equality.

Similarity is Jaro-Winkler, implemented here rather than difflib's ratio because it was designed
for short personal names: it tolerates a typo and rewards a shared beginning, where difflib
scores "Dupont"/"Dupond" at 0.83, below any threshold that would still separate different names.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# Family names count as the same from this Jaro-Winkler score up. It keeps one mistyped or dropped
# letter in a name of four letters or more (Dupont/Dupond 0.93, Leroy/Leroi 0.92, Faure/Favre
# 0.89, Roux/Rous 0.88) and rejects names that merely look alike (Durand/Dupont 0.67,
# Lambert/Lombard 0.74; Roy/Ray 0.80, as one letter of three is too much). Jaro-Winkler also rates
# a name and its longer form highly (Simon/Simonet 0.94, Bernard/Bertrand 0.94): tolerable, since
# the birth date and the given name must agree as well and the outcome is only a review flag.
FAMILY_NAME_THRESHOLD = 0.88

# Given names are spelt more freely (Mohamed/Mohammed 0.98, Maryline/Marilyne 0.97, Jessy/Jessie
# 0.89), and by the time they are compared the birth date and the family name already agree, so
# the bar is a little lower; Hugo/Hugues (0.83) and Louis/Lucie (0.76) stay apart. Masculine and
# feminine forms often pass (Julien/Julie 0.97): with the same birth date and family name that is
# mostly twins, one more reason why a person reviews every match.
GIVEN_NAME_THRESHOLD = 0.85

# Winkler's standard parameters: the common prefix counts up to four characters, each for 0.1 of
# the remaining distance, and only for strings already similar (Jaro of 0.7 or more).
_PREFIX_LIMIT = 4
_PREFIX_SCALE = 0.1
_BOOST_THRESHOLD = 0.7

# ASCII hyphen and apostrophe, the typographic forms a word processor substitutes for them
# (hyphens, en dash, curly apostrophe), and dots.
_SEPARATORS = re.compile("[-\u2010\u2011\u2013'\u2019\u02bc.]")


@dataclass(frozen=True)
class PersonKey:
    """What identifies a person when no NIR is known."""

    last_name: str  # birth name (nom de naissance)
    # Given names in civil status order: a tuple, or one string separated by spaces or commas.
    first_names: tuple[str, ...] | str
    birth_date: date
    usage_name: str | None = None  # nom d'usage, e.g. a spouse's name


def fold_name(name: str) -> str:
    """Plain comparable form: "Élodie-Marie  O'Neil" -> "elodie marie o neil"."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_SEPARATORS.sub(" ", without_accents.lower()).split())


def name_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two names, after folding, whatever the order of their words.

    Empty names score 0: a missing name must never make two people look alike.
    """
    folded_a, folded_b = fold_name(a), fold_name(b)
    if not folded_a or not folded_b:
        return 0.0
    as_typed = _jaro_winkler(folded_a, folded_b)
    word_order_ignored = _jaro_winkler(_sorted_words(folded_a), _sorted_words(folded_b))
    return max(as_typed, word_order_ignored)


def is_likely_duplicate(candidate: PersonKey, existing: PersonKey) -> bool:
    """True when both keys probably describe the same person: same birth date, a family name
    (birth or usage name, either way) and the first given name close enough.

    This flags a registration for an adviser to review, never for an automatic merge: twins with
    close given names (Louis/Louise) are flagged too, and only a person can tell them apart.
    """
    if candidate.birth_date != existing.birth_date:
        return False
    return (
        _family_name_similarity(candidate, existing) >= FAMILY_NAME_THRESHOLD
        and name_similarity(_first_given_name(candidate), _first_given_name(existing))
        >= GIVEN_NAME_THRESHOLD
    )


def _family_name_similarity(a: PersonKey, b: PersonKey) -> float:
    pairs = ((x, y) for x in _family_names(a) for y in _family_names(b))
    return max((name_similarity(x, y) for x, y in pairs), default=0.0)


def _family_names(person: PersonKey) -> list[str]:
    return [name for name in (person.last_name, person.usage_name) if name]


def _first_given_name(person: PersonKey) -> str:
    if not isinstance(person.first_names, str):
        return next(iter(person.first_names), "")
    # Split before folding, so that a hyphenated given name (Jean-Pierre) stays one name.
    return re.split(r"[,\s]+", person.first_names.strip(), maxsplit=1)[0]


def _sorted_words(folded: str) -> str:
    return " ".join(sorted(folded.split()))


def _jaro_winkler(a: str, b: str) -> float:
    jaro = _jaro(a, b)
    if jaro < _BOOST_THRESHOLD:
        return jaro
    prefix = 0
    for char_a, char_b in zip(a[:_PREFIX_LIMIT], b[:_PREFIX_LIMIT]):
        if char_a != char_b:
            break
        prefix += 1
    return jaro + prefix * _PREFIX_SCALE * (1 - jaro)


def _jaro(a: str, b: str) -> float:
    if a == b:
        return 1.0
    # Characters match when equal and no further apart than half the longer string.
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    matched_in_b = [False] * len(b)
    matches_a: list[str] = []
    for i, char in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not matched_in_b[j] and b[j] == char:
                matched_in_b[j] = True
                matches_a.append(char)
                break
    if not matches_a:
        return 0.0
    matches_b = [char for char, matched in zip(b, matched_in_b) if matched]
    transpositions = sum(x != y for x, y in zip(matches_a, matches_b)) / 2
    m = len(matches_a)
    return (m / len(a) + m / len(b) + (m - transpositions) / m) / 3
