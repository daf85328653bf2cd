import pytest

from salesforce_emulator.ids import IdFactory, checksum_suffix, to_18


def test_known_checksum():
    # A documented example: 001A0000006Vm9r -> 001A0000006Vm9rIAC
    assert checksum_suffix("001A0000006Vm9r") == "IAC"
    assert to_18("001A0000006Vm9r") == "001A0000006Vm9rIAC"


def test_eighteen_char_ids_round_trip_and_reject_bad_suffix():
    new = IdFactory().new("801")
    assert len(new) == 18 and new.startswith("801")
    assert to_18(new[:15]) == new
    assert to_18(new[:15] + new[15:].lower()) == new
    with pytest.raises(ValueError):
        to_18(new[:15] + "999")
    with pytest.raises(ValueError):
        to_18("not-an-id")


def test_factory_sequence_is_recoverable():
    factory = IdFactory(start=12345)
    assert IdFactory.sequence_of(factory.new("001")) == 12345
