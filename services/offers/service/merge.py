"""One clean offer out of several copies: the canonical offer keeps its primary source's words and
takes from the other copies only what it lacks (a salary, hours, a duration, dates, a SIRET).

Kept out of the domain's dedup module on purpose: which copy wins is a catalogue policy, and the
deduplication only says whether two copies are the same job.
"""
from __future__ import annotations

from dataclasses import fields, replace

from services.offers.domain.model import Employer, OfferDraft

FILLABLE = ("contract_duration_months", "weekly_hours", "starts_on", "ends_on", "url")


def enrich(canonical: OfferDraft, other: OfferDraft) -> OfferDraft:
    changes = {name: getattr(other, name) for name in FILLABLE
               if getattr(canonical, name) is None and getattr(other, name) is not None}
    if canonical.salary.mid_yearly_eur is None and other.salary.mid_yearly_eur is not None:
        changes["salary"] = other.salary
    if canonical.employer.siret is None and other.employer.siret is not None:
        changes["employer"] = Employer(other.employer.siret, canonical.employer.name)
    return replace(canonical, **changes) if changes else canonical


def changed_fields(before: OfferDraft, after: OfferDraft) -> list[str]:
    """Names of the fields that differ (source bookkeeping aside)."""
    ignored = {"source", "source_offer_id"}
    return [f.name for f in fields(OfferDraft) if f.name not in ignored and getattr(before, f.name) != getattr(after, f.name)]
