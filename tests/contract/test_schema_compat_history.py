"""Every change ever made to schemas/*.json is backward compatible with the schemas before it: each
commit against its parent, and the working tree against HEAD. The check covers the whole history,
which had no breaking change when it was introduced; it needs a clone with full history, as CI has."""
from __future__ import annotations

import subprocess

import pytest

from services.core.schema_compat import SCHEMAS_DIR, breaking_files, schemas_at, schemas_in_tree
from services.core.settings import REPO_ROOT


def schema_commits() -> list[tuple[str, str]]:
    """(commit, first parent) of each commit that touched the schemas; the root commit has no parent."""
    log = subprocess.run(["git", "log", "--format=%H %P", "--", SCHEMAS_DIR], cwd=REPO_ROOT, check=True,
                         capture_output=True, text=True).stdout
    return [(commit, parents[0]) for commit, *parents in map(str.split, log.splitlines()) if parents]


@pytest.mark.parametrize("commit, parent", schema_commits(), ids=lambda rev: rev[:10])
def test_a_commit_changes_the_schemas_compatibly(commit, parent):
    assert breaking_files(schemas_at(parent), schemas_at(commit)) == []


def test_the_working_tree_changes_the_schemas_compatibly():
    assert breaking_files(schemas_at("HEAD"), schemas_in_tree()) == []
