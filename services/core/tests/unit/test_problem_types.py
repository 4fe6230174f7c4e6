"""The problem type catalogue documents every slug the code can answer with."""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from services.core.problem_types import PROBLEM_TYPES
from services.core.problems import Problem
from services.core.settings import REPO_ROOT

# What Starlette and FastAPI answer by themselves (a body they cannot parse, no route, a wrong
# method), turned into a problem whose slug comes from the status.
FRAMEWORK_STATUSES = (400, 404, 405)


def production_sources() -> Iterator[Path]:
    for root in ("services", "gateway"):
        yield from (path for path in (REPO_ROOT / root).rglob("*.py") if "tests" not in path.parts)


def slugs_in(tree: ast.AST) -> Iterator[str]:
    """`slug="…"` given to a call, `slug = "…"` in a class, and the status-derived slug of a
    `Problem(<status>, …)` that names none."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)
                        and any(isinstance(t, ast.Name) and t.id == "slug" for t in statement.targets)):
                    yield statement.value.value
        if isinstance(node, ast.Call):
            slug = next((k.value for k in node.keywords if k.arg == "slug"), None)
            if isinstance(slug, ast.Constant):
                yield slug.value
            is_problem = isinstance(node.func, ast.Name) and node.func.id == "Problem"
            if is_problem and slug is None and node.args and isinstance(node.args[0], ast.Constant):
                yield Problem(node.args[0].value, "").slug


def test_the_scan_sees_each_way_code_names_a_slug():
    code = '''
class SeatsGone(Conflict):
    slug = "seats-gone"
raise Problem(409, "taken", slug="slot-taken")
raise NotFound("no such thing", slug="no-such-thing")
raise Problem(500, "boom")
'''
    assert sorted(slugs_in(ast.parse(code))) == ["internal-server-error", "no-such-thing", "seats-gone", "slot-taken"]


def test_every_slug_the_code_can_produce_is_in_the_catalogue():
    produced = {slug for path in production_sources() for slug in slugs_in(ast.parse(path.read_text()))}
    produced |= {Problem(status, "").slug for status in FRAMEWORK_STATUSES}
    assert len(produced) > 20  # the scan found the platform's refusals, not nothing
    assert produced - PROBLEM_TYPES.keys() == set(), "add these problem types to services/core/problem_types.py"
    assert PROBLEM_TYPES.keys() - produced == set(), "no code answers with these any more: remove them"


def test_each_problem_type_says_what_happened_and_how_to_fix_it():
    for slug, problem in PROBLEM_TYPES.items():
        assert problem.slug == slug and 400 <= problem.status < 600
        assert problem.title and problem.description.endswith(".") and problem.fix.endswith(".")
