from services.core.migrations import run_env
from services.notifications.adapters import orm  # noqa: F401  (registers the tables on the metadata)

run_env()
