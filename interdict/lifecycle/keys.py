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

import string
from collections.abc import Callable, Collection, Iterable

import pyarrow as pa

from interdict.names.phonetic import skeleton
from interdict.names.tokens import Token
from interdict.screening.index import TIE_SLACK, TYPO_KEY_FACTOR, ScreeningIndex
from interdict.screening.matchers import KEY_SCHEME
from interdict.store import Workspace
from interdict.store.workspace import transaction

__all__ = [
    "SKELETON_ALPHABET",
    "EvidenceBound",
    "customer_keys",
    "ensure_key_stats",
    "expand_typo_keys",
    "expanded_postings",
    "key_counts",
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
            [name, version, KEY_SCHEME],
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
    with transaction(workspace.db) as db:
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
            [name, version, KEY_SCHEME, len(index.names)],
        )
    return True


def key_counts(workspace: Workspace, versions: dict[str, int]) -> tuple[dict[str, int], int]:
    """How many names of the given list versions have each key, and how many names they have.

    :meth:`ScreeningIndex.from_key_counts` turns these into the weights the screener's index
    over those versions uses.
    """
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
    return {key: int(n) for key, n in counts}, int(total)


def key_weights(workspace: Workspace, versions: dict[str, int]) -> Callable[[Token], float]:
    """The screener's ``token_weight`` over the given list versions, from stored key counts."""
    counts, total = key_counts(workspace, versions)
    return ScreeningIndex.from_key_counts((), counts, total).token_weight


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


def customer_keys(workspace: Workspace, row_ids: Collection[int]) -> dict[int, list[str]]:
    """Every stored name key of the given customer rows."""
    table = pa.table({"row_id": pa.array(sorted(set(row_ids)), pa.int64())})
    with workspace.db.cursor() as cursor:
        cursor.register("wanted_rows", table)
        rows = cursor.execute(
            "SELECT row_id, list(key) FROM customer_keys SEMI JOIN wanted_rows USING (row_id)"
            " GROUP BY row_id"
        ).fetchall()
        cursor.unregister("wanted_rows")
    return {int(row_id): list(keys) for row_id, keys in rows}


class EvidenceBound:
    """Which customers may pass the screener's evidence filter, from stored name keys alone.

    ``ScreeningIndex.reached`` lets a listed name through when the key weight it shares with
    the query is at least ``share`` × the query's own. A customer's stored keys are exactly the
    query's own keys, so the latter is known without analysing the name; the former is at most
    the weight of the name's keys the customer has, plus :data:`TYPO_KEY_FACTOR` × the weight
    of those one edit away (:func:`expand_typo_keys`). Customers below that bound on every
    name are not parsed, analysed or scored: they could not pass the filter.
    """

    def __init__(self, index: ScreeningIndex) -> None:
        self.index = index
        skeletons = [k[2:] for k in index.postings if k.startswith("s:")]
        self.alphabet = SKELETON_ALPHABET | frozenset(ch for s in skeletons for ch in s)
        self.keys_of: list[list[tuple[str, float, frozenset[str]]]] = [[] for _ in index.names]
        for key, names in index.postings.items():
            weight = index.key_weight.get(key)
            if weight is None or key in index.common_keys:
                continue  # such keys add nothing to the evidence either
            near = frozenset(expand_typo_keys((key,)))
            for name in names:
                self.keys_of[int(name)].append((key, weight, near))

    def _unusual(self, keys: Iterable[str]) -> bool:
        """Skeletons with letters the typo expansion does not try: no bound is safe."""
        return any(k.startswith("s:") and not self.alphabet.issuperset(k[2:]) for k in keys)

    def may_pass(self, keys: Collection[str], names: Iterable[int], share: float) -> bool:
        """Whether a customer with these stored keys may pass the filter on any of ``names``."""
        if self._unusual(keys):
            return True
        index = self.index
        mass = index.evidence_mass(keys)
        floor = share * mass * (1 - 1000 * TIE_SLACK)
        mine = set(keys)
        for name in names:
            total = 0.0
            for key, weight, near in self.keys_of[name]:
                if key in mine:
                    total += weight
                elif not near.isdisjoint(mine):
                    total += weight * TYPO_KEY_FACTOR
            if total >= floor:
                return True
        return False
