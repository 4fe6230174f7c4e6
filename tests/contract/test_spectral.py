"""Spectral (spectral:oas and the OWASP API Security ruleset, with the overrides of
tests/contract/spectral/.spectral.yaml) finds no error and no warning in any published contract.
`make test` installs Spectral (tests/contract/spectral/install.sh)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support.contracts import CONTRACTS_DIR

SPECTRAL_DIR = Path(__file__).parent / "spectral"
SPECTRAL = SPECTRAL_DIR / "node_modules" / ".bin" / "spectral"
RULESET = SPECTRAL_DIR / ".spectral.yaml"


def lint(*contracts: Path) -> list[dict]:
    """Spectral's findings of severity warning or error (0 and 1), each with its rule and place."""
    if not SPECTRAL.exists():
        pytest.fail(f"Spectral is not installed: run {SPECTRAL_DIR / 'install.sh'}")
    run = subprocess.run([str(SPECTRAL), "lint", "--ruleset", str(RULESET), "--format", "json", "--quiet",
                          *map(str, contracts)], capture_output=True, text=True, timeout=300)
    if run.returncode not in (0, 1):  # 1: findings; anything else: Spectral could not run
        pytest.fail(f"spectral failed: {run.stderr or run.stdout}")
    return [finding for finding in json.loads(run.stdout or "[]") if finding["severity"] <= 1]


def described(findings: list[dict]) -> str:
    return "\n".join(f"{Path(f['source']).name} {'.'.join(map(str, f['path']))}: {f['code']}: {f['message']}"
                     for f in findings)


def test_every_contract_is_free_of_spectral_errors_and_warnings():
    findings = lint(*sorted(CONTRACTS_DIR.glob("*.v1.yaml")))
    assert findings == [], described(findings)


def test_the_ruleset_refuses_a_request_string_without_bounds(tmp_path):
    # The request-* rules replace OWASP's on what clients send: they must still find something to check.
    contract = yaml.safe_load((CONTRACTS_DIR / "registration.v1.yaml").read_text(encoding="utf-8"))
    contract["components"]["schemas"]["Identity"]["properties"]["last_name"].pop("maxLength")
    unbounded = tmp_path / "unbounded.v1.yaml"
    unbounded.write_text(yaml.safe_dump(contract), encoding="utf-8")
    assert {finding["code"] for finding in lint(unbounded)} == {"request-string-limit"}


def test_the_token_rules_hold_outside_open_data_only(tmp_path):
    # The open-data paths read without a token; any other read still needs a scheme and its 401.
    contract = yaml.safe_load((CONTRACTS_DIR / "indicators.v1.yaml").read_text(encoding="utf-8"))
    listing = contract["paths"]["/v1/indicators"]["get"]
    listing["security"] = []
    listing["responses"].pop("401")
    opened = tmp_path / "opened.v1.yaml"
    opened.write_text(yaml.safe_dump(contract), encoding="utf-8")
    assert {finding["code"] for finding in lint(opened)} == {"read-restricted", "error-responses-401"}
