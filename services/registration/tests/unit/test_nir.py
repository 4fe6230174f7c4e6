import random

import pytest

from services.registration.domain.nir import (
    InvalidNir,
    Nir,
    control_key,
    mask_nir,
    nir_fingerprint,
    parse_nir,
)


def insee_key(body: str) -> str:
    """The key computed with INSEE's own wording of the Corsica rule (A or B read as 0, then
    1,000,000 or 2,000,000 subtracted), independently of the module's 2A->19 / 2B->18 reading."""
    number = int(body.replace("2A", "20").replace("2B", "20"))
    number -= {"2A": 1_000_000, "2B": 2_000_000}.get(body[5:7], 0)
    return f"{97 - number % 97:02d}"


def with_key(body: str) -> str:
    return body + insee_key(body)


def wrong_key(body: str) -> str:
    return body + f"{int(insee_key(body)) % 97 + 1:02d}"


PARIS = "1841275123456"  # man, 1984, December, Paris (75), commune 123, order 456


def test_parses_a_metropolitan_nir():
    nir = parse_nir(with_key(PARIS))
    assert nir.value == with_key(PARIS)
    assert (nir.sex, nir.birth_year_2, nir.birth_month) == ("1", "84", "12")
    assert nir.birth_department == "75"
    assert nir.born_abroad is False


def test_spaces_and_other_whitespace_are_ignored():
    spaced = "1 84 12 75 123 456 " + insee_key(PARIS)
    assert parse_nir(spaced).value == with_key(PARIS)
    assert parse_nir("\u00a0" + with_key(PARIS) + "\n").value == with_key(PARIS)


@pytest.mark.parametrize("department", ["2A", "2B"])
def test_corsica_with_correct_key(department):
    body = "29506" + department + "004012"
    nir = parse_nir(with_key(body))
    assert nir.birth_department == department
    assert nir.value[5:7] == department


def test_corsica_accepted_in_lower_case():
    body = "29506" + "2B" + "033012"
    lower = with_key(body).lower()
    assert parse_nir(lower).value == with_key(body)


def test_both_wordings_of_the_corsica_rule_agree():
    rng = random.Random(20)
    for _ in range(500):
        department = rng.choice(["2A", "2B"])
        body = f"{rng.randrange(10**5):05d}{department}{rng.randrange(10**6):06d}"
        assert f"{control_key(body):02d}" == insee_key(body)


def test_corsica_keys_differ_from_the_undivided_code():
    # The same body read with "20" gives another key: the letter is not ignored.
    assert insee_key("1750120004012") != insee_key("17501" + "2A" + "004012")


def test_overseas_department_takes_three_characters():
    body = "2030597411" + "007"  # Saint-Denis, La Réunion: département 974, commune 11
    nir = parse_nir(with_key(body))
    assert nir.birth_department == "974"
    assert nir.born_abroad is False


def test_guadeloupe_971():
    assert parse_nir(with_key("1920197105" + "321")).birth_department == "971"


def test_born_abroad_with_a_country_code():
    body = "1770799352" + "018"  # 99 then INSEE country code 352 (Algeria)
    nir = parse_nir(with_key(body))
    assert nir.birth_department == "99"
    assert nir.born_abroad is True


@pytest.mark.parametrize("sex", ["1", "2", "7", "8"])
def test_sex_codes_including_provisional_numbers(sex):
    assert parse_nir(with_key(sex + PARIS[1:])).sex == sex


@pytest.mark.parametrize("month", ["01", "12", "20", "30", "31", "42", "50", "99"])
def test_calendar_months_and_insee_codes_for_unknown_months(month):
    assert parse_nir(with_key(PARIS[:3] + month + PARIS[5:])).birth_month == month


@pytest.mark.parametrize(
    "department",
    ["01", "20", "95", "96", "98"],
    ids=["ain", "corsica-before-1976", "val-d-oise", "tunisia-before-independence", "98"],
)
def test_other_accepted_departments(department):
    assert parse_nir(with_key(PARIS[:5] + department + PARIS[7:])).birth_department == department


INVALID = {
    "too short": with_key(PARIS)[:-1],
    "too long": with_key(PARIS) + "1",
    "empty": "",
    "letter in the body": "1841275X23456" + "01",
    "letter in the key": PARIS + "1X",
    "Corsica letter C": "18412" + "2C" + "123456" + "01",
    "non-ASCII digit": "١" + with_key(PARIS)[1:],
    "sex zero": with_key("0" + PARIS[1:]),
    "sex three": with_key("3" + PARIS[1:]),
    "sex nine": with_key("9" + PARIS[1:]),
    "month zero": with_key(PARIS[:3] + "00" + PARIS[5:]),
    "month thirteen": with_key(PARIS[:3] + "13" + PARIS[5:]),
    "month nineteen": with_key(PARIS[:3] + "19" + PARIS[5:]),
    "month forty-three": with_key(PARIS[:3] + "43" + PARIS[5:]),
    "month forty-nine": with_key(PARIS[:3] + "49" + PARIS[5:]),
    "department zero": with_key(PARIS[:5] + "00" + PARIS[7:]),
    "overseas 970": with_key("18412970" + "12" + "456"),
    "overseas 979": with_key("18412979" + "12" + "456"),
    "overseas commune zero": with_key("18412971" + "00" + "456"),
    "commune zero": with_key(PARIS[:7] + "000" + PARIS[10:]),
    "Corsican commune zero": with_key("18412" + "2A" + "000" + "456"),
    "country zero": with_key("1841299" + "000" + "456"),
    "order number zero": with_key(PARIS[:10] + "000"),
    "wrong key": wrong_key(PARIS),
    "key zero": PARIS + "00",
    "Corsica key computed as if 20": "18412" + "2A" + "123456" + insee_key("1841220123456"),
}


