"""From what a publisher sends to a normalised draft: the three formats an offer may come in.

- `native`: the platform's own shape (domain/normalise.py), also one line of an NDJSON import and,
  flattened, one row of a CSV import;
- `job-posting`: a schema.org JobPosting in JSON-LD, as job boards publish for search engines;
- `ft-v2`: one offer of France Travail's "Offres d'emploi v2" API, as its partners already export.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from services.offers.domain import feeds
from services.offers.domain.model import InvalidOffer, OfferDraft
from services.offers.domain.normalise import normalise
from services.offers.service.native import checked_native
from services.offers.service.policy import Publisher

NATIVE, JOB_POSTING, FT_V2 = "native", "job-posting", "ft-v2"
FORMATS = (NATIVE, JOB_POSTING, FT_V2)
_CONVERTERS: dict[str, tuple[str, Callable[[Mapping], dict[str, Any]]]] = {
    JOB_POSTING: ("schema.org JobPosting", feeds.from_job_posting),
    FT_V2: ("France Travail Offres d'emploi v2 offer", feeds.from_ft_offre_v2),
}


def to_native(document: Any, format_: str) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise InvalidOffer([{"field": "body", "message": "an offer is a JSON object"}])
    if format_ == NATIVE:
        return checked_native(document)
    label, convert = _CONVERTERS[format_]
    try:
        return convert(document)
    except InvalidOffer:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a feed mapper meeting the unexpected
        raise InvalidOffer([{"field": "body", "message": f"not a {label} the platform can read ({exc})"}]) from exc


def draft_of(document: Any, format_: str, publisher: Publisher) -> OfferDraft:
    """Normalised and checked against what this publisher may publish (raises InvalidOffer, Forbidden)."""
    draft = normalise(publisher.prefill(to_native(document, format_)), source=publisher.source)
    publisher.check(draft)
    return draft
