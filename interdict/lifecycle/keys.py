"""Blocking keys for delta rescreening: name rarity across all lists, and typo neighbourhoods.

Two things let a rescreen touch only the customers a list change can concern:

- **Rarity weights as data.** The scorer weighs each name part by the rarity of its keys over
  *all* loaded lists (``ScreeningIndex.token_weight``). Building that index takes seconds, so
  the per-key name counts of each list version are stored once (``list_key_stats``) and summed
  at rescreen time into the very same weights.
- **Typo neighbourhoods on the small side.** ``ScreeningIndex.candidates`` also proposes names
  whose consonant skeletons are one edit away from the query's. Customers' keys are stored as
  they are; it is the few changed entities' keys that are expanded (deletions, insertions and
  substitutions over the skeleton alphabet) so that a plain join finds every customer the
  screener would have proposed — a superset, which the screener's own candidate step and scorer
  then narrow exactly as ``interdict screen`` would.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable, Iterable

import pyarrow as pa

from interdict.names.phonetic import skeleton
from interdict.names.tokens import Token
from interdict.screening import MATCHER_VERSION
from interdict.screening.index import ScreeningIndex
from interdict.store import Workspace

__all__ = [
    "SKELETON_ALPHABET",
    "ensure_key_stats",
    "expand_typo_keys",
    "expanded_postings",
    "key_weights",
]

SKELETON_ALPHABET = frozenset(
    s for s in (skeleton(ch) for ch in string.ascii_lowercase) if not s.startswith("~")
)
"""Letters a consonant skeleton can hold (the screener's phonetic classes)."""
_MIN_TYPO = 3
_VOWEL_LETTERS = frozenset("aeiouywhx")


def _has_stats(workspace: Workspace, name: str, version: int) -> bool:
    with workspace.db.cursor() as cursor:
        rows = cursor.execute(
            "SELECT count(*) FROM list_key_totals WHERE list_name = ? AND version = ?"
            " AND matcher = ?",
            [name, version, MATCHER_VERSION],
        ).fetchall()
    return bool(rows[0][0])


def ensure_key_stats(workspace: Workspace, name: str, version: int) -> bool:
    """Store the per-key name counts of one list version unless present; True if computed."""
    if _has_stats(workspace, name, version):
        return False
    index = ScreeningIndex(workspace.version_entities(name, version))
    keys = sorted(index.postings)
    table = pa.table(
        {
            "list_name": [name] * len(keys),
            "version": pa.array([version] * len(keys), pa.int32()),
            "key": keys,
            "names": pa.array([len(index.postings[k]) for k in keys], pa.int32()),
        }
    )
    db = workspace.db.cursor()
    db.execute("BEGIN TRANSACTION")
    try:
        db.execute(
            "DELETE FROM list_key_stats WHERE list_name = ? AND version = ?", [name, version]
        )
        db.execute(
            "DELETE FROM list_key_totals WHERE list_name = ? AND version = ?", [name, version]
        )
        db.register("incoming_stats", table)
        db.execute("INSERT INTO list_key_stats SELECT * FROM incoming_stats")
        db.unregister("incoming_stats")
        db.execute(
            "INSERT INTO list_key_totals VALUES (?, ?, ?, ?)",
            [name, version, MATCHER_VERSION, len(index.names)],
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    finally:
        db.close()
    return True


def key_weights(workspace: Workspace, versions: dict[str, int]) -> Callable[[Token], float]:
    """The screener's ``token_weight`` over the given list versions, from stored key counts."""
    for name, version in versions.items():
        ensure_key_stats(workspace, name, version)
    pairs = pa.table(
        {
            "list_name": list(versions),
            "version": pa.array(list(versions.values()), pa.int32()),
        }
    )
    with workspace.db.cursor() as cursor:
        cursor.register("wanted_versions", pairs)
        counts = cursor.execute(
            "SELECT key, sum(names) FROM list_key_stats SEMI JOIN wanted_versions"
            " USING (list_name, version) GROUP BY key"
        ).fetchall()
        total = cursor.execute(
            "SELECT coalesce(sum(names), 0) FROM list_key_totals SEMI JOIN wanted_versions"
            " USING (list_name, version)"
        ).fetchall()[0][0]
        cursor.unregister("wanted_versions")
    # The weights ScreeningIndex.__init__ computes over all names, plugged into its own
    # token_weight so that the scorer sees exactly what `interdict screen` gives it.
    # (tests/lifecycle/test_keys.py checks the two agree.)
    size = max(1, int(total))
    weights = ScreeningIndex(())
    weights.key_weight = {key: math.log(2.0 + size / int(n)) for key, n in counts}
    weights.max_weight = math.log(2.0 + size)
    return weights.token_weight


def _deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


def _insertions(text: str, alphabet: frozenset[str]) -> set[str]:
    return {text[:i] + ch + text[i:] for i in range(len(text) + 1) for ch in alphabet}


def expanded_postings(index: ScreeningIndex) -> dict[str, set[int]]:
    """Expanded key → the index's names it reaches (see :func:`expand_typo_keys`)."""
    reach: dict[str, set[int]] = {}
    for key, names in index.postings.items():
        for expanded in expand_typo_keys((key,)):
            reach.setdefault(expanded, set()).update(int(n) for n in names)
    return reach


def expand_typo_keys(keys: Iterable[str]) -> set[str]:
    """``keys`` plus every skeleton key a query one edit away would use to reach them.

    Mirrors ``ScreeningIndex._query_keys``: a query skeleton ``q`` (3+ letters) reaches a listed
    skeleton key ``x`` when ``q`` is ``x`` minus a letter (``x`` of 4+), ``x`` is ``q`` minus a
    letter, or both minus a letter are equal (``x`` of 4+).
    """
    expanded = set(keys)
    skeletons = [k[2:] for k in expanded if k.startswith("s:")]
    alphabet = SKELETON_ALPHABET | frozenset(ch for s in skeletons for ch in s)
    for x in skeletons:
        # A word without consonants keeps itself as skeleton ("~aya"): its edits are vowels.
        letters = alphabet | _VOWEL_LETTERS if x.startswith("~") else alphabet
        if len(x) >= _MIN_TYPO:
            expanded.update("s:" + q for q in _insertions(x, letters))
        if len(x) >= _MIN_TYPO + 1:
            for d in _deletions(x):
                if len(d) >= _MIN_TYPO:
                    expanded.add("s:" + d)
                    expanded.update("s:" + q for q in _insertions(d, letters))
    return expanded
