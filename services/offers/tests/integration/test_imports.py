"""Bulk deposit: NDJSON and CSV files processed in the background; a bad line is reported with its
line number and never sinks the file; a file that cannot be read is refused at once."""
import json
import time
from concurrent.futures.process import BrokenProcessPool
from datetime import timedelta

import pytest

from services.core.db import utcnow
from services.offers.api import examples
from services.offers.service import imports as imports_module
from services.offers.tests.integration.conftest import BOARD, EMPLOYER, offer

pytestmark = pytest.mark.integration


def ndjson(*documents) -> str:
    return "".join((d if isinstance(d, str) else json.dumps(d, ensure_ascii=False)) + "\n" for d in documents)


def test_an_ndjson_file_is_imported_line_by_line(offers):
    file = ndjson(offer(source_offer_id="L1"),
                  offer(source_offer_id="L2", **{"place.commune_code": "99999"}),
                  "{not json",
                  "",
                  offer(source_offer_id="L4", title="Cariste (H/F)", rome_code="N1101",
                        description="Conduite de chariot en entrepôt.", **{"place.commune_code": "49007"}),
                  offer(source_offer_id="L5", description=offer()["description"] + " Âge maximum : 25 ans."),
                  offer(source_offer_id="L1"))  # the first line again: unchanged
    answer = offers.upload(file, "application/x-ndjson")
    assert answer.status_code == 202, answer.text
    assert answer.json()["status"] == "queued" and answer.json()["lines_total"] == 6
    job = offers.finished_import(answer.headers["Location"])
    assert job["status"] == "completed", job
    assert {name: job[name] for name in ("lines_done", "created", "quarantined", "unchanged", "rejected")} == {
        "lines_done": 6, "created": 2, "quarantined": 1, "unchanged": 1, "rejected": 2}
    assert [(e["line"], e["errors"][0]["field"]) for e in job["errors"]] == [(2, "place.commune_code"), (3, "line")]
    assert offers.search(q="cariste")["total"] == 1


def test_a_csv_file_with_its_header(offers):
    header = "source_offer_id,title,description,employer_name,employer_siret,commune_code,contract_type,salary_min,salary_period\n"
    rows = ('C1,Boulanger (H/F),"Pains et viennoiseries, au fournil.",Boulangerie Nantaise,44781234800012,44109,CDI,1900,month\n'
            'C2,Vendeur (H/F),Vente en boutique.,Boulangerie Nantaise,44781234800012,44109,CDI,beaucoup,month\n'
            'C3,Vendeur (H/F),Vente en boutique.,Boulangerie Nantaise\n')
    answer = offers.upload(header + rows, "text/csv; charset=utf-8")
    assert answer.status_code == 202, answer.text
    job = offers.finished_import(answer.headers["Location"])
    assert (job["created"], job["rejected"]) == (1, 2)
    assert [(e["line"], e["errors"][0]["field"]) for e in job["errors"]] == [(3, "salary_min"), (4, "line")]
    [item] = offers.search(q="boulanger")["items"]
    assert item["salary"]["min_yearly_eur"] == 22800


def test_feed_formats_line_by_line(offers):
    answer = offers.upload(ndjson(examples.JOB_POSTING), "application/x-ndjson", format="job-posting")
    job = offers.finished_import(answer.headers["Location"])
    assert (job["created"], job["rejected"]) == (1, 0), job


def test_an_employer_import_keeps_to_its_siret(offers):
    file = ndjson(offer(source_offer_id="E1"), offer(source_offer_id="E2", **{"employer.siret": "52314567000015"}))
    answer = offers.upload(file, "application/x-ndjson", client=EMPLOYER)
    job = offers.finished_import(answer.headers["Location"], client=EMPLOYER)
    assert (job["created"], job["rejected"]) == (1, 1)
    assert job["errors"] == [{"line": 2, "errors": [{"field": "employer.siret", "message": job["errors"][0]["errors"][0]["message"]}]}]
    assert offers.get(answer.headers["Location"], BOARD).status_code == 404  # another publisher's import


@pytest.mark.parametrize("content, media_type, status", [
    ("title,description\nx,y\n", "application/x-ndjson", 422),  # not JSON lines
    ("\n\n", "application/x-ndjson", 422),  # no offer at all
    ("titre,texte\nx,y\n", "text/csv", 422),  # a header of unknown columns
    ("", "text/csv", 422),
    (b"\xff\xfe\x00garbage", "application/x-ndjson", 422),
    ('{"title": "x"}\n', "application/pdf", 415),
])
def test_a_file_that_cannot_be_read_is_refused_at_once(offers, content, media_type, status):
    answer = offers.upload(content, media_type)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json" and answer.json()["detail"]


