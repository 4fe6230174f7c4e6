"""Near-duplicate detection: the same job posted on several boards becomes one canonical offer.

Two steps, so that ingesting stays cheap:

1. Blocking. An offer is only compared with offers sharing one of its `blocking_keys`: the same
   employer (by SIRET, and by folded name since some boards drop the SIRET), the same commune,
   ROME, contract type and working time. The service indexes each stored fingerprint under every
   key and looks candidates up by every key of the new one.
2. Comparison. `same_job` asks the structured facts to agree (employer, commune, ROME, contract
   type and duration, working time, start date within a month) and the texts to be close: the
   Jaccard similarity of their sets of word pairs, estimated from a bottom-k sketch (the 128
   smallest hashes) so a fingerprint has a bounded size whatever the text length.

Word pairs (shingles of two terms, after folding) survive reordered paragraphs and light edits
(one changed word touches two pairs) but tell apart two texts built from the same boilerplate
with different missions. The title's words are added as single terms, so a reworded title costs
a few elements out of a few hundred.
"""
from __future__ import annotations

import base64
import json
import struct
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from services.offers.domain.model import ANONYMOUS_EMPLOYER, OfferDraft
from services.offers.domain.text import fold, stable_hash, terms

SKETCH_SIZE = 128
# Measured on tests/bench/offers_dataset (seeds 0-2, 180 pairs each): reposts score 0.63 to 1.0
# (reworded title median 0.96, reordered paragraphs 0.92, company presentation left out 0.83,
# sentences edited 0.89, combined edits 0.84); another post of the same trade at the same employer,
# built on the same presentation and conditions, scores 0.37-0.76 (median 0.52, 90 % below 0.63).
# At 0.6 on labelled_duplicates seeds 0-4: precision 0.95-0.99, recall 0.99-1.0. Other branches,
# jobs, employers and contracts never get this far: their structured facts differ.
SAME_JOB_THRESHOLD = 0.6
START_DATE_TOLERANCE_DAYS = 31
FORMAT_VERSION = 1

# Legal forms and filler words that boards add or drop around an employer's name.
_NAME_NOISE = frozenset("""
sa sas sasu sarl eurl sci snc scop scic selarl sel gie eirl ei ets etablissement etablissements
societe ste groupe group cie compagnie france the le la les l de du des d et
""".split())
_TITLE_SALT = 0x5BD1E995
_ANONYMOUS = " ".join(fold(ANONYMOUS_EMPLOYER).split())
_MASK = 0xFFFFFFFF


@dataclass(frozen=True)
class Fingerprint:
    blocking_key: str  # primary: SIRET (else folded name) | commune | ROME | contract type | working time
    name_key: str  # folded employer name | the same: links boards with and without SIRET
    siret: str | None
    employer_name: str  # folded, legal form removed
    commune_code: str | None
    rome_code: str
    contract_type: str | None
    duration_months: int | None
    working_time: str
    starts_on: date | None
    signature: tuple[int, ...]  # sorted bottom-k hashes of the text's shingles

    @property
    def sketch(self) -> frozenset[int]:
        """The signature as a set, built on first use and kept: a new offer is compared with up to
        dozens of candidates (which need none: they are compared as tuples)."""
        try:
            return self.__dict__["_sketch"]
        except KeyError:
            sketch = self.__dict__["_sketch"] = frozenset(self.signature)
            return sketch

    @property
    def blocking_keys(self) -> tuple[str, ...]:
        """Every key to index this fingerprint under, and to look candidates up by."""
        return (self.blocking_key,) if self.blocking_key == self.name_key else (self.blocking_key, self.name_key)

    def dumps(self) -> str:
        return json.dumps({
            "v": FORMAT_VERSION, "k": self.blocking_key, "n": self.name_key, "s": self.siret,
            "e": self.employer_name, "c": self.commune_code, "r": self.rome_code, "t": self.contract_type,
            "d": self.duration_months, "w": self.working_time,
            "b": self.starts_on.isoformat() if self.starts_on else None,
            "h": base64.b64encode(struct.pack(f"<{len(self.signature)}I", *self.signature)).decode(),
        }, separators=(",", ":"))

    @classmethod
    def loads(cls, data: str) -> "Fingerprint":
        raw = json.loads(data)
        if raw.get("v") != FORMAT_VERSION:
            raise ValueError(f"fingerprint format {raw.get('v')} is not {FORMAT_VERSION}: recompute it")
        packed = base64.b64decode(raw["h"])
        return cls(
            blocking_key=raw["k"], name_key=raw["n"], siret=raw["s"], employer_name=raw["e"],
            commune_code=raw["c"], rome_code=raw["r"], contract_type=raw["t"], duration_months=raw["d"],
            working_time=raw["w"], starts_on=date.fromisoformat(raw["b"]) if raw["b"] else None,
            signature=struct.unpack(f"<{len(packed) // 4}I", packed),
        )


