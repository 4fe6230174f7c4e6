"""The orientation service: `uvicorn --factory services.orientation.app:create_app`."""
from __future__ import annotations

from services.core.app import create_service_app
from services.core.db import utcnow
from services.core.referentials.geo import default_geo
from services.core.scheduler import PeriodicJob
from services.core.settings import ServiceSettings
from services.orientation.adapters.files import load_directory
from services.orientation.api import me_routes
from services.orientation.api.appointment_routes import router as appointment_router
from services.orientation.api.routes import router
from services.orientation.consumers import consumer_specs
from services.orientation.service.appointments import AppointmentService
from services.orientation.service.handlers import OrientationService
from services.orientation.service.unit_of_work import transactions

DESCRIPTION = """Orientation of every registered person from criteria set collectively (a national
referential completed per département, versioned as data): pathway, referent organisation and
intensity, with the rule that decided in plain words. RSA recipients are oriented under the
département's authority; a giratoire interview settles unclear cases; the first appointment is
booked in the referent's slots, with reminders."""


def create_app(settings: ServiceSettings | None = None):
    settings = settings or ServiceSettings.from_env("orientation")
    app = create_service_app(settings, title="Orientation API", description=DESCRIPTION,
                             routers=[router, appointment_router, me_routes.router])
    platform = app.state.platform
    orientation = OrientationService(directory=load_directory(), geo=default_geo(), clock=utcnow)
    appointments = AppointmentService(clock=utcnow)
    app.state.orientation, app.state.appointments = orientation, appointments
    platform.add_consumers(consumer_specs(orientation, platform.outbox))
    units = transactions(platform.db, platform.outbox)
    platform.add_job(PeriodicJob("orientation-fallbacks", 60, lambda now: orientation.apply_overdue_fallbacks(units, now)))
    platform.add_job(PeriodicJob("appointment-reminders", 60, lambda now: appointments.send_due_reminders(units, now)))
    return app
