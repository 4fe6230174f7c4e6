"""Arazzo 1.0 runtime expressions and simple criteria ($statusCode == 201 && $response.body#/status
== 'decided'), evaluated against what a run has seen. Kept apart from the runner so they can be tested
on plain data."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx

# An expression embedded in a string value: "Bearer {$inputs.token}".
EMBEDDED = re.compile(r"\{(\$[^{}]+)\}")
# The tokens of a simple condition: literals, runtime expressions, operators and parentheses.
TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^'\\]|\\.)*')
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<expression>\$[^\s()=!<>&|]+)
  | (?P<operator>==|!=|<=|>=|<|>|&&|\|\||!|\(|\))
  | (?P<word>true|false|null)
)""", re.VERBOSE)
WORDS = {"true": True, "false": False, "null": None}
MISSING = object()


class ExpressionError(ValueError):
    """An expression the runner cannot evaluate: a typo in a document, or a value a step did not give."""


@dataclass
class Context:
    """What expressions may refer to: the workflow's inputs, earlier steps' outputs, and the current
    step's request and response once sent."""
    inputs: dict[str, Any]
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    response: httpx.Response | None = None

    def evaluate(self, expression: str) -> Any:
        name, _, pointer = expression.partition("#")
        head, *path = name.split(".")
        if head == "$statusCode":
            return self._answer().status_code
        if head == "$url":
            return str(self._answer().request.url)
        if head == "$method":
            return self._answer().request.method
        if head == "$inputs":
            value = walk(self.inputs, path, expression)
        elif head == "$steps" and len(path) >= 3 and path[1] == "outputs":
            if path[0] not in self.steps:
                raise ExpressionError(f"{expression}: step {path[0]!r} has not run")
            value = walk(self.steps[path[0]], path[2:], expression)
        elif head == "$response" and path[:1] == ["header"] and len(path) == 2:
            return self._answer().headers.get(path[1])
        elif head == "$response" and path == ["body"]:
            value = self._body()
        else:
            raise ExpressionError(f"unsupported runtime expression {expression}")
        return point(value, pointer, expression) if pointer else value

    def substitute(self, value: Any) -> Any:
        """A value of the document with its runtime expressions replaced: a whole-string expression keeps
        the type of what it names (an object, a number); embedded ones are written into the string."""
        if isinstance(value, dict):
            return {key: self.substitute(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.substitute(item) for item in value]
        if isinstance(value, str) and value.startswith("$") and " " not in value:
            return self.evaluate(value)
        if isinstance(value, str):
            return EMBEDDED.sub(lambda match: str(self.evaluate(match.group(1))), value)
        return value

    def _answer(self) -> httpx.Response:
        if self.response is None:
            raise ExpressionError("no response yet")
        return self.response

    def _body(self) -> Any:
        try:
            return self._answer().json()
        except ValueError:
            return self._answer().text


def walk(value: Any, names: list[str], expression: str) -> Any:
    for name in names:
        if not isinstance(value, dict) or name not in value:
            raise ExpressionError(f"{expression}: no {name!r}")
        value = value[name]
    return value


def point(value: Any, pointer: str, expression: str) -> Any:
    """RFC 6901 JSON pointer ('/current/referent/org_id', '/items/0')."""
    if pointer in ("", "/"):
        return value
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        elif isinstance(value, dict) and token in value:
            value = value[token]
        else:
            raise ExpressionError(f"{expression}: nothing at {pointer}")
    return value


def condition_holds(condition: str, context: Context) -> bool:
    """A simple condition of the Arazzo specification: literals, runtime expressions, comparisons
    (== != < <= > >=), ! && || and parentheses. A runtime expression naming nothing (a field the
    answer lacks) makes its comparison false rather than stopping the run: the criterion fails, named."""
    tokens = tokenize(condition)
    parser = _Parser(tokens, context)
    result = parser.disjunction()
    if parser.position != len(tokens):
        raise ExpressionError(f"cannot parse condition {condition!r}")
    return bool(result)


def tokenize(condition: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(condition.rstrip()):
        match = TOKEN.match(condition, position)
        if not match or match.end() == position:
            raise ExpressionError(f"cannot parse condition {condition!r} at {condition[position:]!r}")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent: disjunction := conjunction (|| conjunction)*; conjunction := negation (&&
    negation)*; negation := ! negation | comparison; comparison := operand (op operand)?"""

    def __init__(self, tokens: list[tuple[str, str]], context: Context) -> None:
        self.tokens, self.context, self.position = tokens, context, 0

    def peek(self) -> str | None:
        return self.tokens[self.position][1] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.position >= len(self.tokens):
            raise ExpressionError("condition ends too early")
        self.position += 1
        return self.tokens[self.position - 1]

    def disjunction(self) -> Any:
        value = self.conjunction()
        while self.peek() == "||":
            self.take()
            right = self.conjunction()
            value = bool(value) or bool(right)
        return value

    def conjunction(self) -> Any:
        value = self.negation()
        while self.peek() == "&&":
            self.take()
            right = self.negation()
            value = bool(value) and bool(right)
        return value

    def negation(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not self.negation()
        return self.comparison()

    def comparison(self) -> Any:
        left = self.operand()
        if self.peek() in ("==", "!=", "<", "<=", ">", ">="):
            operator = self.take()[1]
            return compare(left, operator, self.operand())
        return None if left is MISSING else left

    def operand(self) -> Any:
        kind, text = self.take()
        if text == "(":
            value = self.disjunction()
            if self.take()[1] != ")":
                raise ExpressionError("unbalanced parentheses")
            return value
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if kind == "number":
            return float(text) if "." in text else int(text)
        if kind == "word":
            return WORDS[text]
        if kind == "expression":
            try:
                return self.context.evaluate(text)
            except ExpressionError:
                return MISSING
        raise ExpressionError(f"unexpected {text!r}")


def compare(left: Any, operator: str, right: Any) -> bool:
    if left is MISSING or right is MISSING:
        return False
    if operator == "==":
        return left == right
    if operator == "!=":
        return left != right
    try:
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[operator]
    except TypeError:
        return False
