"""The committed referentials are what the pinned npm packages give (referentials/derive.py says why
they are committed): `make test` installs the packages with referentials/npm/install.sh."""
import pytest

from services.indicators.referentials import derive


def _derived(make) -> str:
    try:
        return make()
    except derive.PackagesMissing as missing:
        pytest.fail(f"{missing} (the packages the committed referentials are derived from)")


def test_the_committed_communes_are_those_of_the_pinned_etalab_package():
    assert derive.COMMUNES_CSV.read_text(encoding="utf-8") == _derived(derive.communes_csv), \
        "communes.csv differs from the package: run python -m services.indicators.referentials.derive"


def test_the_committed_departements_map_is_that_of_the_pinned_svg_package():
    assert derive.DEPARTEMENTS_MAP.read_text(encoding="utf-8") == _derived(derive.departements_map_json), \
        "departements_map.json differs from the package: run python -m services.indicators.referentials.derive"
