"""The indicators service publishes no event: its output is the open data and the API."""
from __future__ import annotations
