"""A small runner of Arazzo 1.0 workflow documents (contracts-openapi/workflows/), so that the partner
journeys published there run against the platform in `make test` and can never go stale.

Why not one from a package registry: arazzo-runner 0.9.6 (PyPI, the maintained one) stops on the
contracts' relative OAuth2 token URL, does not resolve the `$sourceDescriptions.<name>.<operationId>`
form the specification requires when a document has several sources, goes on to the next step when
a step's operation is not found and reports the workflow complete, and says "Step failed success
criteria" without naming the criterion.

What it supports: openapi sources (a relative url, read from disk), steps by operationId (qualified or
not), parameters in path, query, header and cookie, request bodies with `payload` and `replacements`,
runtime expressions ($inputs, $steps.<id>.outputs, $statusCode, $response.body#/pointer,
$response.header.<name>, $url, $method) whole or embedded in strings ("Bearer {$inputs.token}"),
successCriteria of type simple and regex (with a context), onSuccess/onFailure actions end, goto and
retry (retryAfter, retryLimit, criteria), step and workflow outputs, inputs validated against their
JSON Schema. Anything else a document uses is refused with a message, never skipped."""
from __future__ import annotations

import re
import time
from urllib.parse import quote
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import yaml

from tests.support.arazzo_expressions import Context, ExpressionError, condition_holds, point

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
QUALIFIED = re.compile(r"^\$sourceDescriptions\.([^.]+)\.(.+)$")


class WorkflowFailed(AssertionError):
    """A step's criteria did not hold (or it could not be sent): names the document, workflow, step and
    criterion, and what the platform answered."""


@dataclass(frozen=True)
class Operation:
    source: str
    method: str
    path: str


