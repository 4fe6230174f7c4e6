"""Examples of the webhooks contract."""
from __future__ import annotations

ENDPOINT_ID = "bf219479-dab9-5d08-8010-f0a7a3918652"  # resource_id("departement-44", CREATE_KEY)
CREATE_KEY = "create-webhook-rsa-44"
PAUSE_KEY = "pause-webhook-rsa-44"
RESUME_KEY = "resume-webhook-rsa-44"
ROTATE_KEY = "rotate-webhook-rsa-44"
TEST_KEY = "test-webhook-rsa-44"
REPLAY_KEY = "replay-webhook-rsa-44"
DELIVERY_ID = "msg_0193a6f2c1e87b3d9f2a4c5e6b7d8e9f"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ENDPOINT_IN = {"url": "https://rsa.loire-atlantique.example/webhooks/france-travail",
               "event_types": ["registration.person.registered.v2", "orientation.decision.made.v1"],
               "filter": {"departements": ["44"]}, "technical_contact": "dsi-rsa@loire-atlantique.example",
               "description": "Logiciel RSA du département"}
ENDPOINT = {"id": ENDPOINT_ID, **ENDPOINT_IN, "filter": {"departements": ["44"], "offer_publishers": []},
            "state": "active", "state_reason": None, "version": 1, "created_at": "2026-12-07T09:00:00Z"}
PAUSED = {**ENDPOINT, "state": "paused", "state_reason": "owner", "version": 2}
CREATED = {**ENDPOINT, "secret": SECRET}
PATCH = {"event_types": ["registration.person.registered.v2", "dossier.contract.signed.v1"]}
PAGE = {"items": [ENDPOINT], "next_cursor": None}
ROTATED = {"secret": "whsec_k7Qw1lJmT2x9bN4cV8rY3uE6oP0aS5dF", "previous_valid_until": "2026-12-08T09:00:00Z"}
# A test event whose receiver could not be reached: retried 5 seconds later, with the same webhook-id.
DELIVERY = {"id": DELIVERY_ID, "event_type": "webhooks.endpoint.test.v1", "subject": ENDPOINT_ID, "status": "pending",
            "attempts": 1, "next_attempt_at": "2026-12-07T09:01:05Z", "last_status_code": None,
            "created_at": "2026-12-07T09:01:00Z", "finished_at": None, "replay_of": None, "attempt_log": [
                {"number": 1, "attempted_at": "2026-12-07T09:01:00Z", "status_code": None,
                 "error": "ConnectError: [Errno -2] Name or service not known", "duration_ms": 4}]}
DELIVERY_PAGE = {"items": [DELIVERY], "next_cursor": None}
REPLAY_IN = {"since": "2026-01-01T00:00:00Z"}
REPLAYED = {"deliveries": [DELIVERY_ID]}
CHANGE = {"specversion": "1.0", "id": "0193a6f2-c1e8-7b3d-9f2a-4c5e6b7d8e9f", "type": "registration.person.registered.v2",
          "source": "/v1/webhooks", "subject": "8d3e2f6a-1b4c-4d5e-9f70-a1b2c3d4e5f6", "time": "2026-12-07T09:01:00Z",
          "datacontenttype": "application/json", "data": {
              "subject_id": "8d3e2f6a-1b4c-4d5e-9f70-a1b2c3d4e5f6", "changed": ["registration"],
              "link": "/v1/registrations/8d3e2f6a-1b4c-4d5e-9f70-a1b2c3d4e5f6", "sequence": 1}}
CHANGE_PAGE = {"items": [CHANGE], "next_cursor": "WzEyXQ"}
