"""The catalogue of offers: ingest (one offer or a batch), legality check, deduplication, search.

Ingesting a draft, once assessed (`assess`: its legality findings and dedup fingerprint, computed
apart from the database, in a helper process for bulk imports):
1. A known (source, source_offer_id) is a re-send: the source's copy is updated, and the canonical
   offer too when this source is its primary one (checked again, published or quarantined anew).
2. Otherwise the legality findings decide. A blocking finding quarantines the offer as its own
   canonical offer: not distributed, not deduplicated (a clean copy elsewhere must not hide
   behind it).
3. A clean offer is compared with the published offers sharing a blocking key (and with the
   offers of the same batch; on PostgreSQL, the keys are locked first so that two transactions
   never miss each other's copies): the same job becomes one more source of that canonical
   offer, which gains what it lacked (salary, hours, dates) and says so with an `updated` event.
   A new job becomes a canonical offer of its own, published with its warnings.

A batch is written with a handful of statements whatever its size; handlers never commit.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.core import ids
from services.core.db import Database, utcnow
from services.core.outbox import Outbox
from services.core.uow import OutboxEvents
from services.offers.adapters.orm import OfferRow, OfferSourceRow
from services.offers.adapters.repository import OfferRepository, offer_of, store_state
from services.offers.adapters.search import SearchQuery, SearchResult, search
from services.offers.adapters.search_index import SearchIndex
from services.offers.domain import dedup, legality
from services.offers.domain.model import Finding, OfferDraft
from services.offers.domain.offer import Offer, OfferStatus
from services.offers.service.events import publish
from services.offers.service.merge import changed_fields, enrich
from services.offers.service.policy import Publisher

CREATED, UPDATED, MERGED, UNCHANGED = "created", "updated", "merged", "unchanged"


@dataclass
class IngestOutcome:
    offer_id: str
    outcome: str  # created | updated | merged | unchanged
    status: OfferStatus
    findings: list[Finding]


@dataclass(frozen=True)
class Assessed:
    """A draft with what its ingest needs that depends on nothing stored: its legality findings and
    its dedup fingerprint. The CPU-bound part of an ingest, so bulk imports compute it apart
    (service/imports.py: in a helper process) while the previous batch is written."""

    draft: OfferDraft
    findings: list[Finding]
    fingerprint: dedup.Fingerprint


def assess(draft: OfferDraft) -> Assessed:
    return Assessed(draft, legality.check(draft), dedup.fingerprint(draft))


@dataclass(eq=False)
class _Plan:
    """One new draft on its way into the catalogue."""

    draft: OfferDraft
    findings: list[Finding]
    fingerprint: Any
    offer_id: str
    target: tuple[int, str] | None = None  # (seq, id) of an existing canonical offer it duplicates
    target_plan: "_Plan | None" = None  # a new canonical offer of the same batch it duplicates
    similarity: float | None = None
    merged: list["_Plan"] = field(default_factory=list)
    seq: int | None = None
    document: dict[str, Any] = field(default_factory=dict)  # draft.to_dict(), computed once

    @property
    def blocking(self) -> bool:
        return legality.is_blocking(self.findings)

    @property
    def canonical(self) -> bool:
        return self.target is None and self.target_plan is None

    @property
    def status(self) -> OfferStatus:
        return OfferStatus.after_check(self.findings)


class OfferCatalog:
    def __init__(self, outbox: Outbox, index: SearchIndex, clock: Callable[[], datetime] = utcnow) -> None:
        self.outbox = outbox
        self.index = index
        self.clock = clock

    # -- search --------------------------------------------------------------------------------
    def search(self, db: Database, query: SearchQuery) -> SearchResult:
        """Over every write committed before the call: what is queued for the index is indexed first."""
        self.index.catch_up(db)
        with db.reading() as session:
            return search(session, self.index.searcher(), query)

    # -- ingest --------------------------------------------------------------------------------
    def ingest_many(self, session: Session, offers: Sequence[Assessed], publisher: Publisher,
                    new_id: Callable[[OfferDraft], str] | None = None) -> list[IngestOutcome]:
        """Ingest assessed drafts in the caller's transaction; one outcome per draft, in order."""
        new_id = new_id or (lambda _: ids.new_id())
        repo = OfferRepository(session)
        known = repo.sources_by_key((o.draft.source, o.draft.source_offer_id) for o in offers)
        outcomes: dict[int, IngestOutcome] = {}
        fresh: dict[tuple[str, str], tuple[int, Assessed]] = {}
        resent: list[tuple[int, OfferDraft]] = []
        for position, offer in enumerate(offers):
            key = (offer.draft.source, offer.draft.source_offer_id)
            if key in known or key in fresh:
                resent.append((position, offer.draft))  # an update, applied after this batch's creations
            else:
                fresh[key] = (position, offer)
        plans = [_Plan(o.draft, o.findings, o.fingerprint, new_id(o.draft)) for _, o in fresh.values()]
        self._deduplicate(repo, plans)
        self._create(repo, session, plans, publisher)
        for (position, _), plan in zip(fresh.values(), plans):
            outcomes[position] = _outcome_of(plan)
        if resent:
            known = repo.sources_by_key((d.source, d.source_offer_id) for _, d in resent)
            for position, draft in resent:
                outcomes[position] = self._resend(repo, session, known[(draft.source, draft.source_offer_id)], draft)
        return [outcomes[position] for position in range(len(offers))]

    def _deduplicate(self, repo: OfferRepository, plans: list[_Plan]) -> None:
        clean = [p for p in plans if not p.blocking]
        every_key = [key for p in clean for key in p.fingerprint.blocking_keys]
        repo.lock_keys(every_key)
        candidates = repo.published_under(every_key)
        parsed: dict[int, Any] = {}
        batch: dict[str, list[_Plan]] = {}
        for plan in clean:
            keys = plan.fingerprint.blocking_keys
            found = {seq: (seq, offer_id, text) for key in keys for seq, offer_id, text in candidates.get(key, ())}
            for seq, offer_id, text in found.values():
                other = parsed.get(seq) or parsed.setdefault(seq, dedup.Fingerprint.loads(text))
                if dedup.same_job(plan.fingerprint, other):
                    plan.target, plan.similarity = (seq, offer_id), dedup.similarity(plan.fingerprint, other)
                    break
            else:
                twins = (p for key in keys for p in batch.get(key, ()))
                twin = next((p for p in twins if dedup.same_job(plan.fingerprint, p.fingerprint)), None)
                if twin is None:
                    for key in keys:
                        batch.setdefault(key, []).append(plan)
                    continue
                plan.target_plan, plan.similarity = twin, dedup.similarity(plan.fingerprint, twin.fingerprint)
                twin.merged.append(plan)

    def _create(self, repo: OfferRepository, session: Session, plans: list[_Plan], publisher: Publisher) -> None:
        now = self.clock()
        canonical = [p for p in plans if p.canonical]
        for plan in canonical:  # a new offer takes from its batch twins what it lacks
            for twin in plan.merged:
                plan.draft = enrich(plan.draft, twin.draft)
        for plan in plans:
            plan.document = plan.draft.to_dict()
        offers = [Offer.new(p.offer_id, publisher.org_id, p.document, p.findings, now) for p in canonical]
        values = [offer_values(p.draft, offer.status, now, p.document) | {
            "id": offer.id, "version": offer.version, "owner_org_id": offer.owner_org_id, "received_at": now,
            "published_at": offer.published_at} for p, offer in zip(canonical, offers)]
        for plan, seq in zip(canonical, repo.add_offers(values)):
            plan.seq = seq
        for plan in plans:
            if plan.target_plan is not None:
                plan.seq, plan.offer_id = plan.target_plan.seq, plan.target_plan.offer_id
            elif plan.target is not None:
                plan.seq, plan.offer_id = plan.target
        repo.add_sources([source_values(p.draft, p.seq, publisher, now, primary=p.canonical, similarity=p.similarity,
                                        document=p.document) for p in plans])
        repo.replace_findings({p.seq: p.findings for p in canonical}, new=True)
        repo.set_fingerprints({p.seq: (p.offer_id, p.fingerprint.dumps()) for p in canonical}, new=True)
        repo.file_under({p.seq: p.fingerprint.blocking_keys for p in canonical if not p.blocking}, new=True)
        publish(OutboxEvents(session, self.outbox),
                [(offer, 1 + len(plan.merged)) for plan, offer in zip(canonical, offers)])
        self._enrich_existing(repo, session, [p for p in plans if p.target is not None], now)

    def _enrich_existing(self, repo: OfferRepository, session: Session, plans: list[_Plan], now: datetime) -> None:
        """Existing canonical offers take what their new copies bring, all of the batch's at once."""
        by_seq: dict[int, list[_Plan]] = {}
        for plan in plans:
            by_seq.setdefault(plan.seq, []).append(plan)
        rewrites: list[tuple[OfferRow, Offer, OfferDraft]] = []
        for row in repo.by_seqs(list(by_seq), for_update=True):
            offer = offer_of(row)
            if offer.status.closed:
                continue  # closed since it was found as a candidate: it takes nothing more
            draft = OfferDraft.from_dict(row.draft)
            enriched = draft
            for plan in by_seq[row.seq]:
                enriched = enrich(enriched, plan.draft)
            changed = changed_fields(draft, enriched)
            if changed:
                offer.enrich(enriched.to_dict(), changed, now)
                rewrites.append((row, offer, enriched))
        self._rewrite(repo, rewrites)
        sources = repo.source_counts([row.seq for row, _, _ in rewrites])
        publish(OutboxEvents(session, self.outbox), [(offer, sources[row.seq]) for row, offer, _ in rewrites])

    # -- re-sends ------------------------------------------------------------------------------
    def _resend(self, repo: OfferRepository, session: Session, source: OfferSourceRow,
                draft: OfferDraft) -> IngestOutcome:
        now = self.clock()
        row = repo.get_by_seq(source.offer_seq, for_update=True)
        offer = offer_of(row)
        if source.draft == draft.to_dict():
            return IngestOutcome(row.id, UNCHANGED, offer.status, repo.findings_of(row.seq))
        repo.update_source(source.id, {"draft": draft.to_dict(), "url": draft.url, "updated_at": now})
        if offer.status.closed:
            return IngestOutcome(row.id, UPDATED, offer.status, repo.findings_of(row.seq))
        if not source.primary:
            return self._resend_secondary(repo, session, row, offer, draft, now)
        for other in repo.sources_of(row.seq):  # what other copies brought stays
            if not other.primary:
                draft = enrich(draft, OfferDraft.from_dict(other.draft))
        findings = legality.check(draft)
        offer.recheck(draft.to_dict(), findings, changed_fields(OfferDraft.from_dict(row.draft), draft), now)
        self._rewrite(repo, [(row, offer, draft)], findings=findings)
        publish(OutboxEvents(session, self.outbox), [(offer, len(repo.sources_of(row.seq)))])
        return IngestOutcome(row.id, UPDATED, offer.status, findings)

    def _resend_secondary(self, repo: OfferRepository, session: Session, row: OfferRow, offer: Offer,
                          draft: OfferDraft, now: datetime) -> IngestOutcome:
        current = OfferDraft.from_dict(row.draft)
        enriched = enrich(current, draft)
        changed = changed_fields(current, enriched)
        if changed and offer.status is OfferStatus.PUBLISHED:
            offer.enrich(enriched.to_dict(), changed, now)
            self._rewrite(repo, [(row, offer, enriched)])
            publish(OutboxEvents(session, self.outbox), [(offer, len(repo.sources_of(row.seq)))])
        return IngestOutcome(row.id, MERGED, offer.status, repo.findings_of(row.seq))

    def _rewrite(self, repo: OfferRepository, rewrites: Sequence[tuple[OfferRow, Offer, OfferDraft]],
                 findings: list[Finding] | None = None) -> None:
        """Canonical offers take their aggregate's new content and status; blocking keys and findings
        follow (`findings`: of a single rewritten offer, re-checked)."""
        if not rewrites:
            return
        fingerprints: dict[int, dedup.Fingerprint] = {}
        for row, offer, draft in rewrites:
            fingerprints[row.seq] = dedup.fingerprint(draft)
            for name, value in offer_values(draft, offer.status, offer.updated_at, offer.document).items():
                setattr(row, name, value)
            store_state(row, offer)
        repo.session.flush()
        repo.set_fingerprints({row.seq: (row.id, fingerprints[row.seq].dumps()) for row, _, _ in rewrites}, new=False)
        repo.file_under({row.seq: fingerprints[row.seq].blocking_keys if offer.status is OfferStatus.PUBLISHED else ()
                         for row, offer, _ in rewrites}, new=False)
        if findings is not None:
            repo.replace_findings({row.seq: findings for row, _, _ in rewrites}, new=False)


