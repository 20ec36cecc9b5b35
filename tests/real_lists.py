"""The real UN, OFAC (SDN 2021) and UK (HMT 2018) lists loaded together, read and indexed once
per test session, and a sample of real listed names to screen against them.

Tests that use them skip, with the reason, when ``../shared/data`` is absent (a user's clone).
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

import pytest

from benchmarks.screening.sources import REAL_LISTS, load_lists
from interdict.model import Entity, NameKind, Party, Schema
from interdict.readers.base import ListFile
from interdict.screening import Screener
from interdict.screening.screener import evidence_share
from interdict.store import Workspace
from tests.conftest import SHARED_DATA

__all__ = [
    "HIGH",
    "LOW",
    "REGRESSIONS",
    "Direct",
    "at_least",
    "customer_id",
    "direct_matches",
    "import_real_lists",
    "missing_from",
    "pacs008",
    "real_entities",
    "real_screener",
    "sample_names",
    "variant_names",
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
VARIANT_PERSONS = 16
"""UN persons whose aliases and shortened names :func:`variant_names` screens."""


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


@cache
def variant_names() -> tuple[str, ...]:
    """Names a customer base holds for listed persons, not as the list spells them: for UN
    persons with an alias, the alias and the primary name with its middle parts dropped
    (the queries the old per-query candidate cap lost matches on), then :data:`REGRESSIONS`."""
    found: list[str] = []
    for entity in real_entities():
        if len(found) >= 3 * VARIANT_PERSONS:
            break
        if not entity.provenance or entity.provenance.list_name != "un":
            continue
        aliases = [n.full for n in entity.names if n.kind is NameKind.ALIAS]
        if entity.schema is not Schema.PERSON or not aliases:
            continue
        parts = entity.names[0].full.split()
        found += aliases[:2]
        if len(parts) >= 3:
            found.append(f"{parts[0]} {parts[-1]}")
    return tuple(dict.fromkeys([*found, *REGRESSIONS]))


@dataclass(frozen=True)
class Direct:
    """What the matcher gives each :func:`variant_names` query when every listed name is scored
    against it directly (name → {entity: best score ≥ the threshold})."""

    every_name: dict[str, dict[str, float]]
    """Over every listed name: no candidate step at all."""
    filtered: dict[str, dict[str, float]]
    """Over the names that pass the evidence filter (``ScreeningIndex.reached``): the
    reference the screener must return exactly."""


@cache
def direct_matches(threshold: float = HIGH, matcher: str | None = None) -> Direct:
    """Every listed name scored by the matcher against each :func:`variant_names` query."""
    screener = real_screener() if matcher is None else Screener(real_entities(), matcher=matcher)
    index, score_above = screener.index, screener.score_above
    every: dict[str, dict[str, float]] = {}
    filtered: dict[str, dict[str, float]] = {}
    for name in variant_names():
        query = Screener.query(Party(id="q", name=name))
        reached = set(index.reached(query.name, min_share=evidence_share(query.name.script))[0])
        for number, listed in enumerate(index.names):
            scored = score_above(query, listed, index.token_weight, threshold)
            if scored is None:
                continue
            entity = index.entities[index.name_entity[number]].entity_id
            for found, wanted in ((every, True), (filtered, number in reached)):
                if wanted:
                    best = found.setdefault(name, {})
                    best[entity] = max(best.get(entity, 0.0), scored.score)
    return Direct(every, filtered)


SCORE_TOLERANCE = 1e-6
"""Results written out (JSON lines, the service) round scores to six decimals."""


def missing_from(
    found: Mapping[str, Iterable[tuple[str, float]]], reference: Mapping[str, Mapping[str, float]]
) -> list[tuple[str, str, float]]:
    """(party, entity, score) of the reference matches ``found`` lacks or scores otherwise, and
    of the matches ≥ :data:`HIGH` in ``found`` that the reference lacks; ``found`` must be keyed
    as ``reference`` is (by name). Empty when the two agree."""
    differ = []
    for party in sorted({*reference, *at_least(found)}):
        wanted, got = reference.get(party, {}), dict(found.get(party, ()))
        for entity, score in wanted.items():
            if abs(got.get(entity, -1.0) - score) > SCORE_TOLERANCE:
                differ.append((party, entity, score))
        for entity, score in got.items():
            if score >= HIGH and entity not in wanted:
                differ.append((party, entity, score))
    return differ


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


def write_customers(path: Path, names: Iterable[str] | None = None) -> Path:
    """A customer file (``id,name``) of ``names`` (default :func:`sample_names`), ids
    :func:`customer_id`."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        for name in sample_names() if names is None else names:
            writer.writerow([customer_id(name), name])
    return path


def customer_id(name: str) -> str:
    """The id :func:`write_customers` gives the sample (or variant) name ``name``."""
    if name in sample_names():
        return f"C{sample_names().index(name) + 1:04d}"
    return f"V{variant_names().index(name) + 1:04d}"
