"""What each side puts into an exchange from one customer: identifier items and name features.

Name features are what the screening pipeline already derives from a name, whatever its
script (:func:`~interdict.names.tokens.analyse_name`): per identity-carrying part, its
consonant skeletons, surname stems and given-name variant group (``Раҳмонов`` and
``Rakhmonov`` share ``s:rkmnf``; ``محمد`` and ``Mukhammad`` share ``g:muhammad``). Raw letters
never enter an encoding. Block features are the parts' variant groups and skeletons only;
the salt is the birth year (``-`` when unknown), so a record is only compared with records
born the same year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from interdict.exchange.identifiers import identifier_items
from interdict.model import Party
from interdict.names.tokens import analyse_name

__all__ = [
    "ID_PREFIX",
    "NAME_PREFIX",
    "Prepared",
    "name_features",
    "prepare",
    "workspace_customers",
]

ID_PREFIX = "id\x1f"
NAME_PREFIX = "nf\x1f"
"""Domain separation: an identifier item and a name feature never evaluate to the same value."""
MAX_FEATURES = 48
MAX_BLOCKS = 8


@dataclass
class Prepared:
    """One side's customers, reduced to what the exchange encodes (kept on that side)."""

    customer_ids: list[str]
    customer_names: list[str]
    identifiers: list[list[str]]
    features: list[list[str]]
    blocks: list[list[str]]
    salts: list[bytes]

    def identifier_items(self) -> list[str]:
        """Every distinct identifier item, prefixed for evaluation."""
        return sorted({ID_PREFIX + i for items in self.identifiers for i in items})

    def feature_items(self) -> list[str]:
        """Every distinct name feature, prefixed for evaluation."""
        return sorted({NAME_PREFIX + f for items in self.features for f in items})


def name_features(name: str) -> tuple[list[str], list[str]]:
    """The name's features and, among them, its block features (both sorted)."""
    analysis = analyse_name(name)
    tokens = analysis.name_tokens or analysis.tokens
    features: set[str] = set()
    blocks: set[str] = set()
    for token in tokens:
        features |= token.blocking_keys()
        if token.group:
            blocks.add(f"g:{token.group}")
        else:
            blocks.update(f"s:{s}" for s in token.skeletons if len(s) >= 2)
    return sorted(features)[:MAX_FEATURES], sorted(blocks)[:MAX_BLOCKS]


def prepare(parties: Iterable[Party], *, identifiers: bool, names: bool) -> Prepared:
    """Reduce customers to identifier items and name features (persons' and others' alike)."""
    result = Prepared([], [], [], [], [], [])
    for party in parties:
        result.customer_ids.append(party.id)
        result.customer_names.append(party.name)
        result.identifiers.append(identifier_items(party.id_number) if identifiers else [])
        found, blocks = name_features(party.name) if names else ([], [])
        result.features.append(found)
        result.blocks.append(blocks)
        year = str(party.birth_date.year) if party.birth_date and party.birth_date.year else "-"
        result.salts.append(year.encode())
    return result


def workspace_customers(home: Path, *, identifiers: bool = True, names: bool = True) -> Prepared:
    """The current customer base of the workspace at ``home``, prepared (read-only access,
    released before returning)."""
    from interdict.store import CustomerStore, Workspace

    with Workspace(home, read_only=True, create=False) as workspace:
        store = CustomerStore(workspace)
        found = store.current() if workspace.has_table("customers") else iter(())
        parties = [record.party() for record in found]
    return prepare(parties, identifiers=identifiers, names=names)
