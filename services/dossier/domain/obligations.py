"""A signed contract's obligations as the referential types them (issue 12): the common base for
everyone registered, those of the person's pathway, and the ones agreed with the referent
(`typed_obligations`), each with its due dates and, for reporting changes, its frequency for the
person's public (monthly for jobseekers, quarterly for RSA recipients). The free-text `obligations`
stay as they were, readable; only the typed ones are published."""
from __future__ import annotations

from typing import Any

from services.core.referentials.obligations import obligations


def signed_obligations(contract: dict[str, Any], pathway: str | None, public: str) -> dict[str, Any]:
    referential = obligations()
    agreed = contract.get("typed_obligations", [])
    base = [o.code for o in referential.base(pathway)]

    def item(code: str, due_dates: list[str]) -> dict[str, Any]:
        obligation = referential.get(code)
        return {"code": code, "scope": obligation.scope, "due_dates": due_dates, "every": obligation.every.get(public)}

    # A base obligation the contract dates gets its dates; the others agreed (several individual
    # actions, say) follow, each as agreed.
    dated = {a["code"]: a.get("due_dates", []) for a in agreed if a["code"] in base}
    return {"referential_version": referential.version,
            "items": [item(code, dated.get(code, [])) for code in base]
                     + [item(a["code"], a.get("due_dates", [])) for a in agreed if a["code"] not in base]}
