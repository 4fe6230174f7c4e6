"""The département's authority over orientation, on the person's facts as orientation knows them now."""
from __future__ import annotations

import pytest

from services.core.identity import Caller
from services.orientation.domain.model import Orientation
from services.orientation.domain.policy import has_rsa_authority
from services.orientation.tests.builders import person

LOIRE_ATLANTIQUE = Caller("departement-44", "departement-44", "departement", ("44",), frozenset())
FRANCE_TRAVAIL = Caller("ft-agence-nantes", "ft-agence-44-nantes-est", "france_travail", ("44",), frozenset())


@pytest.mark.parametrize("caller, rsa, departement, authority", [
    (LOIRE_ATLANTIQUE, True, "44", True),
    (LOIRE_ATLANTIQUE, False, "44", False),  # no longer (or never) an RSA recipient
    (LOIRE_ATLANTIQUE, True, "49", False),  # moved out of its territory
    (FRANCE_TRAVAIL, True, "44", False),  # the operator is not the RSA authority
])
def test_the_departement_has_authority_over_its_rsa_recipients_only(caller, rsa, departement, authority):
    assert has_rsa_authority(caller, Orientation(person(rsa=rsa, departement=departement))) is authority
