"""Printed by `make run`: how to call the platform, ready to paste. Writes the example bodies
(the same ones the published contract carries) under .data/examples/."""
from __future__ import annotations

import json
import os

from services.core.settings import REPO_ROOT
from services.dossier.api import examples as dossier_examples
from services.offers.api import examples as offer_examples
from services.registration.api import examples

GATEWAY = "http://127.0.0.1:8000"
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "http://127.0.0.1:8090")
INBOX = f"http://127.0.0.1:{os.environ.get('MAILCATCHER_HTTP_PORT', '1080')}/"


def main() -> None:
    folder = REPO_ROOT / ".data" / "examples"
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in {"registration.json": examples.REGISTRATION_CREATE, "patch.json": examples.REGISTRATION_PATCH,
                       "confirm.json": examples.CONFIRM_BODY, "diagnostic.json": dossier_examples.DIAGNOSTIC_PATCH,
                       "contract.json": dossier_examples.CONTRACT_PATCH, "offer.json": offer_examples.NATIVE}.items():
        (folder / name).write_text(json.dumps(body, indent=2, ensure_ascii=False))
    print(f"""
The platform is up: gateway {GATEWAY} (docs: {GATEWAY}/docs), Kafka 127.0.0.1:9092.

# 1. A token for the demo France Travail agency (client credentials)
TOKEN=$(curl -s {GATEWAY}/oauth/token -d grant_type=client_credentials \\
  -d client_id=ft-agence-nantes -d client_secret=demo-ft-agence-nantes-secret \\
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# 2. Register a person (the Idempotency-Key makes a retry safe)
curl -s -X POST {GATEWAY}/v1/registrations -H "Authorization: Bearer $TOKEN" \\
  -H 'Content-Type: application/json' -H 'Idempotency-Key: {examples.EXAMPLE_IDEMPOTENCY_KEY}' \\
  -d @.data/examples/registration.json

# 3. Read it back
curl -s {GATEWAY}/v1/registrations/{examples.EXAMPLE_REGISTRATION_ID} -H "Authorization: Bearer $TOKEN"

# 4. "Dites-le nous une fois": a CAF opens an RSA right; a pre-registration appears, then confirm it
make demo-caf-fact
curl -s -X POST {GATEWAY}/v1/registrations/{examples.EXAMPLE_PRE_REGISTRATION_ID}/confirm \\
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -H 'If-Match: "1"' \\
  -d @.data/examples/confirm.json

# 5. Offers: an employer publishes once (normalised, checked, merged with board copies), a counsellor
#    searches with facets (accents and plurals folded)
EMPLOYER=$(curl -s {GATEWAY}/oauth/token -d grant_type=client_credentials \
  -d client_id=boulangerie-nantaise -d client_secret=demo-boulangerie-nantaise-secret \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -s -X POST {GATEWAY}/v1/offers -H "Authorization: Bearer $EMPLOYER" \
  -H 'Content-Type: application/json' -d @.data/examples/offer.json
curl -s '{GATEWAY}/v1/offers?q=boulangeres&departement_code=44' -H "Authorization: Bearer $TOKEN"

# 6. The whole journey (orientation, first appointment, diagnostic, contract, who sees what):
#    README.md, "A person's journey, step by step"

# 7. A person's own door: once Camille is registered (step 2), open in a browser
#    {GATEWAY}/auth/login
#    and log in at the demo identity provider (standing in for FranceConnect, {OIDC_ISSUER}) as
#    camille.martin, password demo: the gateway finds her registration and opens her personal space.

# 8. Reminders: the e-mails and SMS the platform sends (48 h and 2 h before a first appointment) land
#    in the local inbox, {INBOX} (nothing leaves this machine)

make stop   # stops the services, the gateway, the identity provider, the mail catcher and Kafka
""")


if __name__ == "__main__":
    main()
