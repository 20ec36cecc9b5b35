"""``interdict report goaml``: a goAML report from a case approved as suspicious."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from interdict.cli.cases import case_store
from interdict.cli.options import AnalystOption, HomeOption, acting_analyst
from interdict.reports.goaml import export_goaml

__all__ = ["app"]

app = typer.Typer(help="Reports to the FIU (validated before they are written).")
console = Console()


@app.command("goaml")
def goaml_command(
    case_id: Annotated[str, typer.Argument(metavar="CASE")],
    xsd: Annotated[Path, typer.Option("--xsd", help="The FIU's goAML schema (as published).")],
    reporter: Annotated[Path, typer.Option("--reporter", help="REPORTER.yaml.")],
    report_code: Annotated[str, typer.Option("--report-code", help="From the FIU's list: STR…")],
    out: Annotated[Path, typer.Option("--out", help="The report XML to write.")],
    indicator: Annotated[
        list[str] | None,
        typer.Option(
            "--indicator", help="Indicator code (repeatable; default: picked from the case)."
        ),
    ] = None,
    analyst: AnalystOption = None,
    home: HomeOption = None,
) -> None:
    """Write a goAML report (STR, SAR, or any report code the FIU's schema lists) for a case
    approved as suspicious; an invalid report is refused with the element path and the rule."""
    with case_store(home) as store:
        detail = export_goaml(
            store,
            case_id,
            xsd=xsd,
            reporter_path=reporter,
            report_code=report_code,
            indicators=indicator or [],
            out=out,
            analyst=acting_analyst(analyst, home),
        )
    for note in detail["notes"]:
        console.print(f"[yellow]note:[/] {note}", highlight=False)
    for original, written in detail["transliterated"].items():
        console.print(f"transliterated {original!r} → {written!r}", highlight=False)
    console.print(
        f"{report_code} for {case_id} valid against {xsd.name}; wrote {out}"
        f" (sha256 {detail['sha256'][:16]}…)",
        highlight=False,
    )
