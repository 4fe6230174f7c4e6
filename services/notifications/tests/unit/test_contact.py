import pytest

from services.notifications.domain.contact import sms_number


@pytest.mark.parametrize(("phone", "number"), [
    ("+33 6 12 34 56 78", "+33612345678"), ("06 12 34 56 78", "+33612345678"), ("06.12.34.56.78", "+33612345678"),
    ("0033 6 12 34 56 78", "+33612345678"), ("+262 692 12 34 56", "+262692123456"), ("+33 (0)6 12", None),
    ("612345678", None), ("n/a", None), ("+0612345678", None),
])
def test_a_phone_as_an_sms_provider_takes_it(phone, number):
    assert sms_number(phone) == number
