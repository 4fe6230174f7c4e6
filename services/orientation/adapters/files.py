"""Reference files shipped with the service: the default referentials and the demo directory.

Both are replaceable: referentials through the API (each PUT is a new version), the directory by
loading another file (`load_directory`, YAML like the shipped one or CSV with the same columns).
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from services.orientation.domain.directory import Directory, Organisation

REFERENTIALS_DIR = Path(__file__).resolve().parents[1] / "referentials"


def shipped_referential(territory: str) -> dict[str, Any] | None:
    """The document shipped for a territory: national.yaml, or overrides/<département>.yaml."""
    path = REFERENTIALS_DIR / ("national.yaml" if territory == "national" else f"overrides/{territory}.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None


def load_directory(path: str | Path = REFERENTIALS_DIR / "directory.yaml") -> Directory:
    path = Path(path)
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            entries = [{**row, "departements": row["departements"].split(),
                        "communes": (row.get("communes") or "").split()} for row in csv.DictReader(handle)]
    else:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))["organisations"]
    return Directory([
        Organisation(org_id=e["org_id"], org_type=e["org_type"], name=e["name"],
                     departements=tuple(str(d) for d in e["departements"]),
                     communes=tuple(str(c) for c in e.get("communes") or ()))
        for e in entries
    ])
