"""Import files: received as a stream onto the spool, checked, then read back record by record.

The spool is a directory (OFFERS_SPOOL_DIR, default `$DATA_DIR/offers-imports`); with several
replicas it is a volume they share, so whichever replica picks the job reads the file. Records are
numbered by the line they start on, as a person opening the file would count.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

from services.core.errors import RuleBroken
from services.core.settings import REPO_ROOT
from services.offers.adapters.csv_offers import csv_header_errors

NDJSON, CSV = "ndjson", "csv"
MEDIA_TYPES = {"application/x-ndjson": NDJSON, "application/ndjson": NDJSON, "application/jsonl": NDJSON,
               "application/json-lines": NDJSON, "text/csv": CSV}


def spool_dir() -> Path:
    default = Path(os.environ.get("DATA_DIR", REPO_ROOT / ".data")) / "offers-imports"
    return Path(os.environ.get("OFFERS_SPOOL_DIR", default))


@dataclass(frozen=True)
class Spooled:
    path: Path
    sha256: str
    size: int


class BadFile(RuleBroken):
    """The file as a whole cannot be read (not NDJSON, a CSV without its header, not UTF-8)."""

    slug = "bad-import-file"

    def __init__(self, reason: str) -> None:
        super().__init__(f"The file cannot be imported: {reason}.", errors=[{"field": "body", "message": reason}])


async def receive(stream: AsyncIterator[bytes], directory: Path | None = None) -> Spooled:
    directory = directory or spool_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{uuid.uuid4()}.upload"
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("wb") as out:
            async for chunk in stream:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Spooled(path, digest.hexdigest(), size)


def count_records(path: Path, kind: str) -> int:
    """Check the file can be read as `kind` and count its records; raises BadFile."""
    try:
        return sum(1 for _ in records(path, kind))
    except UnicodeDecodeError as exc:
        raise BadFile(f"the file is not UTF-8 text (byte {exc.start})") from exc
    except csv.Error as exc:
        raise BadFile(f"the CSV cannot be read: {exc}") from exc


def records(path: Path, kind: str, skip: int = 0) -> Iterator[tuple[int, str | dict]]:
    """(line, record) pairs: the raw text of an NDJSON line, or a CSV row as a dict."""
    reader = _ndjson if kind == NDJSON else _csv
    with path.open("r", encoding="utf-8-sig", newline="") as text:
        for position, item in enumerate(reader(text)):
            if position >= skip:
                yield item


def _ndjson(text: io.TextIOBase) -> Iterator[tuple[int, str]]:
    first = True
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        if first:
            first = False
            try:
                json.loads(line)
            except ValueError as exc:
                raise BadFile(f"line {number} is not JSON: this is not an NDJSON file (one JSON offer per line)") from exc
        yield number, line


def _csv(text: io.TextIOBase) -> Iterator[tuple[int, dict]]:
    reader = csv.reader(text)
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise BadFile("the CSV has no header line naming its columns")
    header = [cell.strip() for cell in header]
    problems = csv_header_errors(header)
    if problems:
        raise BadFile("the CSV header cannot be read: " + "; ".join(problems))
    start = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            if len(row) != len(header):
                yield start, {"__error__": f"{len(row)} cells for {len(header)} columns"}
            else:
                yield start, dict(zip(header, row))
        start = reader.line_num + 1
