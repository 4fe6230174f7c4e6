"""The personal space page is the gateway's own files: French, under a same-origin-only policy, and
nothing in it names another host, so it works on an isolated network."""
from __future__ import annotations

import re

from gateway.personal_space import FILES

OTHER_HOST = re.compile(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)


def test_the_page_is_french_and_same_origin_only(gateway_for):
    with gateway_for() as gateway:
        page = gateway.get("/espace-personnel/")
        assert page.status_code == 200 and '<html lang="fr">' in page.text
        policy = page.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        # The logout form's redirect to the identity provider (the local one's origin by default).
        assert "form-action 'self' http://127.0.0.1:8090;" in f"{policy};"
        for asset in ("render.js", "espace.js", "espace.css"):
            served = gateway.get(f"/espace-personnel/assets/{asset}")
            assert served.status_code == 200 and served.text == (FILES / asset).read_text(encoding="utf-8")
        assert gateway.get("/espace-personnel", follow_redirects=False).headers["location"] == "/espace-personnel/"


def test_nothing_in_the_page_names_another_host():
    for path in FILES.iterdir():
        assert not OTHER_HOST.search(path.read_text(encoding="utf-8")), path.name


def test_every_change_the_page_sends_says_it_comes_from_the_personal_space():
    script = (FILES / "espace.js").read_text(encoding="utf-8")
    assert 'const WRITE_HEADERS = { "X-Requested-With": "personal-space" };' in script
    assert 'credentials: "same-origin"' in script
