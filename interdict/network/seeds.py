"""Seeds for exposure: accounts whose holder matches a list entity, found by the screener."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from interdict.model import Party
from interdict.network.exposure import Seed

if TYPE_CHECKING:
    from interdict.screening import Screener

__all__ = ["seeds_from_accounts"]


def seeds_from_accounts(
    accounts: Iterable[tuple[str, str]],
    screener: Screener,
    *,
    threshold: float | None = None,
) -> dict[str, list[Seed]]:
    """Screen each ``(account_id, holder_name)``; matching accounts become seeds.

    ``threshold`` defaults to the screener's own default.
    """
    seeds: dict[str, list[Seed]] = {}
    for account, holder in accounts:
        if not holder.strip():
            continue
        party = Party(id=account, name=holder)
        result = (
            screener.screen(party)
            if threshold is None
            else screener.screen(party, threshold=threshold)
        )
        found = [Seed(m.list_name, m.source_id, float(m.score)) for m in result.matches]
        if found:
            seeds.setdefault(account, []).extend(found)
    return seeds
