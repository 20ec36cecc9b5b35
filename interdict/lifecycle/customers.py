"""Import the institution's customer base as a new version, with the name keys rescreening joins on.

The file has the columns of screening input (``id,name`` and optional ``birth_date, country,
gender, id_number, schema``; CSV or JSON Lines). A full import is the whole base: customers
missing from it are removed. A partial import (``partial=True``) only adds and updates.
Unchanged records cost a fingerprint comparison; new and changed ones get their blocking keys
(``interdict.screening.index.name_keys``) computed once, on all cores, and stored.
Broken rows are reported with their line and skipped; the rest is imported.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from interdict.errors import BadInputError
from interdict.names.tokens import analyse_name
from interdict.readers.base import file_sha256
from interdict.readers.parties import read_parties
from interdict.screening.index import name_keys, query_only_keys
from interdict.screening.matchers import KEY_SCHEME
from interdict.store import CustomerStore, CustomerVersion, Workspace
from interdict.store.customers import CustomerChanges, customer_fingerprint

__all__ = ["CustomerImport", "customer_name_keys", "import_customers"]

KEY_CHUNK = 2000
MAX_REPORTED_ERRORS = 1000


@dataclass
class CustomerImport:
    """The outcome of one customer import."""

    version: CustomerVersion | None
    """The new version, or None when the file changed nothing."""
    read: int = 0
    errors: list[str] = field(default_factory=list)
    error_count: int = 0


def customer_name_keys(name: str) -> list[str]:
    """Blocking keys of a customer name, exactly as the screening index computes a query's
    (its name keys and the keys by which it reaches names written together)."""
    analysis = analyse_name(name)
    return sorted(name_keys(analysis) | query_only_keys(analysis))


def _keys_chunk(names: list[str]) -> list[list[str]]:
    return [customer_name_keys(name) for name in names]


def compute_keys(names: list[str], workers: int | None = None) -> list[list[str]]:
    """Name keys of many names, in order, on ``workers`` processes (default: all cores)."""
    chunks = [names[i : i + KEY_CHUNK] for i in range(0, len(names), KEY_CHUNK)]
    count = workers or os.cpu_count() or 1
    if count <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [keys for chunk in chunks for keys in _keys_chunk(chunk)]
    with multiprocessing.get_context("fork").Pool(count) as pool:
        return [keys for part in pool.imap(_keys_chunk, chunks) for keys in part]


def _collect(
    path: Path,
    current: dict[str, tuple[int, str]],
    outcome: CustomerImport,
    progress: Callable[[int], None] | None,
) -> tuple[CustomerChanges, set[str]]:
    changes = CustomerChanges()
    seen: dict[str, int] = {}
    for row in read_parties(path):
        outcome.read += 1
        if progress is not None and outcome.read % 10_000 == 0:
            progress(outcome.read)
        error = row.error
        if row.party is not None and row.party.id in seen:
            first = seen[row.party.id]
            error = f"line {row.line}: customer id {row.party.id!r} repeats line {first}"
        if error is not None or row.party is None:
            outcome.error_count += 1
            if len(outcome.errors) < MAX_REPORTED_ERRORS:
                outcome.errors.append(f"{path} {error or f'line {row.line}: unreadable'}")
            continue
        party = row.party
        seen[party.id] = row.line
        fingerprint = customer_fingerprint(party)
        stored = current.get(party.id)
        if stored is not None and stored[1] == fingerprint:
            changes.unchanged += 1
            continue
        if stored is not None:
            changes.replaced_rows.append(stored[0])
        changes.add(party, fingerprint)
    changes.errors = outcome.error_count
    return changes, set(seen)


def import_customers(
    workspace: Workspace,
    path: Path,
    *,
    partial: bool = False,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> CustomerImport:
    """Import a customer file as the next customer version (nothing is written if unchanged)."""
    if not path.is_file():
        raise BadInputError("file not found", where=str(path), hint="check the path")
    store = CustomerStore(workspace)
    current = store.current_fingerprints()
    if current and store.key_matcher() != KEY_SCHEME:
        # Keys were computed by another key scheme: treat every record as changed, recompute all.
        current = {cid: (row, "") for cid, (row, _) in current.items()}
    outcome = CustomerImport(version=None)
    changes, present = _collect(path, current, outcome, progress)
    if not present:
        raise BadInputError(
            "no readable customer record in the file",
            where=str(path),
            hint="the file needs id and name columns; see the errors above",
        )
    if not partial:
        changes.removed_rows = [row for cid, (row, _) in current.items() if cid not in present]
    if changes.empty:
        return outcome
    changes.keys = compute_keys(changes.names, workers)
    outcome.version = store.write_version(
        changes, source=path, digest=file_sha256(path), partial=partial, matcher=KEY_SCHEME
    )
    return outcome
