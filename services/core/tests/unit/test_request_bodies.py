"""Request bodies keep JSON's types as published, and dates stay within what UTC can hold."""
from __future__ import annotations

from datetime import date, datetime, timezone

import jsonschema
import pytest
from pydantic import TypeAdapter, ValidationError

from services.core.http import Date, DateTime, RequestBody, visible_text


class Situation(RequestBody):
    rsa_recipient: bool = False
    children: int = 0
    available_from: Date | None = None
    held_at: DateTime | None = None


def test_json_values_of_the_published_types_are_read():
    body = Situation.model_validate({"rsa_recipient": True, "children": 2, "available_from": "2026-12-01",
                                     "held_at": "2026-11-23T09:30:00+01:00"})
    assert body.available_from == date(2026, 12, 1)
    assert body.held_at == datetime(2026, 11, 23, 8, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("field, value", [
    ("rsa_recipient", 1), ("rsa_recipient", "true"), ("children", "2"), ("children", 2.5),
    ("children", True), ("available_from", "2026-12-01T00:00:00Z"), ("available_from", 20261201),
    ("held_at", "1700000000"), ("held_at", "0001-01-01T00:01:01+03:02"), ("unknown", "x"),
])
def test_a_value_of_another_json_type_is_refused(field, value):
    with pytest.raises(ValidationError):
        Situation.model_validate({field: value})


class Household(RequestBody):
    situation: Situation
    allowance_eur: float | None = None


def test_an_integral_number_is_an_integer_as_json_schema_says():
    household = Household.model_validate({"situation": {"children": 2.0}, "allowance_eur": 600.0})
    assert type(household.situation.children) is int and household.situation.children == 2
    assert type(household.allowance_eur) is float


def test_date_time_alone_also_refuses_epoch_numbers_in_query_strings():
    with pytest.raises(ValidationError):
        TypeAdapter(DateTime).validate_python("0.5")


@pytest.mark.parametrize("blank", [" ", "\x0b", "\x85 ", "\u3000\t"])
def test_blank_text_is_refused_by_the_model_and_by_its_published_schema(blank):
    text = TypeAdapter(visible_text(20))
    with pytest.raises(ValidationError):
        text.validate_python(blank)
    assert not jsonschema.Draft202012Validator(text.json_schema()).is_valid(blank)


def test_visible_text_is_trimmed_and_its_schema_takes_it():
    text = TypeAdapter(visible_text(20))
    assert text.validate_python("  Agrément PMI ") == "Agrément PMI"
    assert jsonschema.Draft202012Validator(text.json_schema()).is_valid("  Agrément PMI ")
