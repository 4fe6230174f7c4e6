"""The ROME reference (Répertoire opérationnel des métiers et des emplois) and the assignment of a
ROME code to an offer that came without one.

The shipped `referentials/rome.csv` is a subset: about 150 of the 532 fiches, the ones most job
offers fall into, each with its official label and a handful of appellations (job titles as
employers write them, both genders). A deployment loads the complete official files instead with
`RomeReference.from_official_files`, or once for all with:

    python -m services.offers.domain.rome import <directory of the official files> <out.csv>

and points the service at the CSV written (same columns as the shipped one).

Assignment matches the title and the description against every label and appellation. Each
phrase is scored by the share of its words found, words weighted by rarity across fiches ("agent"
or "technicien" say little, "cariste" says everything). The title decides and the description
confirms: confidence = title coverage x (0.75 + 0.25 x description coverage), so a description
alone never assigns a code, a full title match is worth at least 0.75 and reaches 1.0 when the
description speaks of the same trade. Below the threshold the offer gets no code and its sender
is asked for one.
"""
from __future__ import annotations

import csv
import json
import math
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from services.core.official_codes import ROME_CODE
from services.offers.domain.model import RomeAssignment
from services.offers.domain.text import terms

SHIPPED = Path(__file__).resolve().parent.parent / "referentials" / "rome.csv"
CODE = re.compile(ROME_CODE)

TITLE_SHARE = 0.75
# A full match of an appellation in the title passes; two thirds of one ("employé polyvalent"
# for "employé polyvalent de magasin") passes only when the description agrees.
THRESHOLD = 0.5
# When two fiches match the title equally well, neither is sure: the confidence is cut.
TIE_PENALTY = 0.8


@dataclass(frozen=True)
class RomeEntry:
    code: str
    label: str
    appellations: tuple[str, ...]


@dataclass(frozen=True)
class _Phrase:
    code: str
    terms: frozenset[str]
    weight: float  # sum of the rarity of its terms


