"""The real UN, OFAC (SDN 2021) and UK (HMT 2018) lists loaded together, read and indexed once
per test session, and a sample of real listed names to screen against them.

Tests that use them skip, with the reason, when ``../shared/data`` is absent (a user's clone).
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable, Mapping
from functools import cache
from html import escape
from pathlib import Path

import pytest

from benchmarks.screening.sources import REAL_LISTS, load_lists
from interdict.model import Entity, Schema
from interdict.readers.base import ListFile
from interdict.screening import Screener
from interdict.store import Workspace
from tests.conftest import SHARED_DATA

__all__ = [
    "HIGH",
    "LOW",
    "REGRESSIONS",
    "at_least",
    "customer_id",
    "import_real_lists",
    "pacs008",
    "real_entities",
    "real_screener",
    "sample_names",
    "write_customers",
]

LOW, HIGH = 0.5, 0.8
"""Every match scoring ≥ HIGH at threshold LOW must be returned, with that score, at HIGH."""

REGRESSIONS = {
    "CHO IL U": ("ofac:19791", 1.0),
    "PAK CHUN IL": ("ofac:19533", 1.0),
    "Doku Khamatovich Umarov": ("ofac:12110", 0.962),
}
"""Queries whose OFAC record (id, score) the evidence filter dropped at 0.80 but not at 0.50."""

SAMPLE_PERSONS = 250


@cache
def real_entities() -> tuple[Entity, ...]:
    """UN + OFAC SDN + UK entities, each tagged with its list name (version 1)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (only CI and developers have it)")
    wanted = tuple(item for item in REAL_LISTS if item.name in {"un", "ofac", "uk"})
    return tuple(load_lists(SHARED_DATA, wanted))


@cache
def real_screener() -> Screener:
    """A screener over :func:`real_entities`."""
    return Screener(real_entities())


@cache
def sample_names() -> tuple[str, ...]:
    """The primary names of the first UN persons, then the :data:`REGRESSIONS` queries."""
    persons = [
        e.names[0].full
        for e in real_entities()
        if e.provenance and e.provenance.list_name == "un" and e.schema is Schema.PERSON
    ]
    return tuple(dict.fromkeys([*persons[:SAMPLE_PERSONS], *REGRESSIONS]))


def at_least(
    found: Mapping[str, Iterable[tuple[str, float]]], floor: float = HIGH
) -> dict[str, dict[str, float]]:
    """Party → {entity: score} of the matches scoring at least ``floor``."""
    return {
        party: kept
        for party, matches in found.items()
        if (kept := {entity: score for entity, score in matches if score >= floor})
    }


def pacs008(names: Iterable[str]) -> bytes:
    """One pacs.008 with a transfer per pair of names (debtor, creditor)."""
    listed = list(names)
    transfers = []
    for number, start in enumerate(range(0, len(listed), 2), start=1):
        debtor = listed[start]
        creditor = listed[start + 1] if start + 1 < len(listed) else "Rhein Handel GmbH"
        transfers.append(
            f"<CdtTrfTxInf><PmtId><EndToEndId>E2E-{number}</EndToEndId></PmtId>"
            '<IntrBkSttlmAmt Ccy="EUR">100.00</IntrBkSttlmAmt><ChrgBr>SHAR</ChrgBr>'
            f"<Dbtr><Nm>{escape(debtor)}</Nm></Dbtr>"
            "<DbtrAcct><Id><IBAN>KZ86125KZT5004100100</IBAN></Id></DbtrAcct>"
            "<DbtrAgt><FinInstnId><BICFI>HSBKKZKXXXX</BICFI></FinInstnId></DbtrAgt>"
            "<CdtrAgt><FinInstnId><BICFI>DEUTDEFFXXX</BICFI></FinInstnId></CdtrAgt>"
            f"<Cdtr><Nm>{escape(creditor)}</Nm></Cdtr>"
            "<CdtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></CdtrAcct>"
            "</CdtTrfTxInf>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>'
        f"<GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-02-03T09:15:00Z</CreDtTm>"
        f"<NbOfTxs>{len(transfers)}</NbOfTxs><SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf>"
        f"</GrpHdr>{''.join(transfers)}</FIToFICstmrCdtTrf></Document>"
    ).encode()


def import_real_lists(
    workspace: Workspace, folder: Path, *, leave_out: Collection[str] = ()
) -> None:
    """Import each real list as a version of its own name; ``leave_out`` names entities
    (``list:source_id``) not to import."""
    by_list: dict[str, list[Entity]] = {}
    for entity in real_entities():
        assert entity.provenance is not None
        if f"{entity.provenance.list_name}:{entity.source_id}" not in leave_out:
            by_list.setdefault(entity.provenance.list_name, []).append(entity)
    for name, entities in by_list.items():
        source = folder / f"{name}-{len(entities)}.list"
        source.write_text(f"{name}: {len(entities)} entities", encoding="utf-8")
        workspace.import_list(ListFile(entities, name), name=name, source=source)


def write_customers(path: Path) -> Path:
    """A customer file (``id,name``) of the :func:`sample_names`, ids ``C0001``…"""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        for name in sample_names():
            writer.writerow([customer_id(name), name])
    return path


def customer_id(name: str) -> str:
    """The id :func:`write_customers` gives the sample name ``name``."""
    return f"C{sample_names().index(name) + 1:04d}"
