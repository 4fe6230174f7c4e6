"""The architecture rules of ARCHITECTURE.md, as import-linter contracts in pyproject.toml: a pure
domain, independent services, layers inside each service, a core that knows no service."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from services.core.settings import REPO_ROOT

# The venv's own script, so the check runs with the project's pinned import-linter.
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_imports_follow_the_architecture_contracts():
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=300)
    if result.returncode != 0:
        pytest.fail(result.stdout + result.stderr, pytrace=False)