def test_a_csv_holds_native_offers_only(offers):
    answer = offers.upload("title\nx\n", "text/csv", format="ft-v2")
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "format"


def test_the_same_file_with_the_same_key_is_imported_once(offers):
    file = ndjson(offer(source_offer_id="K1"))
    first = offers.service.post("/v1/offers/imports", content=file, headers=offers.headers(
        BOARD, **{"Content-Type": "application/x-ndjson", "Idempotency-Key": "import-1"}))
    again = offers.service.post("/v1/offers/imports", content=file, headers=offers.headers(
        BOARD, **{"Content-Type": "application/x-ndjson", "Idempotency-Key": "import-1"}))
    assert first.status_code == again.status_code == 202 and first.json()["id"] == again.json()["id"]
    other = offers.service.post("/v1/offers/imports", content=ndjson(offer(source_offer_id="K2")), headers=offers.headers(
        BOARD, **{"Content-Type": "application/x-ndjson", "Idempotency-Key": "import-1"}))
    assert other.status_code == 409


def test_imports_may_exceed_the_platform_body_limit_other_deposits_may_not(offers):
    line = json.dumps(offer(description="Pains. " * 300), ensure_ascii=False)  # ~2 KiB an offer
    file = "".join(line.replace('"BN-2026-0042"', f'"big-{n}"') + "\n" for n in range(600))
    assert len(file.encode()) > 1_048_576
    answer = offers.upload(file, "application/x-ndjson")
    assert answer.status_code == 202, answer.text
    assert answer.json()["lines_total"] == 600
    job = offers.finished_import(answer.headers["Location"])
    assert (job["lines_done"], job["created"], job["merged"]) == (600, 1, 599)  # the same job 600 times
    too_big = offers.publish(offer(description="Pains. " * 200_000))
    assert too_big.status_code == 413 and too_big.headers["content-type"] == "application/problem+json"


@pytest.fixture
def small_batches(offers, monkeypatch):
    """Batches of two records, and a helper process for any file: what a big file goes through."""
    imports = offers.service.app.state.imports
    monkeypatch.setattr(imports, "batch_size", 2)
    monkeypatch.setattr(imports, "helper_from", 1)
    return imports


def test_a_big_file_is_prepared_in_a_helper_process_with_the_same_outcome(offers, small_batches):
    file = ndjson(offer(source_offer_id="H1"), "{not json",
                  offer(source_offer_id="H2", **{"place.commune_code": "99999"}),
                  offer(source_offer_id="H3", title="Cariste (H/F)", rome_code="N1101",
                        description="Conduite de chariot en entrepôt.", **{"place.commune_code": "49007"}),
                  offer(source_offer_id="H4", description=offer()["description"] + " Âge maximum : 25 ans."),
                  offer(source_offer_id="H1"))
    job = offers.finished_import(offers.upload(file, "application/x-ndjson").headers["Location"])
    assert {name: job[name] for name in ("status", "lines_done", "created", "quarantined", "unchanged", "rejected")} == {
        "status": "completed", "lines_done": 6, "created": 2, "quarantined": 1, "unchanged": 1, "rejected": 2}
    assert [(e["line"], e["errors"][0]["field"]) for e in job["errors"]] == [(2, "line"), (3, "place.commune_code")]
    assert offers.search(q="cariste")["total"] == 1


def test_a_job_whose_helper_process_died_resumes_where_it_stopped(offers, small_batches, monkeypatch):
    def dies_after_one_batch(work, batches):
        yield work(next(batches))
        raise BrokenProcessPool("the helper process was killed")

    monkeypatch.setattr(imports_module, "prepared_ahead", dies_after_one_batch)
    file = ndjson(*(offer(source_offer_id=f"R{n}", title=f"Boulanger {n} (H/F)", description=f"Poste {n}. " * 30)
                    for n in range(5)))
    location = offers.upload(file, "application/x-ndjson").headers["Location"]
    job = wait_until(lambda: offers.get(location, BOARD).json(), lambda job: job["lines_done"] == 2)
    assert job["status"] == "running"  # not failed: the file is still there to resume from
    monkeypatch.undo()
    small_batches.run_pending(utcnow() + imports_module.STALE_AFTER + timedelta(seconds=1))
    job = offers.get(location, BOARD).json()
    # Each record ingested once: one a second time would count as unchanged.
    assert (job["status"], job["lines_done"], job["created"] + job["merged"], job["unchanged"]) == ("completed", 5, 5, 0)


def wait_until(read, done, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not done(value := read()):
        assert time.monotonic() < deadline, value
        time.sleep(0.1)
    return value
