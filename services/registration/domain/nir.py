"""The NIR (numéro d'inscription au répertoire), the French social security number, fully checked.

Layout of the fifteen characters, as INSEE assigns them:

    S  AA  MM  DD  CCC  OOO  KK
    |  |   |   |   |    |    control key: 97 - (the thirteen-character body mod 97)
    |  |   |   |   |    order number of the birth certificate, 001-999
    |  |   |   |   commune of birth (COG code), or INSEE country code when DD is 99
    |  |   |   département of birth; overseas it takes three characters (971...) and the
    |  |   |   commune only two
    |  |   month of birth, or a code for a civil status without a known month
    |  last two digits of the year of birth
    sex: 1 man, 2 woman; 7 and 8 are the same for a provisional number (NIA) given while
    the person's registration with INSEE is pending

A NIR is sensitive personal data: nothing in this module echoes it. Error messages name the rule
that is broken and never quote the input, `Nir` prints masked, and `nir_fingerprint` lets two
registrations of the same person be matched without storing the number.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

NIR_LENGTH = 15

# Digits everywhere, except "2A"/"2B" (Corsica) in the département position. [0-9] rather than
# \d so that non-ASCII digits (Arabic-Indic, full-width...) are refused.
_SHAPE = re.compile(r"[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}")

_SEX_CODES = frozenset("1278")

# Besides 01-12, INSEE registers people whose civil status gives no month of birth with a
# fictitious month (20-30, or 50 and above) or a "pseudo-fictitious" one (31-42); source: INSEE's
# NIR rules as summarised in the French Wikipedia article "Numéro de sécurité sociale en France".
_VALID_MONTHS = frozenset(
    f"{month:02d}" for month in (*range(1, 13), *range(20, 43), *range(50, 100))
)

# Third character of an overseas place of birth: 971-976 for Guadeloupe, Martinique, Guyane,
# La Réunion, Saint-Pierre-et-Miquelon and Mayotte, and 977/978 for Saint-Barthélemy and
# Saint-Martin, which have had their own COG codes since they left Guadeloupe in 2007.
_OVERSEAS_THIRD_DIGITS = frozenset("12345678")

_OVERSEAS_PREFIX = "97"
_ABROAD = "99"

# INSEE's rule for the key of a Corsican NIR is "read A or B as 0, then subtract 1,000,000 (2A)
# or 2,000,000 (2B)". The département sits at the 10^7 and 10^6 places of the body, so that is
# the same as reading 2A as 19 and 2B as 18, which is what we do.
_CORSICA_AS_DIGITS = {"2A": "19", "2B": "18"}


class InvalidNir(ValueError):
    """The input is not a valid NIR. `reason` names the broken rule and never quotes the input."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid NIR: {reason}")
        self.reason = reason


@dataclass(frozen=True, repr=False)
class Nir:
    """A NIR that passed every check. Codes are kept as written in the number (strings)."""

    value: str  # normalised: fifteen characters, no spaces, "2A"/"2B" in upper case
    sex: str
    birth_year_2: str
    birth_month: str
    birth_department: str  # "75", "2A", "971", "98", or "99" for a birth abroad
    born_abroad: bool

    # Masked so that logging a Nir, or an object holding one, never leaks the number.
    def __repr__(self) -> str:
        return f"Nir({mask_nir(self)!r})"

    def __str__(self) -> str:
        return mask_nir(self)


def parse_nir(raw: str) -> Nir:
    """Check `raw` against every NIR rule and return it parsed; raise InvalidNir otherwise.

    Spaces (and any other whitespace) are ignored and "2a"/"2b" are accepted in lower case, since
    that is how people type the number from their carte Vitale.
    """
    value = "".join(raw.split()).upper()
    _check_shape(value)
    body, key = value[:13], value[13:]
    _check_sex(body[0])
    _check_month(body[3:5])
    department = _check_place_of_birth(body)
    _check_order_number(body[10:13])
    if int(key) != control_key(body):
        raise InvalidNir("the control key does not match the number")
    return Nir(
        value=value,
        sex=body[0],
        birth_year_2=body[1:3],
        birth_month=body[3:5],
        birth_department=department,
        born_abroad=department == _ABROAD,
    )


def control_key(body: str) -> int:
    """The control key of a thirteen-character NIR body: 97 - (body mod 97), from 1 to 97."""
    department = body[5:7]
    numeric = body[:5] + _CORSICA_AS_DIGITS.get(department, department) + body[7:]
    return 97 - int(numeric) % 97


def mask_nir(nir: Nir) -> str:
    """Show only the sex and the year of birth, e.g. "1 84 ** ** *** *** **"."""
    return f"{nir.sex} {nir.birth_year_2} ** ** *** *** **"


def nir_fingerprint(nir: Nir, secret: bytes) -> str:
    """HMAC-SHA256 (hex) of the normalised NIR.

    Two registrations of the same person give the same fingerprint, so duplicates are found
    without storing the number. It must be keyed: a NIR has so little entropy that a plain hash
    is reversed by enumerating every plausible number.
    """
    if not secret:
        raise ValueError("a non-empty secret is required to fingerprint a NIR")
    return hmac.new(secret, nir.value.encode("ascii"), hashlib.sha256).hexdigest()


def _check_shape(value: str) -> None:
    if len(value) != NIR_LENGTH:
        raise InvalidNir(
            "a NIR has fifteen characters (a body of thirteen and a control key of two) "
            "once spaces are removed"
        )
    if not _SHAPE.fullmatch(value):
        raise InvalidNir(
            "a NIR contains only digits, "
            "except the letter A or B of a Corsican département of birth"
        )


def _check_sex(code: str) -> None:
    if code not in _SEX_CODES:
        raise InvalidNir(
            "the sex code must be one or two, or seven or eight for a provisional number"
        )


def _check_month(month: str) -> None:
    if month not in _VALID_MONTHS:
        raise InvalidNir(
            "the month of birth is neither a calendar month "
            "nor an INSEE code for an unknown month"
        )


def _check_place_of_birth(body: str) -> str:
    """Check the five characters of the place of birth and return the département of birth."""
    department = body[5:7]
    if department == _OVERSEAS_PREFIX:
        return _check_overseas_place(body[7], body[8:10])
    if department == "00":
        raise InvalidNir("the département of birth is not valid")
    if body[7:10] == "000":
        if department == _ABROAD:
            raise InvalidNir("the country of birth code cannot be all zeros")
        raise InvalidNir("the commune of birth code cannot be all zeros")
    # Every other code is accepted, each for a reason:
    # - 01-95 and 2A/2B are the metropolitan départements;
    # - 20 is Corsica before its split in 1976, and people keep their NIR for life; we cannot
    #   require a birth year before 1976 because a two-digit year does not give the century;
    # - 91-96 also stand for births in Algeria (91-94), Morocco (95) and Tunisia (96) before
    #   independence (service-public.fr, "Que signifie le numéro de sécurité sociale ?");
    # - 98 covers the overseas collectivities (COG 984-989) and, in older numbers, Monaco; we do
    #   not check its detail;
    # - 99 is a birth abroad, followed by the INSEE country code.
    return department


def _check_overseas_place(third_digit: str, commune: str) -> str:
    if third_digit not in _OVERSEAS_THIRD_DIGITS:
        raise InvalidNir("the overseas département of birth is not valid")
    if commune == "00":
        raise InvalidNir("the commune of birth code cannot be all zeros")
    return _OVERSEAS_PREFIX + third_digit


def _check_order_number(order: str) -> None:
    if order == "000":
        raise InvalidNir("the order number of the birth certificate cannot be all zeros")
