"""The Arazzo runner (tests/support/arazzo.py) on a fake API in process (httpx.MockTransport): what it
sends, what it checks, how it retries and how it says what failed. The real runs are against the
platform (test_workflows.py)."""
from __future__ import annotations

import json

import httpx
import pytest
import yaml

from tests.support.arazzo import ArazzoRunner, WorkflowFailed
from tests.support.arazzo_expressions import Context, condition_holds

CONTRACT = {
    "openapi": "3.1.0", "info": {"title": "Pets", "version": "1"},
    "paths": {
        "/pets": {"post": {"operationId": "addPet"}},
        "/pets/{pet_id}": {"get": {"operationId": "readPet"}},
    },
}


def document(steps: list[dict], **workflow) -> dict:
    return {"arazzo": "1.0.1", "info": {"title": "t", "version": "1"},
            "sourceDescriptions": [{"name": "pets", "url": "pets.yaml", "type": "openapi"}],
            "workflows": [{"workflowId": "adopt", "steps": steps, **workflow}]}


ADD = {"stepId": "add", "operationId": "$sourceDescriptions.pets.addPet",
       "parameters": [{"name": "Authorization", "in": "header", "value": "Bearer {$inputs.token}"}],
       "requestBody": {"contentType": "application/json", "payload": {"name": "$inputs.name", "tags": ["x"]}},
       "successCriteria": [{"condition": "$statusCode == 201"}],
       "outputs": {"petId": "$response.body#/id", "etag": "$response.header.ETag"}}
READ = {"stepId": "read", "operationId": "readPet",
        "parameters": [{"name": "pet_id", "in": "path", "value": "$steps.add.outputs.petId"},
                       {"name": "view", "in": "query", "value": "full"}],
        "successCriteria": [{"condition": "$statusCode == 200"},
                            {"condition": "$response.body#/status == 'adopted'"}],
        "outputs": {"status": "$response.body#/status"}}


def runner(tmp_path, doc: dict, handler) -> tuple[ArazzoRunner, list[float]]:
    (tmp_path / "pets.yaml").write_text(yaml.safe_dump(CONTRACT), encoding="utf-8")
    path = tmp_path / "adopt.arazzo.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    slept: list[float] = []
    client = httpx.Client(base_url="http://platform.test", transport=httpx.MockTransport(handler))
    return ArazzoRunner(path, client, sleep=slept.append), slept


def pets_api(statuses: list[str] | None = None, seen: list[httpx.Request] | None = None):
    statuses = list(statuses or ["adopted"])

    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        if request.method == "POST":
            return httpx.Response(201, json={"id": "p 1", **json.loads(request.content)}, headers={"ETag": '"1"'})
        status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
        return httpx.Response(404 if status == "missing" else 200, json={"status": status})
    return handle


def test_a_workflow_sends_its_steps_with_substituted_values_and_returns_its_outputs(tmp_path):
    seen: list[httpx.Request] = []
    doc = document([ADD, READ], outputs={"pet": "$steps.add.outputs.petId", "status": "$steps.read.outputs.status"})
    run, _ = runner(tmp_path, doc, pets_api(seen=seen))
    outputs = run.run("adopt", {"token": "t0k", "name": "Rex"})
    assert outputs == {"pet": "p 1", "status": "adopted"}
    post, get = seen
    assert post.headers["Authorization"] == "Bearer t0k" and json.loads(post.content) == {"name": "Rex", "tags": ["x"]}
    assert get.url.raw_path == b"/pets/p%201?view=full"


def test_a_criterion_that_does_not_hold_fails_the_workflow_naming_step_criterion_and_answer(tmp_path):
    run, _ = runner(tmp_path, document([ADD, READ]), pets_api(["lost"]))
    with pytest.raises(WorkflowFailed) as failed:
        run.run("adopt", {"token": "t", "name": "Rex"})
    message = str(failed.value)
    assert "workflow adopt step read" in message and "$response.body#/status == 'adopted'" in message
    assert "answered 200" in message and '"lost"' in message


def test_a_retry_action_polls_until_the_criteria_hold(tmp_path):
    waiting = {**READ, "onFailure": [{"name": "wait", "type": "retry", "retryAfter": 0.5, "retryLimit": 5,
                                      "criteria": [{"condition": "$statusCode == 404"}]}]}
    run, slept = runner(tmp_path, document([ADD, waiting]), pets_api(["missing", "missing", "adopted"]))
    assert run.run("adopt", {"token": "t", "name": "Rex"}) == {}
    assert slept == [0.5, 0.5]


