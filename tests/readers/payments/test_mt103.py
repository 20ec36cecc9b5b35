"""SWIFT MT103/MT101: party fields option by option, sender and receiver, field 433, RJE batches
with acknowledgements, and broken text refused with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.model import PartialDate, Schema
from interdict.readers.payments import read_payment

MT103 = """{1:F01AAAAKZKAAXXX0000000000}{2:I103BBBBTJ22XXXXN}{3:{108:REF}{433:/NOK/POSSIBLE HIT}}{4:
:20:PAY-1
:23B:CRED
:32A:250314USD1000,
:50F:/KZ00000001
1/RAKHMONOV SHOKHRUKH
2/10 RUDAKI AVE
3/TJ/DUSHANBE
4/19850101
5/TJ/KHUJAND
7/TJ/400123456
:52A:CCCCKZKA
:56D:MIDDLE BANK LLC
ALMATY
:57A:/C/123
DDDDTJ22
:59:/TJ99000000002
ALPHA TRADING
1 MAIN STREET
:70:INVOICE 12
:71A:SHA
-}{5:{CHK:ABC}}"""

ACK = "{1:F21AAAAKZKAAXXX0000000000}{4:{177:2503140800}{451:0}}"


def test_parties_of_an_mt103() -> None:
    [message] = read_payment(MT103.encode(), "pay.fin", "mt")
    assert (message.type, message.reference) == ("MT103", "PAY-1")
    fields = {p.id: p for p in message.parties}
    assert list(fields) == [
        "message 1 sender",
        "message 1 receiver",
        "message 1 field 50F",
        "message 1 field 52A",
        "message 1 field 56D",
        "message 1 field 57A",
        "message 1 field 59",
    ]
    assert fields["message 1 sender"].bic == "AAAAKZKAXXX"
    assert fields["message 1 receiver"].bic == "BBBBTJ22XXX"
    customer = fields["message 1 field 50F"]
    assert (customer.role, customer.name, customer.account) == (
        "ordering_customer",
        "RAKHMONOV SHOKHRUKH",
        "KZ00000001",
    )
    assert customer.address == ("10 RUDAKI AVE", "TJ/DUSHANBE")
    assert customer.country == "TJ"
    assert customer.birth_date == PartialDate(year=1985, month=1, day=1)
    assert customer.birth_place == "TJ/KHUJAND"
    assert customer.party is not None and customer.party.schema_ is Schema.PERSON
    assert customer.party.id_number == "400123456"
    assert customer.where == "pay.fin line 5 record message 1 field 50F"
    assert fields["message 1 field 52A"].bic == "CCCCKZKA"
    assert fields["message 1 field 56D"].name == "MIDDLE BANK LLC"
    assert (fields["message 1 field 57A"].bic, fields["message 1 field 57A"].account) == (
        "DDDDTJ22",
        "C/123",
    )
    beneficiary = fields["message 1 field 59"]
    assert (beneficiary.name, beneficiary.account) == ("ALPHA TRADING", "TJ99000000002")
    [transfer] = message.transfers
    assert transfer.originator is customer and transfer.beneficiary is beneficiary
    assert message.network_screening is not None
    assert message.network_screening.describe()["code"] == "NOK"


def test_rje_batch_with_acknowledgements() -> None:
    second = MT103.replace(":20:PAY-1", ":20:PAY-2").replace("{433:/NOK/POSSIBLE HIT}", "")
    batch = f"{ACK}{MT103}\n$\n{ACK}{second}\n$"
    messages = read_payment(batch.encode(), "batch.rje", "mt")
    assert [(m.index, m.reference) for m in messages] == [(1, "PAY-1"), (2, "PAY-2")]
    assert messages[1].network_screening is None


def test_mt101_transactions() -> None:
    text = """{1:F01AAAAKZKAAXXX0000000000}{2:I101BBBBTJ22XXXXN}{4:
:20:BATCH
:28D:1/1
:50H:/ACC1
ORDERING CO
:30:250314
:21:T1
:32B:USD10,
:59:/B1
FIRST PAYEE
:21:T2
:32B:USD20,
:59:SECOND PAYEE
-}"""
    [message] = read_payment(text.encode(), "mt101.fin", "mt")
    assert message.type == "MT101"
    payees = [
        (t.reference, t.beneficiary.name if t.beneficiary else None) for t in message.transfers
    ]
    assert payees == [("T1", "FIRST PAYEE"), ("T2", "SECOND PAYEE")]
    assert all(t.originator and t.originator.name == "ORDERING CO" for t in message.transfers)
    assert message.transfers[1].beneficiary is not None
    assert message.transfers[1].beneficiary.account is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MT103.replace("\n-}", "\n"), "block 4 is not closed"),
        (MT103.replace("{2:I103BBBBTJ22XXXXN}", "{2:I202BBBBTJ22XXXXN}"), "MT202"),
        (MT103.replace("{2:I103BBBBTJ22XXXXN}", ""), "no block 2"),
        (
            MT103.replace("{1:F01AAAAKZKAAXXX0000000000", "{1:F01AAAAKZKAAXXX0000000000{"),
            "not closed",
        ),
        (MT103.replace(":20:PAY-1", "PAY-1"), "does not start with a field tag"),
        ("hello", "no SWIFT MT message"),
        ("", "no SWIFT MT message"),
        (MT103.replace("{3:{108:REF}", "{3:{108:REF"), "not closed"),
    ],
)
def test_broken_text_is_refused_precisely(text: str, expected: str) -> None:
    with pytest.raises(BadInputError) as caught:
        read_payment(text.encode(), "pay.fin", "mt")
    assert expected in caught.value.message
    assert "pay.fin" in caught.value.message


def test_stray_characters_between_messages_are_skipped_with_a_warning() -> None:
    [message] = read_payment((MT103 + "{\n").encode(), "pay.fin", "mt")
    assert any("outside any block" in w for w in message.warnings)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=500))
def test_any_bytes_parse_or_raise_our_error(data: bytes) -> None:
    _read_or_refuse(data)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.integers(min_value=0, max_value=len(MT103)),
    st.integers(min_value=0, max_value=30),
    st.text(alphabet="{}:-$/\n14F5AK9", max_size=10),
)
def test_mutated_messages_parse_or_raise_our_error(start: int, cut: int, insert: str) -> None:
    _read_or_refuse((MT103[:start] + insert + MT103[start + cut :]).encode())


def _read_or_refuse(data: bytes) -> None:
    """Messages whose parties know their field — or our error naming the input."""
    try:
        messages = read_payment(data, "fuzz", "mt")
    except BadInputError as exc:
        assert exc.where is not None and exc.where.startswith("fuzz")
        return
    assert messages
    assert all(p.where.startswith("fuzz line") for m in messages for p in m.parties)


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("name", "count", "screening"),
    [
        ("MT103-out-ack.rje", 13, []),
        ("MT103-bulk-with-ack.rje", 3, ["AOK", "AOK", "AOK"]),
        ("MT101.fin", 1, []),
    ],
)
def test_real_samples(shared_data: Path, name: str, count: int, screening: list[str]) -> None:
    path = shared_data / "standards" / "mt" / "prowide-core" / name
    messages = read_payment(path.read_bytes(), name, "mt")
    assert len(messages) == count
    found = [m.network_screening.code for m in messages if m.network_screening]
    assert found == screening
    for message in messages:
        roles = {p.role for p in message.parties}
        assert {"ordering_customer", "beneficiary_customer", "sender", "receiver"} <= roles
