import uuid

from services.core.ids import new_id, uuid7


def test_a_uuid7_is_an_rfc_9562_version_7_uuid():
    value = uuid7()
    assert value.version == 7 and value.variant == uuid.RFC_4122
    assert uuid.UUID(new_id()).version == 7


def test_it_starts_with_the_time_in_milliseconds_so_later_ids_sort_after():
    moment = 1_795_000_000_123_456_789  # ns
    assert uuid7(moment).int >> 80 == 1_795_000_000_123
    earlier, later = uuid7(moment), uuid7(moment + 1_000_000)
    assert str(earlier) < str(later)


def test_ids_minted_in_the_same_millisecond_differ():
    moment = 1_795_000_000_123_456_789
    assert len({uuid7(moment) for _ in range(10_000)}) == 10_000
