"""ISO 20022 pacs.008 credit transfers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from interdict.errors import BadInputError
from interdict.readers.transactions import read_pacs008


def test_transfers(fixtures: Path) -> None:
    result = read_pacs008(fixtures / "pacs008_two.xml")
    first, second = result.table.to_pylist()
    assert first["txn_id"] == "8a562c67-ca16-48ba-b074-65581be6f011"
    assert first["timestamp"] == datetime(2026, 2, 3, 8, 15, tzinfo=UTC)  # group header, +01:00
    assert (first["amount"], first["currency"]) == (14000.0, "EUR")
    assert first["from_account"] == "KZ86125KZT5004100100"
    assert (first["from_bank"], first["to_bank"]) == ("HSBKKZKXXXX", "DEUTDEFFXXX")
    assert (first["country_from"], first["country_to"], first["purpose"]) == ("KZ", "DE", "GDDS")
    assert second["txn_id"] == "TX-2"
    assert second["timestamp"] == datetime(2026, 2, 3, 8, tzinfo=UTC)  # acceptance time
    assert second["to_account"] == "KZ-CHARITY-1" and second["purpose"] == "CHAR"
    assert second["country_from"] is None


def test_transfer_without_debtor_account_is_reported(fixtures: Path) -> None:
    result = read_pacs008(fixtures / "pacs008_two.xml")
    [problem] = result.problems
    assert "line 37" in problem and "no debtor account" in problem


def test_doctype_is_refused(fixtures: Path) -> None:
    with pytest.raises(BadInputError, match="DOCTYPE"):
        read_pacs008(fixtures / "pacs008_doctype.xml")


def test_other_messages_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "pain.xml"
    path.write_text('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>')
    with pytest.raises(BadInputError, match=r"not a pacs\.008"):
        read_pacs008(path)


@pytest.mark.shared_data
def test_cbpr_plus_samples(shared_data: Path) -> None:
    folder = shared_data / "standards" / "iso20022" / "samples" / "cbpr-plus"
    result = read_pacs008(folder / "pacs008_credit_transfer_sample.xml")
    [row] = result.table.to_pylist()
    assert (row["from_account"], row["to_account"]) == ("74829163", "31597402")
    assert (row["amount"], row["currency"]) == (750000.0, "EUR")
