"""Settings from the environment: which periodic jobs a process runs."""
from services.core.settings import ServiceSettings


def test_every_job_runs_unless_jobs_names_some(monkeypatch):
    monkeypatch.delenv("JOBS", raising=False)
    assert ServiceSettings.from_env("offers").runs_job("offer-imports")
    monkeypatch.setenv("JOBS", "offer-search-index, offer-expiry")
    settings = ServiceSettings.from_env("offers")
    assert settings.runs_job("offer-expiry") and not settings.runs_job("offer-imports")
    monkeypatch.setenv("JOBS", "")
    assert not ServiceSettings.from_env("offers").runs_job("offer-imports")  # a process with no jobs
