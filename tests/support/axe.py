"""axe-core (tests/e2e/axe/, installed by its install.sh, which `make test` runs) over a page in the
browser: the personal space and the indicators' dashboards are checked with the same rules."""
from __future__ import annotations

import pytest

from services.core.settings import REPO_ROOT

AXE = REPO_ROOT / "tests" / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page) -> list[dict]:
    """axe-core's WCAG 2.x A/AA rules and best practices over the page as it is drawn."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed: run {AXE.parents[2] / 'install.sh'}")
    # Through the DevTools protocol: the page's policy (scripts from its own files only) rightly refuses
    # an injected <script>.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    results = page.evaluate("""() => axe.run(document, {resultTypes: ['violations']})""")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results["violations"] if v["impact"] in ("serious", "critical")]