def load_document(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not str(document.get("arazzo", "")).startswith("1.0."):
        raise ValueError(f"{path.name}: not an Arazzo 1.0 document")
    return document


class ArazzoRunner:
    """Runs the workflows of one document against `client` (an httpx.Client whose base_url is the
    platform's, standing for the sources' servers). `sleep` is replaceable so tests of the runner
    need not wait for retries."""

    def __init__(self, path: Path, client: httpx.Client, sleep=time.sleep) -> None:
        self.path, self.client, self.sleep = path, client, sleep
        self.document = load_document(path)
        self.operations = self._index_operations()
        self.workflows = {workflow["workflowId"]: workflow for workflow in self.document["workflows"]}

    def run(self, workflow_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
        """The workflow's outputs; WorkflowFailed at the first step whose criteria do not hold."""
        workflow = self.workflows[workflow_id]
        schema = workflow.get("inputs", {"type": "object"})
        # Top-level defaults of the inputs' schema fill what the caller left out ({} decides as proposed).
        defaults = {name: spec["default"] for name, spec in schema.get("properties", {}).items() if "default" in spec}
        inputs = {**defaults, **inputs}
        try:
            jsonschema.validate(inputs, schema)
        except jsonschema.ValidationError as invalid:
            raise WorkflowFailed(f"{self._where(workflow_id)}: inputs refused: {invalid.message}") from None
        context = Context(inputs=inputs)
        self._run_steps(workflow, context)
        context.response = None
        return {name: self._evaluate(context, expression, workflow_id, "outputs")
                for name, expression in workflow.get("outputs", {}).items()}

    def _run_steps(self, workflow: dict[str, Any], context: Context) -> None:
        steps, index, retries = workflow["steps"], 0, {}
        while index < len(steps):
            step = steps[index]
            where = self._where(workflow["workflowId"], step["stepId"])
            failed = self._execute(workflow["workflowId"], step, context)
            action = self._action(step, failed, context, where)
            kind = action["type"] if action else "next"
            if failed and kind not in ("retry", "goto"):  # no action for this failure, or one that ends
                raise WorkflowFailed(failed)
            if kind == "retry" and failed:
                retries[index] = retries.get(index, 0) + 1
                limit = action.get("retryLimit", 1)
                if retries[index] > limit:
                    raise WorkflowFailed(f"{failed} (still after {limit} retries)")
                self.sleep(float(action.get("retryAfter", 0)))
            elif kind == "goto":
                index = self._step_index(workflow, action)
            elif kind == "end":
                return
            elif kind == "next":
                index += 1
            else:
                raise WorkflowFailed(f"{where}: action type {kind} unsupported after a success")

    def _action(self, step: dict[str, Any], failed: str | None, context: Context, where: str) -> dict | None:
        """The first of the step's onFailure (or onSuccess) actions whose criteria all hold."""
        for action in step.get("onFailure" if failed else "onSuccess", []):
            if "reference" in action:
                raise WorkflowFailed(f"{where}: reusable actions are unsupported")
            try:
                if all(self._holds(criterion, context) for criterion in action.get("criteria", [])):
                    return action
            except ExpressionError as error:
                raise WorkflowFailed(f"{where}: action {action.get('name')}: {error}") from None
        return None

    def _execute(self, workflow_id: str, step: dict[str, Any], context: Context) -> str | None:
        """Sends the step; records its outputs and returns None, or what failed."""
        where = self._where(workflow_id, step["stepId"])
        if "operationId" not in step:
            raise WorkflowFailed(f"{where}: only steps by operationId are supported")
        operation = self.operation(step["operationId"], where)
        context.response = None
        try:
            request = self._request(operation, step, context)
        except ExpressionError as error:
            raise WorkflowFailed(f"{where}: {error}") from None
        context.response = self.client.send(request)
        for criterion in step.get("successCriteria", []):
            try:
                holds = self._holds(criterion, context)
            except ExpressionError as error:
                raise WorkflowFailed(f"{where}: criterion `{criterion.get('condition')}`: {error}") from None
            if not holds:
                answer = context.response
                return (f"{where}: criterion `{criterion['condition']}` failed: {request.method} "
                        f"{request.url.path} answered {answer.status_code} {answer.text[:600]}")
        context.steps[step["stepId"]] = {name: self._evaluate(context, expression, workflow_id, step["stepId"])
                                         for name, expression in step.get("outputs", {}).items()}
        return None

    def _request(self, operation: Operation, step: dict[str, Any], context: Context) -> httpx.Request:
        path, query, headers, cookies = operation.path, {}, {}, {}
        for parameter in step.get("parameters", []):
            if "reference" in parameter:
                raise ExpressionError("reusable parameters are unsupported")
            value = context.substitute(parameter["value"])
            where = parameter.get("in")
            if where == "path":
                path = path.replace("{" + parameter["name"] + "}", quote(str(value), safe=""))
            elif where == "query":
                query[parameter["name"]] = value
            elif where == "header":
                headers[parameter["name"]] = str(value)
            elif where == "cookie":
                cookies[parameter["name"]] = str(value)
            else:
                raise ExpressionError(f"parameter {parameter['name']}: 'in' must say where it goes")
        if "{" in path:
            raise ExpressionError(f"{path}: a path parameter has no value")
        body = step.get("requestBody")
        content = None
        if body is not None:
            content = self._payload(body, context)
            headers.setdefault("Content-Type", body.get("contentType", "application/json"))
        return self.client.build_request(operation.method.upper(), path, params=query, headers=headers,
                                         cookies=cookies, json=content)

    @staticmethod
    def _payload(body: dict[str, Any], context: Context) -> Any:
        payload = context.substitute(body.get("payload"))
        for replacement in body.get("replacements", []):
            *parents, last = replacement["target"].lstrip("/").split("/")
            holder = point(payload, "/" + "/".join(parents), replacement["target"]) if parents else payload
            holder[int(last) if isinstance(holder, list) else last] = context.substitute(replacement["value"])
        return payload

    def _holds(self, criterion: dict[str, Any], context: Context) -> bool:
        kind = criterion.get("type", "simple")
        if kind == "simple":
            return condition_holds(criterion["condition"], context)
        if kind == "regex":
            try:
                value = context.evaluate(criterion["context"])
            except ExpressionError:
                return False
            return re.search(criterion["condition"], str(value)) is not None
        raise ExpressionError(f"criterion type {kind} unsupported")

    def _evaluate(self, context: Context, expression: str, workflow_id: str, step_id: str) -> Any:
        try:
            return context.substitute(expression)
        except ExpressionError as error:
            raise WorkflowFailed(f"{self._where(workflow_id, step_id)}: output {error}") from None

    def operation(self, operation_id: str, where: str) -> Operation:
        """The operation a step names, qualified ($sourceDescriptions.<name>.<operationId>) or not."""
        qualified = QUALIFIED.match(operation_id)
        if qualified:
            found = self.operations.get(qualified.groups())
        else:
            matches = [op for (source, op_id), op in self.operations.items() if op_id == operation_id]
            if len(matches) > 1:
                raise WorkflowFailed(f"{where}: {operation_id} is in several sources; qualify it")
            found = matches[0] if matches else None
        if found is None:
            raise WorkflowFailed(f"{where}: no operation {operation_id} in the source descriptions")
        return found

    def _index_operations(self) -> dict[tuple[str, str], Operation]:
        operations = {}
        for source in self.document["sourceDescriptions"]:
            if source.get("type", "openapi") != "openapi":
                raise ValueError(f"{self.path.name}: source {source['name']}: only openapi sources are supported")
            contract = yaml.safe_load((self.path.parent / source["url"]).read_text(encoding="utf-8"))
            for path, item in contract.get("paths", {}).items():
                for method in METHODS:
                    if "operationId" in item.get(method, {}):
                        key = (source["name"], item[method]["operationId"])
                        operations[key] = Operation(source["name"], method, path)
        return operations

    def _step_index(self, workflow: dict[str, Any], action: dict[str, Any]) -> int:
        for index, step in enumerate(workflow["steps"]):
            if step["stepId"] == action.get("stepId"):
                return index
        raise WorkflowFailed(f"{self._where(workflow['workflowId'])}: goto {action.get('stepId')}: no such step")

    def _where(self, workflow_id: str, step_id: str | None = None) -> str:
        return f"{self.path.name} workflow {workflow_id}" + (f" step {step_id}" if step_id else "")