class RomeReference:
    def __init__(self, entries: Iterable[RomeEntry]) -> None:
        self._entries = {entry.code: entry for entry in entries}
        phrases: list[tuple[str, frozenset[str]]] = []
        for entry in self._entries.values():
            for text in (entry.label, *entry.appellations):
                words = frozenset(terms(text))
                if words:
                    phrases.append((entry.code, words))
        # Rarity (inverse document frequency) of a word across fiches, not across phrases: a word
        # repeated in the appellations of one fiche is still specific to it.
        fiches_of: dict[str, set[str]] = {}
        for code, words in phrases:
            for word in words:
                fiches_of.setdefault(word, set()).add(code)
        total = max(len(self._entries), 1)
        self._idf = {word: math.log(1 + total / len(codes)) for word, codes in fiches_of.items()}
        self._phrases_of: dict[str, list[_Phrase]] = {}
        for code, words in phrases:
            phrase = _Phrase(code, words, sum(self._idf[w] for w in words))
            for word in words:
                self._phrases_of.setdefault(word, []).append(phrase)

    @classmethod
    def default(cls) -> "RomeReference":
        """The shipped subset, read once per process."""
        return _shipped()

    @classmethod
    def from_csv(cls, path: str | Path) -> "RomeReference":
        """A file in the shipped format: columns code, label, appellations ("|"-separated)."""
        with Path(path).open(encoding="utf-8-sig", newline="") as file:
            return cls(
                RomeEntry(row["code"], row["label"], tuple(a for a in row["appellations"].split("|") if a))
                for row in csv.DictReader(file)
            )

    @classmethod
    def from_official_files(cls, path: str | Path) -> "RomeReference":
        """The complete ROME from France Travail's open-data files, as found in `path`.

        France Travail publishes the ROME (data.gouv.fr "Répertoire Opérationnel des Métiers et
        des Emplois (ROME)", and francetravail.io "ROME 4.0 - open data") as a zip of files
        named with their version, in CSV (``RefRomeCsv``) or JSON (``RefRomeJson``):

        - ``unix_referentiel_code_rome_v460_utf8.csv`` (or ``..._v461.json``): one row per fiche,
          columns ``code_rome`` and ``libelle_rome``;
        - ``unix_referentiel_appellation_v460_utf8.csv`` (or ``.json``): one row per
          appellation, columns ``code_rome`` (``code_rome_parent`` in some versions) and
          ``libelle_appellation_long`` / ``libelle_appellation_court``.

        Any version number is accepted; CSV separators (comma or semicolon) are detected; column
        names are matched without regard to case. The "arborescence" file (domains and
        sub-domains) is not needed. Both files are required: `FileNotFoundError` otherwise.
        """
        directory = Path(path)
        fiches = _rows(_find(directory, "referentiel_code_rome"))
        labels: dict[str, str] = {}
        for row in fiches:
            code, label = _pick(row, "code_rome"), _pick(row, "libelle_rome", "libelle")
            if code and label and CODE.fullmatch(code):
                labels[code] = label
        appellations: dict[str, list[str]] = {code: [] for code in labels}
        for row in _rows(_find(directory, "referentiel_appellation")):
            code = _pick(row, "code_rome", "code_rome_parent")
            title = _pick(row, "libelle_appellation_court", "libelle_appellation_long", "libelle")
            if code in appellations and title:
                appellations[code].append(title)
        return cls(RomeEntry(code, labels[code], tuple(appellations[code])) for code in sorted(labels))

    def to_csv(self, path: str | Path) -> None:
        with Path(path).open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, quoting=csv.QUOTE_ALL)
            writer.writerow(["code", "label", "appellations"])
            for entry in self._entries.values():
                writer.writerow([entry.code, entry.label, "|".join(entry.appellations)])

    def get(self, code: str) -> RomeEntry | None:
        return self._entries.get(code.strip().upper())

    def __contains__(self, code: str) -> bool:
        return self.get(code) is not None

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[RomeEntry]:
        return list(self._entries.values())

    def given(self, code: str) -> RomeAssignment | None:
        """The assignment for a code the source gave, or None if the reference does not know it."""
        entry = self.get(code)
        return RomeAssignment(entry.code, entry.label, 1.0, "given") if entry else None

    def assign(self, title: str, description: str = "") -> RomeAssignment | None:
        """The most likely ROME for an offer, or None when no fiche is likely enough."""
        title_scores = self._coverage(set(terms(title)))
        if not title_scores:
            return None  # the description alone never suffices
        description_scores = self._coverage(set(terms(description))) if description else {}
        ranked = sorted(
            (
                title_cov * (TITLE_SHARE + (1 - TITLE_SHARE) * description_scores.get(code, (0.0, 0.0))[0]),
                title_matched,
                code,
            )
            for code, (title_cov, title_matched) in title_scores.items()
        )
        score, matched, code = ranked[-1]
        if len(ranked) > 1 and ranked[-2][0] == score and ranked[-2][1] == matched:
            score *= TIE_PENALTY  # two fiches fit exactly as well: say so through the confidence
        if score < THRESHOLD:
            return None
        entry = self._entries[code]
        return RomeAssignment(entry.code, entry.label, round(min(score, 1.0), 3), "inferred")

    def _coverage(self, words: set[str]) -> dict[str, tuple[float, float]]:
        """Per fiche, the best phrase: (share of its weight found in `words`, weight found)."""
        found: dict[_Phrase, float] = {}
        for word in words:
            for phrase in self._phrases_of.get(word, ()):
                found[phrase] = found.get(phrase, 0.0) + self._idf[word]
        best: dict[str, tuple[float, float]] = {}
        for phrase, matched in found.items():
            candidate = (matched / phrase.weight, matched)
            if candidate > best.get(phrase.code, (0.0, 0.0)):
                best[phrase.code] = candidate
        return best


@lru_cache(maxsize=1)
def _shipped() -> RomeReference:
    return RomeReference.from_csv(SHIPPED)


def _find(directory: Path, stem: str) -> Path:
    for pattern in (f"*{stem}*.csv", f"*{stem}*.json"):
        matches = sorted(directory.glob(pattern))
        if matches:
            return matches[-1]  # the highest version when several are present
    raise FileNotFoundError(f"no ROME file matching *{stem}*.csv or .json in {directory}")


def _rows(path: Path) -> list[dict[str, str]]:
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        return [{k.lower(): v for k, v in row.items() if isinstance(v, str)} for row in data]
    with path.open(encoding="utf-8-sig", newline="") as file:
        sample = file.read(4096)
        file.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=",;|\t")
        return [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
                for row in csv.DictReader(file, dialect=dialect)]


def _pick(row: dict[str, str], *names: str) -> str:
    for name in names:
        if row.get(name):
            return row[name].strip()
    return ""


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "import":
        print("usage: python -m services.offers.domain.rome import <official files directory> <out.csv>",
              file=sys.stderr)
        return 2
    reference = RomeReference.from_official_files(argv[1])
    reference.to_csv(argv[2])
    print(f"{len(reference)} ROME fiches written to {argv[2]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