def offer_values(draft: OfferDraft, status: OfferStatus, now: datetime,
                 document: dict[str, Any] | None = None) -> dict[str, Any]:
    """The canonical offer's columns that follow from its content (`document`: its to_dict())."""
    place, salary = draft.place, draft.salary
    top = salary.max_yearly_eur if salary.max_yearly_eur is not None else salary.min_yearly_eur
    return {
        "status": OfferStatus(status).value, "title": draft.title[:300], "contract_type": draft.contract_type,
        "departement_code": place.departement_code if place else None,
        "commune_code": place.commune_code if place else None, "rome_code": draft.rome.code,
        "latitude": place.latitude if place else None, "longitude": place.longitude if place else None,
        "salary_top_yearly": top, "salary_mid_yearly": salary.mid_yearly_eur,
        "contract_duration_months": draft.contract_duration_months, "weekly_hours": draft.weekly_hours,
        "employer_siret": draft.employer.siret, "accessible": draft.accessible_to_disabled,
        "ends_on": draft.ends_on, "updated_at": now,
        "draft": document if document is not None else draft.to_dict(),
    }


def source_values(draft: OfferDraft, seq: int, publisher: Publisher, now: datetime, *, primary: bool,
                  similarity: float | None, document: dict[str, Any]) -> dict[str, Any]:
    return {"offer_seq": seq, "source": draft.source, "source_offer_id": draft.source_offer_id,
            "publisher_org_id": publisher.org_id, "url": draft.url, "primary": primary, "similarity": similarity,
            "draft": document, "received_at": now, "updated_at": now}


def _outcome_of(plan: _Plan) -> IngestOutcome:
    if plan.canonical:
        return IngestOutcome(plan.offer_id, CREATED, plan.status, plan.findings)
    return IngestOutcome(plan.offer_id, MERGED, OfferStatus.PUBLISHED, plan.findings)
