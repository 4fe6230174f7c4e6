"""The scale versions shipped with the service (services/sanctions/referentials/<version>.yaml)."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from services.sanctions.domain.scale import VERSIONS, Scale, parse

REFERENTIALS_DIR = Path(__file__).resolve().parents[1] / "referentials"


@cache
def shipped_scales() -> dict[str, Scale]:
    return {version: parse(yaml.safe_load((REFERENTIALS_DIR / f"{version}.yaml").read_text(encoding="utf-8")))
            for version in VERSIONS}
