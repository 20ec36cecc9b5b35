"""``interdict monitor``: convert transaction files, train and apply the model, run typologies.

Thin commands: each reads its input with a reader, calls one job of
:mod:`interdict.monitoring.pipeline` or :mod:`interdict.network`, and writes the result.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import pyarrow.csv as pa_csv
import typer
from rich.console import Console

from interdict.cli.options import EngineOption, HomeOption, chosen_engine, open_workspace, trail_for
from interdict.engines.commit import StagedOutput
from interdict.errors import BadInputError
from interdict.monitoring.model import load_model, save_model
from interdict.monitoring.pipeline import run_typologies, score_transactions, train_on
from interdict.monitoring.typologies import builtin_rules, load_rules
from interdict.network import exposure_of_table, seeds_from_accounts
from interdict.readers.transactions import TransactionFile, read_as, write_transactions
from interdict.readers.transactions.accounts import read_account_holders, read_seeds
from interdict.store.alert_sources import KeptAlert, flag_alert, keep_alerts, typology_alert

__all__ = ["app"]

app = typer.Typer(
    help="Transaction monitoring: typology rules, graph-feature model, network exposure.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console(stderr=True, soft_wrap=True)
_SHOWN_PROBLEMS = 5


class SourceFormat(StrEnum):
    """Input layouts the readers understand."""

    canonical = "canonical"
    amlsim = "amlsim"
    amlworld = "amlworld"
    pacs008 = "pacs008"


FormatOption = Annotated[
    SourceFormat,
    typer.Option("--format", help="Input layout: canonical table, AMLSim, AMLworld, pacs.008."),
]


KeepOption = Annotated[
    bool, typer.Option("--keep-alerts", help="Also keep the alerts in the workspace's store.")
]


@contextmanager
def _stage(text: str) -> Iterator[None]:
    with console.status(text):
        yield


def _read(path: Path, source_format: SourceFormat) -> pa.Table:
    with _stage(f"reading {path}"):
        result: TransactionFile = read_as(path, source_format.value)
    _report_problems(result)
    if result.table.num_rows == 0:
        raise BadInputError("no usable transactions", where=str(path), hint="see the rows above")
    console.print(f"read {result.table.num_rows:,} transactions from {path}", highlight=False)
    return result.table


def _report_problems(result: TransactionFile) -> None:
    if not result.rejected:
        return
    console.print(f"[yellow]kept out {result.rejected:,} bad rows:[/]", highlight=False)
    for line in result.problems[:_SHOWN_PROBLEMS]:
        console.print(f"  {line}", highlight=False, soft_wrap=True)
    if result.rejected > _SHOWN_PROBLEMS:
        console.print(f"  … and {result.rejected - _SHOWN_PROBLEMS:,} more", highlight=False)


def _progress(stage: str) -> None:
    console.print(f"[dim]· {stage}[/]", highlight=False)


@app.command("convert")
def convert_command(
    source: Annotated[Path, typer.Argument(metavar="SRC", help="File or folder to convert.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Canonical table: .parquet or .csv.")],
    source_format: FormatOption = SourceFormat.amlsim,
) -> None:
    """Convert AMLSim, AMLworld or pacs.008 input into the canonical transaction table."""
    table = _read(source, source_format)
    write_transactions(table, out)
    console.print(f"wrote {table.num_rows:,} transactions to {out}", highlight=False)


@app.command("train")
def train_command(
    train_file: Annotated[
        Path, typer.Argument(metavar="TRAIN", help="Canonical table with is_laundering.")
    ],
    model: Annotated[Path, typer.Option("--model", help="Folder to write the model to.")],
    validation: Annotated[
        float,
        typer.Option(
            "--validation",
            min=0.05,
            max=0.5,
            help="Latest share of TRAIN that picks the threshold.",
        ),
    ] = 0.25,
    source_format: FormatOption = SourceFormat.canonical,
) -> None:
    """Train the LightGBM model on graph features; the threshold comes from a validation split."""
    table = _read(train_file, source_format)
    trained = train_on(table, validation_fraction=validation, progress=_progress)
    save_model(trained, model)
    info = trained.info
    console.print(
        f"model written to {model}: threshold {trained.threshold:.4f}, validation F1 "
        f"{info['validation_f1']:.3f}, PR-AUC {info['validation_pr_auc']:.3f} "
        f"({info['validation_rows']:,} validation transactions)",
        highlight=False,
    )


@app.command("score")
def score_command(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT", help="Canonical table.")],
    model: Annotated[Path, typer.Option("--model", help="Folder written by 'monitor train'.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="CSV: txn_id,score,flagged,reasons.")],
    engine: EngineOption = None,
    source_format: FormatOption = SourceFormat.canonical,
    keep: KeepOption = False,
    home: HomeOption = None,
) -> None:
    """Score every transaction; flagged ones carry their top reasons."""
    name, options = chosen_engine(engine, None)
    trained = load_model(model)
    table = _read(input_file, source_format)
    scores = score_transactions(
        table, trained, engine=name, engine_options=options, progress=_progress
    )
    with StagedOutput(out) as staging:
        pa_csv.write_csv(scores, staging, write_options=pa_csv.WriteOptions(quoting_style="needed"))
    flagged = int(pa.compute.sum(scores["flagged"]).as_py() or 0)
    if keep:
        picked = scores.filter(scores["flagged"])
        rows = _rows_by_id(table, picked["txn_id"].to_pylist())
        _keep(
            [
                flag_alert(rows[t], score, reasons or "", model=trained.version)
                for t, score, reasons in zip(
                    picked["txn_id"].to_pylist(),
                    picked["score"].to_pylist(),
                    picked["reasons"].to_pylist(),
                    strict=True,
                )
            ],
            f"monitor score {input_file}",
            home,
        )
    console.print(
        f"scored {scores.num_rows:,} transactions, {flagged:,} flagged; wrote {out}",
        highlight=False,
    )


@app.command("run")
def run_command(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT", help="Canonical table.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="JSONL, one alert per line.")],
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="Rule YAML files or folders (default: built-in typologies)."),
    ] = None,
    engine: EngineOption = None,
    source_format: FormatOption = SourceFormat.canonical,
    keep: KeepOption = False,
    home: HomeOption = None,
) -> None:
    """Run the typology rules; each alert names rule, transactions, accounts, window, amounts."""
    name, options = chosen_engine(engine, None)
    chosen = load_rules(rules) if rules else list(builtin_rules())
    table = _read(input_file, source_format)
    alerts = run_typologies(table, chosen, engine=name, engine_options=options, progress=_progress)
    counts: dict[str, int] = {}
    with StagedOutput(out) as staging, open(staging, "w", encoding="utf-8") as handle:
        for alert in alerts:
            handle.write(json.dumps(alert.to_json(), ensure_ascii=False) + "\n")
            counts[alert.rule] = counts.get(alert.rule, 0) + 1
    summary = ", ".join(f"{rule} {n:,}" for rule, n in sorted(counts.items())) or "none"
    console.print(f"{len(alerts):,} alerts ({summary}); wrote {out}", highlight=False)
    if keep:
        rows = _rows_by_id(table, [t for a in alerts for t in a.transactions])
        kept = [typology_alert(a.to_json(), [rows[t] for t in a.transactions]) for a in alerts]
        _keep(kept, f"monitor run {input_file}", home)


def _rows_by_id(table: pa.Table, txn_ids: list[str]) -> dict[str, dict[str, object]]:
    wanted = table.filter(pa.compute.is_in(table["txn_id"], pa.array(sorted(set(txn_ids)))))
    return {str(row["txn_id"]): row for row in wanted.to_pylist()}


def _keep(alerts: list[KeptAlert], job: str, home: Path | None) -> None:
    with open_workspace(home) as workspace:
        added = keep_alerts(workspace, alerts, job=job)
        trail_for(workspace, home).flush()
    console.print(f"kept {added:,} new alert(s) in the alert store", highlight=False)


@app.command("exposure")
def exposure_command(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT", help="Canonical table.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="JSONL, one exposed account per line.")],
    seeds: Annotated[
        Path | None, typer.Option("--seeds", help="CSV account,list,source_id,score.")
    ] = None,
    accounts: Annotated[
        Path | None,
        typer.Option("--accounts", help="CSV account_id,holder, screened against loaded lists."),
    ] = None,
    hops: Annotated[int, typer.Option("--hops", min=1, max=6, help="How far to spread.")] = 2,
    decay: Annotated[
        float, typer.Option("--decay", min=0.0, max=1.0, help="Score kept per hop.")
    ] = 0.5,
    direction: Annotated[
        str, typer.Option("--direction", help="out, in or both (money flow from the seeds).")
    ] = "both",
    engine: EngineOption = None,
    source_format: FormatOption = SourceFormat.canonical,
) -> None:
    """Exposure of accounts to list matches within k hops, each with its path as explanation."""
    if (seeds is None) == (accounts is None):
        raise BadInputError("give exactly one of --seeds or --accounts")
    found = read_seeds(seeds) if seeds is not None else _screen_accounts(accounts)
    console.print(f"{len(found):,} seed accounts", highlight=False)
    name, options = chosen_engine(engine, None)
    table = _read(input_file, source_format)
    exposures = exposure_of_table(
        table,
        found,
        hops=hops,
        decay=decay,
        direction=direction,
        engine=name,
        engine_options=options,
    )
    with StagedOutput(out) as staging, open(staging, "w", encoding="utf-8") as handle:
        for item in exposures:
            handle.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")
    console.print(f"{len(exposures):,} exposed accounts; wrote {out}", highlight=False)


def _screen_accounts(path: Path | None) -> dict[str, list[tuple[str, str, float]]]:
    from interdict.cli.options import open_workspace
    from interdict.screening import Screener

    if path is None:
        raise BadInputError("--accounts is required without --seeds")
    holders, problems = read_account_holders(path)
    for line in problems[:_SHOWN_PROBLEMS]:
        console.print(f"[yellow]skipped[/] {line}", highlight=False)
    with open_workspace(None, read_only=True) as workspace:
        entities = list(workspace.entities(None))
    if not entities:
        raise BadInputError("no lists are loaded", hint="import one with 'interdict lists import'")
    with _stage(f"screening {len(holders):,} account holders"):
        found = seeds_from_accounts(holders, Screener(entities))
    return {a: [(s.list_name, s.source_id, s.score) for s in seeds] for a, seeds in found.items()}
