from datetime import datetime, timezone

from services.core.events import Envelope, SchemaRegistry
from services.core.settings import REPO_ROOT
from services.notifications.tests.builders import cancelled_data, contact_data, moved_data, reminder_data
from services.orientation.published import APPOINTMENT_CANCELLED, APPOINTMENT_MOVED, APPOINTMENT_REMINDER_DUE
from services.registration.published import CONTACT_CHANGED

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")


def test_the_builders_make_events_their_schemas_accept():
    data = reminder_data(starts_at=datetime(2026, 12, 10, 13, 30, tzinfo=timezone.utc))
    SCHEMAS.validate(Envelope(APPOINTMENT_REMINDER_DUE.name, "orientation", data["person_id"], data).to_dict())
    contact = contact_data(data["person_id"], email=None, opted_out=("sms",))
    SCHEMAS.validate(Envelope(CONTACT_CHANGED.name, "registration", data["person_id"], contact).to_dict())
    moment = datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc)
    for event_type, changed in ((APPOINTMENT_CANCELLED, cancelled_data(data, at=moment)),
                                (APPOINTMENT_MOVED, moved_data(data, to=moment.replace(day=12), at=moment))):
        SCHEMAS.validate(Envelope(event_type.name, "orientation", data["person_id"], changed).to_dict())
