"""Read the small tables that exposure needs: account holders and hand-made seeds.

* account holders: CSV ``account_id,holder`` (the name to screen);
* seeds: CSV ``account,list,source_id,score`` (for accounts already known to match).
"""

from __future__ import annotations

import math
from pathlib import Path

from interdict.errors import BadInputError, where
from interdict.readers.transactions.table import read_csv_columns, read_text

__all__ = ["read_account_holders", "read_seeds"]

_MAX_TEXT = 500


def read_account_holders(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """``(account_id, holder)`` pairs and the bad rows (empty id or name) kept out."""
    columns, lines, bad = read_csv_columns(read_text(path), str(path), ["account_id", "holder"])
    rows: list[tuple[str, str]] = []
    problems = [f"{where(str(path), line=line)}: {what}" for line, what in bad]
    for line, account, holder in zip(
        lines.tolist(), columns["account_id"], columns["holder"], strict=True
    ):
        if not account.strip() or not holder.strip() or len(holder) > _MAX_TEXT:
            problems.append(f"{where(str(path), line=line)}: empty account_id or holder")
            continue
        rows.append((account.strip(), holder.strip()))
    return rows, problems


def read_seeds(path: Path) -> dict[str, list[tuple[str, str, float]]]:
    """``(list, source_id, score)`` by account; a bad row stops the read (seeds are hand-made)."""
    expected = ["account", "list", "source_id", "score"]
    columns, lines, bad = read_csv_columns(read_text(path), str(path), expected)
    if bad:
        line, what = bad[0]
        raise BadInputError(what, where=where(str(path), line=line))
    seeds: dict[str, list[tuple[str, str, float]]] = {}
    for i, line in enumerate(lines.tolist()):
        account, name, source_id = (columns[k][i].strip() for k in expected[:3])
        try:
            score = float(columns["score"][i])
        except ValueError:
            score = math.nan
        if not account or not name or not source_id or not 0.0 <= score <= 1.0:
            raise BadInputError(
                "a seed needs account, list, source_id and a score between 0 and 1",
                where=where(str(path), line=line),
            )
        seeds.setdefault(account, []).append((name, source_id, score))
    return seeds
