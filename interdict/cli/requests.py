"""``interdict requests …``: answer an FIU's ISO 20022 information request (auth.001 → case →
auth.002 after a second analyst's approval) and record its status updates (auth.003)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from interdict.cases.requests import answer_request, record_status
from interdict.cli.cases import case_store
from interdict.cli.options import AnalystOption, HomeOption, acting_analyst, settings_for
from interdict.reports.iso20022.auth001 import read_information_request, read_status_update

__all__ = ["app"]

app = typer.Typer(
    help="FIU information requests (ISO 20022 auth.001/002/003).", no_args_is_help=True
)
err = Console(stderr=True)


@app.command("answer")
def answer_command(
    request_file: Annotated[Path, typer.Argument(metavar="AUTH001.xml")],
    out: Annotated[Path, typer.Option("--out", help="The auth.002 response to write.")],
    approve_as: Annotated[
        str | None,
        typer.Option("--approve-as", help="The second analyst approving the answer in this call."),
    ] = None,
    xsd: Annotated[
        Path | None,
        typer.Option(
            "--xsd-dir", help="Folder with auth.002.001.01.xsd ($INTERDICT_ISO20022_XSD)."
        ),
    ] = None,
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Search the customers, alerts and transactions the request names, open a case for it
    and propose the answer; the auth.002 is written once a second analyst approves (here with
    --approve-as, or later with 'cases approve' and this command again). Prints the case id."""
    request = read_information_request(request_file)
    folder = xsd or (
        Path(settings_for(home).iso20022_xsd) if settings_for(home).iso20022_xsd else None
    )
    with case_store(home) as store:
        answer = answer_request(
            store,
            request,
            analyst=acting_analyst(analyst, home),
            out=out,
            approve_as=approve_as,
            xsd_folder=folder,
        )
    found = ", ".join(f"{len(v)} {k}" for k, v in answer.findings.items())
    if answer.written:
        checked = "valid against auth.002.001.01" if answer.validated else "not validated (no XSD)"
        err.print(f"request {request.investigation_id}: {found}; wrote {out} ({checked})")
    else:
        err.print(
            f"request {request.investigation_id}: {found}; waiting for a second analyst:"
            f" interdict cases approve {answer.case_id} --analyst OTHER, then run this again",
            highlight=False,
        )
    sys.stdout.write(answer.case_id + "\n")


@app.command("status")
def status_command(
    update_file: Annotated[Path, typer.Argument(metavar="AUTH003.xml")],
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Record an auth.003 status update in the case of the request it refers to."""
    update = read_status_update(update_file)
    with case_store(home) as store:
        case_id = record_status(store, update, analyst=acting_analyst(analyst, home))
    err.print(f"status of {update.original_query} recorded (confidential: {update.confidential})")
    sys.stdout.write(case_id + "\n")