@pytest.mark.parametrize("raw", INVALID.values(), ids=INVALID.keys())
def test_each_broken_rule_is_refused(raw):
    with pytest.raises(InvalidNir):
        parse_nir(raw)


@pytest.mark.parametrize("raw", INVALID.values(), ids=INVALID.keys())
def test_error_messages_never_contain_digits(raw):
    # Stricter than "never echo the input": no digit at all, so no part of the number can leak.
    with pytest.raises(InvalidNir) as caught:
        parse_nir(raw)
    assert not any(char.isdigit() for char in str(caught.value))
    assert caught.value.reason in str(caught.value)


def test_invalid_nir_is_a_value_error():
    assert issubclass(InvalidNir, ValueError)


def test_repr_and_str_are_masked():
    nir = parse_nir(with_key(PARIS))
    assert str(nir) == "1 84 ** ** *** *** **"
    assert repr(nir) == "Nir('1 84 ** ** *** *** **')"
    assert nir.value not in repr(nir)
    assert "75123456" not in repr(nir) + str(nir) + repr([nir]) + f"{nir}"


def test_mask_shows_only_sex_and_year():
    assert mask_nir(parse_nir(with_key("2030597411" + "007"))) == "2 03 ** ** *** *** **"


def test_nir_is_immutable():
    nir = parse_nir(with_key(PARIS))
    with pytest.raises(AttributeError):
        nir.value = "x"  # type: ignore[misc]


def test_fingerprint_matches_the_same_person_however_typed():
    secret = b"registration-secret"
    typed = parse_nir("1 84 12 75 123 456 " + insee_key(PARIS))
    compact = parse_nir(with_key(PARIS))
    assert nir_fingerprint(typed, secret) == nir_fingerprint(compact, secret)
    assert len(nir_fingerprint(typed, secret)) == 64


def test_fingerprint_depends_on_the_secret_and_the_person():
    nir = parse_nir(with_key(PARIS))
    other = parse_nir(with_key(PARIS[:10] + "457"))
    assert nir_fingerprint(nir, b"a") != nir_fingerprint(nir, b"b")
    assert nir_fingerprint(nir, b"a") != nir_fingerprint(other, b"a")
    assert nir.value not in nir_fingerprint(nir, b"a")


def test_fingerprint_refuses_an_empty_secret():
    with pytest.raises(ValueError):
        nir_fingerprint(parse_nir(with_key(PARIS)), b"")


def random_valid_body(rng: random.Random) -> str:
    sex = rng.choice("1278")
    year = f"{rng.randrange(100):02d}"
    month = f"{rng.choice([*range(1, 13), *range(20, 43), *range(50, 100)]):02d}"
    place = rng.choice(["metropolitan", "corsica", "overseas", "abroad"])
    if place == "metropolitan":
        place_code = f"{rng.randrange(1, 96):02d}{rng.randrange(1, 1000):03d}"
    elif place == "corsica":
        place_code = rng.choice(["2A", "2B"]) + f"{rng.randrange(1, 1000):03d}"
    elif place == "overseas":
        place_code = f"97{rng.randrange(1, 9)}{rng.randrange(1, 100):02d}"
    else:
        place_code = f"99{rng.randrange(1, 1000):03d}"
    return sex + year + month + place_code + f"{rng.randrange(1, 1000):03d}"


def test_property_generated_numbers_parse_and_any_single_digit_change_fails():
    rng = random.Random(1984)
    for _ in range(2000):
        body = random_valid_body(rng)
        valid = with_key(body)
        assert isinstance(parse_nir(valid), Nir)

        position = rng.choice([13, 14])
        replacement = rng.choice([d for d in "0123456789" if d != valid[position]])
        with pytest.raises(InvalidNir):
            parse_nir(valid[:position] + replacement + valid[position + 1:])

        # Mod 97 catches every single-digit error in the body too (97 is prime to 10).
        position = rng.choice([i for i in range(13) if valid[i].isdigit()])
        replacement = rng.choice([d for d in "0123456789" if d != valid[position]])
        with pytest.raises(InvalidNir):
            parse_nir(valid[:position] + replacement + valid[position + 1:])
