"""Real tokens for tests: the gateway's own issuer and the demo partners of partners.yaml."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from gateway.partners import Partner, load_partners
from gateway.tokens import SigningKey, TokenIssuer
from services.core.settings import REPO_ROOT, TOKEN_AUDIENCE

PARTNERS_FILE = REPO_ROOT / "deploy" / "local" / "partners.yaml"


@lru_cache(maxsize=None)
def demo_partners() -> dict[str, Partner]:
    return load_partners(PARTNERS_FILE)


class TestTokens:
    def __init__(self, key_file: Path, issuer: str = "http://127.0.0.1:8000") -> None:
        self.issuer = TokenIssuer(SigningKey(key_file), issuer, TOKEN_AUDIENCE)

    def headers(self, client_id: str, scopes: set[str] | None = None, **extra: str) -> dict[str, str]:
        partner = demo_partners()[client_id]
        token = self.issuer.issue(partner, frozenset(scopes) if scopes is not None else partner.scopes)
        return {"Authorization": f"Bearer {token}", **extra}

    def person_headers(self, person_id: str, **extra: str) -> dict[str, str]:
        """A person's own token, as the gateway issues it after an OpenID Connect login."""
        return {"Authorization": f"Bearer {self.issuer.issue_person(person_id)}", **extra}