def test_retries_stop_at_their_limit_and_when_their_criteria_do_not_match(tmp_path):
    waiting = {**READ, "onFailure": [{"name": "wait", "type": "retry", "retryAfter": 1, "retryLimit": 2,
                                      "criteria": [{"condition": "$statusCode == 404"}]}]}
    run, slept = runner(tmp_path, document([ADD, waiting]), pets_api(["missing"]))
    with pytest.raises(WorkflowFailed, match="still after 2 retries"):
        run.run("adopt", {"token": "t", "name": "Rex"})
    assert slept == [1, 1]
    run, slept = runner(tmp_path, document([ADD, waiting]), pets_api(["lost"]))
    with pytest.raises(WorkflowFailed, match="step read"):
        run.run("adopt", {"token": "t", "name": "Rex"})
    assert slept == []


def test_inputs_are_checked_against_their_schema_and_defaults_filled(tmp_path):
    schema = {"type": "object", "required": ["token"],
              "properties": {"token": {"type": "string"}, "name": {"type": "string", "default": "Médor"}}}
    seen: list[httpx.Request] = []
    run, _ = runner(tmp_path, document([ADD], inputs=schema), pets_api(seen=seen))
    with pytest.raises(WorkflowFailed, match="inputs refused: 'token' is a required property"):
        run.run("adopt", {})
    run.run("adopt", {"token": "t"})
    assert json.loads(seen[0].content)["name"] == "Médor"


def test_an_unknown_operation_or_an_unsupported_criterion_is_refused_not_skipped(tmp_path):
    run, _ = runner(tmp_path, document([{**ADD, "operationId": "$sourceDescriptions.pets.sellPet"}]), pets_api())
    with pytest.raises(WorkflowFailed, match="no operation .*sellPet"):
        run.run("adopt", {"token": "t", "name": "Rex"})
    jsonpath = {**ADD, "successCriteria": [{"context": "$response.body", "condition": "$.id", "type": "jsonpath"}]}
    run, _ = runner(tmp_path, document([jsonpath]), pets_api())
    with pytest.raises(WorkflowFailed, match="step add: criterion `\\$.id`: criterion type jsonpath unsupported"):
        run.run("adopt", {"token": "t", "name": "Rex"})


def test_replacements_and_regex_criteria(tmp_path):
    seen: list[httpx.Request] = []
    step = {**ADD, "requestBody": {"payload": "$inputs.pet",
                                   "replacements": [{"target": "/owner/name", "value": "$inputs.owner"}]},
            "successCriteria": [{"context": "$response.body#/owner/name", "condition": "^Ca", "type": "regex"}]}
    run, _ = runner(tmp_path, document([step]), pets_api(seen=seen))
    run.run("adopt", {"token": "t", "pet": {"name": "Rex", "owner": {"name": "?"}}, "owner": "Camille"})
    assert json.loads(seen[0].content) == {"name": "Rex", "owner": {"name": "Camille"}}


@pytest.mark.parametrize(("condition", "holds"), [
    ("$statusCode == 200", True), ("$statusCode != 200", False), ("$statusCode >= 200 && $statusCode < 300", True),
    ("$response.body#/items/1/n > 1.5", True), ("$response.body#/flag == true", True),
    ("$response.body#/none == null", True), ("!($response.body#/flag == true) || $inputs.x == 'a b'", True),
    ("$response.body#/missing == 'x'", False), ("$response.body#/missing != 'x'", False),
    ("$response.body#/name == 'l\\'a'", True), ("$response.header.ETag == '\"3\"'", True),
])
def test_simple_conditions(condition, holds):
    answer = httpx.Response(200, json={"items": [{"n": 1}, {"n": 2}], "flag": True, "none": None, "name": "l'a"},
                            headers={"ETag": '"3"'}, request=httpx.Request("GET", "http://x/"))
    assert condition_holds(condition, Context(inputs={"x": "a b"}, response=answer)) is holds


def test_goto_and_end_actions(tmp_path):
    # A failed read goes back to the publication once; a successful one ends the workflow early.
    seen: list[httpx.Request] = []
    read = {**READ, "onFailure": [{"name": "again", "type": "goto", "stepId": "add"}],
            "onSuccess": [{"name": "done", "type": "end"}]}
    never = {**READ, "stepId": "never"}
    run, _ = runner(tmp_path, document([ADD, read, never]), pets_api(["lost", "adopted"], seen=seen))
    run.run("adopt", {"token": "t", "name": "Rex"})
    assert [request.method for request in seen] == ["POST", "GET", "POST", "GET"]
