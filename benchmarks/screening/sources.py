"""Where the benchmark data lives and how it is read: the real lists and the yente CSV files.

The data folder is ``../shared/data`` beside the repository (read-only, never copied into it);
``--data DIR`` overrides it. Every list entity gets provenance ``list_name`` so that results
name the list they came from.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from interdict.errors import BadInputError
from interdict.model import Entity, Provenance
from interdict.readers import read_list

__all__ = [
    "DEFAULT_DATA",
    "REAL_LISTS",
    "YENTE_DIR",
    "RealList",
    "YenteRow",
    "check_data",
    "load_lists",
    "read_yente",
]

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
"""``../shared/data`` beside the repository."""

YENTE_DIR = Path("benchmarks") / "yente_candidate_generation"
"""OpenSanctions' candidate-generation benchmark, relative to the data folder."""


@dataclass(frozen=True)
class RealList:
    """One official list file (or folder) and the reader format that reads it."""

    name: str
    path: Path
    fmt: str


REAL_LISTS: tuple[RealList, ...] = (
    RealList("un", Path("lists/un/un_consolidated_2026-02-27.xml"), "un"),
    RealList("ofac", Path("lists/ofac"), "ofac"),
    RealList("ofac_nonsdn", Path("lists/ofac/ofac_consolidated_nonsdn_2026-01-08.xml"), "ofac"),
    RealList("uk", Path("lists/uk/hmt_sanctionsconlist_2018-04-13.csv"), "uk"),
)
"""All real lists loaded together: UN 2026-02-27, OFAC SDN CSV set 2021, OFAC non-SDN XML 2026,
UK HMT CSV 2018."""


def check_data(data_dir: Path) -> None:
    """Raise a clear error when the shared data folder is absent (a user's clone)."""
    if not (data_dir / YENTE_DIR).is_dir() or not (data_dir / "lists").is_dir():
        raise BadInputError(
            "benchmark data folder not found",
            where=str(data_dir),
            hint="the benchmarks need ../shared/data beside the repository, or pass --data DIR",
        )


def load_lists(data_dir: Path, lists: tuple[RealList, ...] = REAL_LISTS) -> list[Entity]:
    """Read the given real lists and tag every entity with its list name (version 1)."""
    entities: list[Entity] = []
    for item in lists:
        listed = read_list(data_dir / item.path, item.fmt)
        provenance = Provenance(list_name=item.name, list_version=1, source_format=item.fmt)
        entities.extend(entity.with_provenance(provenance) for entity in listed.entities)
    return entities


@dataclass(frozen=True)
class YenteRow:
    """One row of the yente benchmark files, as the file gives it (empty strings kept)."""

    row: int
    full_name: str
    gender: str
    date_of_birth: str
    nationality: str


def read_yente(path: Path) -> list[YenteRow]:
    """Rows of one yente benchmark CSV (full_name, …, gender, date_of_birth, nationality)."""
    rows: list[YenteRow] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, record in enumerate(csv.DictReader(handle), start=2):
            rows.append(
                YenteRow(
                    row=number,
                    full_name=(record.get("full_name") or "").strip(),
                    gender=(record.get("gender") or "").strip().casefold(),
                    date_of_birth=(record.get("date_of_birth") or "").strip(),
                    nationality=(record.get("nationality") or "").strip(),
                )
            )
    return rows