def fingerprint(draft: OfferDraft) -> Fingerprint:
    name = employer_key(draft.employer.name)
    commune = draft.place.commune_code if draft.place else None
    # Contract type and working time must agree anyway (`compatible`): in the key, they keep an
    # employer's other contracts for the same job out of the candidates.
    where_what = f"{commune or '-'}|{draft.rome.code}|{draft.contract_type or '-'}|{draft.working_time}"
    name_key = f"name:{name}|{where_what}"
    return Fingerprint(
        blocking_key=f"siret:{draft.employer.siret}|{where_what}" if draft.employer.siret else name_key,
        name_key=name_key,
        siret=draft.employer.siret,
        employer_name=name,
        commune_code=commune,
        rome_code=draft.rome.code,
        contract_type=draft.contract_type,
        duration_months=draft.contract_duration_months,
        working_time=draft.working_time,
        starts_on=draft.starts_on,
        signature=signature(draft.title, draft.description),
    )


def employer_key(name: str) -> str:
    """"SARL Boulangerie Martin" and "Boulangerie MARTIN" -> "boulangerie martin"."""
    kept = [word for word in fold(name).split() if word not in _NAME_NOISE]
    return " ".join(kept) or " ".join(fold(name).split())


# Hashing a word costs more than looking it up: offers share a vocabulary of a few tens of
# thousands of words, so a bounded cache makes the hashing nearly free.
_HASHES: dict[str, int] = {}
_HASH_CACHE_LIMIT = 200_000


def _hash(word: str) -> int:
    value = _HASHES.get(word)
    if value is None:
        if len(_HASHES) >= _HASH_CACHE_LIMIT:
            _HASHES.clear()
        value = _HASHES[word] = stable_hash(word)
    return value


def signature(title: str, description: str) -> tuple[int, ...]:
    """Bottom-k sketch of the set {title terms} ∪ {pairs of consecutive description terms}."""
    hashes = [_hash(word) for word in terms(description)]
    shingles = {((a * 0x01000193) ^ b) & _MASK for a, b in zip(hashes, hashes[1:])}
    if len(hashes) == 1:
        shingles.add(hashes[0])
    shingles.update((_hash(word) ^ _TITLE_SALT) for word in terms(title))
    return tuple(sorted(shingles)[:SKETCH_SIZE])


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets, in [0, 1]."""
    return sketch_similarity(a.sketch, b.signature)


def sketch_similarity(a: Sequence[int] | frozenset[int], b: Sequence[int], at_least: float = 0.0) -> float:
    """The estimate from two sketches (`b`: distinct hashes, as a signature is), or 0.0 as soon as
    it is known to be below `at_least`."""
    set_a = a if isinstance(a, frozenset) else frozenset(a)
    both = set_a.intersection(b)
    union_size = len(set_a) + len(b) - len(both)
    # The k smallest of the union are a uniform sample of it; the share of the sample found in
    # both sketches estimates |A ∩ B| / |A ∪ B|. Exact when both sets are smaller than k.
    sample_size = min(union_size, SKETCH_SIZE)
    if not both or len(both) < at_least * sample_size:  # at most len(both) of the sample are in both
        return 0.0
    if union_size <= SKETCH_SIZE:
        return len(both) / union_size
    cutoff = sorted(set_a.union(b))[SKETCH_SIZE - 1]
    return sum(1 for h in both if h <= cutoff) / SKETCH_SIZE


def compatible(a: Fingerprint, b: Fingerprint) -> bool:
    """The structured facts allow the two offers to be the same job."""
    if a.siret and b.siret:
        if a.siret != b.siret:
            return False  # another establishment: another branch, another job
    elif a.employer_name != b.employer_name or a.employer_name == _ANONYMOUS:
        return False  # two anonymous offers may come from any two employers
    if a.commune_code != b.commune_code or a.rome_code != b.rome_code:
        return False
    if a.contract_type and b.contract_type and a.contract_type != b.contract_type:
        return False
    if a.duration_months and b.duration_months and a.duration_months != b.duration_months:
        return False
    if a.working_time != b.working_time:
        return False
    if a.starts_on and b.starts_on and abs((a.starts_on - b.starts_on).days) > START_DATE_TOLERANCE_DAYS:
        return False  # the same post opened again for another season is another offer
    return True


def same_job(a: Fingerprint | OfferDraft, b: Fingerprint | OfferDraft,
             threshold: float = SAME_JOB_THRESHOLD) -> bool:
    fa = a if isinstance(a, Fingerprint) else fingerprint(a)
    fb = b if isinstance(b, Fingerprint) else fingerprint(b)
    return compatible(fa, fb) and sketch_similarity(fa.sketch, fb.signature, at_least=threshold) >= threshold
