"""Reading a published contract's examples, and sending them as they are."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import httpx


def operations(contract: dict[str, Any]) -> list[tuple[str, str]]:
    return [(method, path) for path, ops in contract["paths"].items() if path.startswith("/v1/") for method in ops]


def parameter_example(parameter: dict[str, Any]) -> Any | None:
    """FastAPI writes `examples=[…]` into the parameter's schema; OpenAPI also allows them on it."""
    if "example" in parameter:
        return parameter["example"]
    if parameter.get("examples"):
        return next(iter(parameter["examples"].values()))["value"]
    return (parameter.get("schema", {}).get("examples") or [None])[0]


def body_example(op: dict[str, Any]) -> Any | None:
    """The JSON body example, else the first example of another media type (an NDJSON or CSV upload)."""
    return documented_body(op)[1]


def documented_body(op: dict[str, Any]) -> tuple[str | None, Any | None]:
    """The media type of the body example and the example (JSON first)."""
    content = op.get("requestBody", {}).get("content", {})
    for media in sorted(content, key=lambda media: media != "application/json"):
        documented = content[media].get("examples") or {}
        if documented:
            return media, next(iter(documented.values()))["value"]
        if "example" in content[media]:
            return media, content[media]["example"]
    return None, None


def success(op: dict[str, Any]) -> tuple[int, Any | None]:
    """The documented success status and its response example."""
    status = next(code for code in op["responses"] if code.startswith("2"))
    return int(status), successes(op)[int(status)]


def successes(op: dict[str, Any]) -> dict[int, Any | None]:
    """Every documented success status (e.g. 201 created, 200 merged) with its response example."""
    return {int(code): answer.get("content", {}).get("application/json", {}).get("example")
            for code, answer in op["responses"].items() if code.startswith("2")}


def key_paths(value: Any, prefix: str = "") -> set[str]:
    """Every key of a JSON document as a dotted path (list items merged under `[]`), values aside.
    Keys holding null are left out: FastAPI drops null values from the examples it publishes."""
    if isinstance(value, dict):
        return {path for key, item in value.items() if item is not None
                for path in {prefix + key} | key_paths(item, f"{prefix}{key}.")}
    if isinstance(value, list):
        return set().union(*(key_paths(item, f"{prefix}[].") for item in value))
    return set()


def documented_parameters(op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The operation's parameter examples by place: {"path": {...}, "query": {...}, "header": {...}}."""
    places: dict[str, dict[str, Any]] = defaultdict(dict)
    for parameter in op.get("parameters", []):
        if (value := parameter_example(parameter)) is not None:
            places[parameter["in"]][parameter["name"]] = value
    return places


def send_example(api: httpx.Client, contract: dict[str, Any], method: str, path: str) -> httpx.Response:
    """Send the operation's documented example as it is; the answer has the documented status and shape."""
    op = contract["paths"][path][method]
    parameters = documented_parameters(op)
    url = path.format(**parameters["path"])
    media, body = documented_body(op)
    if media is None or media == "application/json" or not isinstance(body, str):
        answer = api.request(method.upper(), url, params=parameters["query"], headers=parameters["header"], json=body)
    else:  # a file (NDJSON, CSV) is sent as the text it is, with its media type
        answer = api.request(method.upper(), url, params=parameters["query"], content=body.encode(),
                             headers={**parameters["header"], "Content-Type": media})
    documented_answers = successes(op)
    assert answer.status_code in documented_answers, f"{method.upper()} {url}: {answer.status_code} {answer.text}"
    example = documented_answers[answer.status_code]
    answered, documented = key_paths(answer.json()), key_paths(example)
    assert answered == documented, (f"{method.upper()} {url}: the body differs from the example: only answered "
                                    f"{sorted(answered - documented)}, only documented {sorted(documented - answered)}")
    return answer
