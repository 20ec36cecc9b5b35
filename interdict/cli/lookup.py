"""What an analyst looks up: one entity (``lists show``), a name in the lists (``lists search``)
and "why (not)" for a given pair (``explain``)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from interdict.cli.options import (
    HomeOption,
    ListsOption,
    load_screener,
    open_workspace,
    wanted_lists,
)
from interdict.cli.tables import JsonOption, print_rows
from interdict.errors import BadInputError
from interdict.model import Party
from interdict.readers.parties import parse_party_fields
from interdict.screening.explain import SEARCH_THRESHOLD, explain_pair, search_name

__all__ = ["explain_command", "party_from_options", "search_command", "show_command"]

EntityArgument = Annotated[
    str, typer.Argument(metavar="ENTITY_ID", help="LIST:SOURCE_ID, e.g. un:QDi.372.")
]
BirthDateOption = Annotated[
    str | None, typer.Option("--birth-date", "-b", help="YYYY, YYYY-MM or YYYY-MM-DD.")
]
CountryOption = Annotated[
    str | None, typer.Option("--country", "-c", help="ISO code or country name.")
]


def party_from_options(name: str, birth_date: str | None, country: str | None) -> Party:
    """The party of a name (and attributes) typed on the command line."""
    fields = {"id": "cli", "name": name, "birth_date": birth_date or "", "country": country or ""}
    row = parse_party_fields(fields, 1)
    if row.party is None:
        raise BadInputError(str(row.error).removeprefix("line 1: "), where="command line")
    return row.party


def show_command(entity_id: EntityArgument, home: HomeOption = None) -> None:
    """Print one listed entity (active version) as JSON: names, dates, countries, documents."""
    with open_workspace(home, read_only=True, lists_only=True) as workspace:
        entity = workspace.entity(entity_id)
    data = entity.model_dump(mode="json", by_alias=True, exclude_none=True)
    typer.echo(json.dumps({"entity_id": entity.entity_id(), **data}, ensure_ascii=False, indent=2))


def search_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A name in any script.")],
    lists: ListsOption = None,
    threshold: Annotated[
        float, typer.Option("--threshold", "-t", min=0.0, max=1.0, help="Lowest score shown.")
    ] = SEARCH_THRESHOLD,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most entities shown.")] = 20,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Find listed entities by name (the screening matcher, a lower threshold), best first."""
    screener = load_screener(home, wanted_lists(lists))
    found = search_name(screener, name, threshold=threshold, limit=limit, where="command line")
    rows = [
        {
            "entity_id": m.entity_id,
            "schema": m.schema,
            "score": round(m.score, 4),
            "matched_name": m.matched_name,
        }
        for m in found
    ]
    columns = {"entity_id": "entity", "schema": "schema", "score": "score"}
    print_rows(rows, {**columns, "matched_name": "matched name"}, as_json=as_json)


def explain_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The screened name.")],
    entity_id: EntityArgument,
    birth_date: BirthDateOption = None,
    country: CountryOption = None,
    lists: ListsOption = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Why (not): score NAME against one listed entity in full, whatever the score.

    The score is the one 'screen' gives over the same --lists (name rarity depends on them).
    """
    screener = load_screener(home, wanted_lists(lists))
    match = explain_pair(screener, party_from_options(name, birth_date, country), entity_id)
    if as_json:
        typer.echo(json.dumps(match.to_dict(), ensure_ascii=False, indent=2))
        return
    out = Console()
    out.print(
        f"{name} ~ {match.matched_name} ({match.entity_id}): score {match.score:.4f}",
        highlight=False,
    )
    for reason in match.explanation:
        out.print(f"  {reason}", highlight=False)
