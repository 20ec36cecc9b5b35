"""``interdict exchange``: private matching with another institution's Interdict service.

``match`` is the asking side (the answering side is ``interdict serve`` with a ``peer`` key):
our customers are matched against the peer's by private set intersection (identifiers) and
hardened Bloom filters (names); only our own matching customers come back, each with the
peer's opaque reference. They are written to ``--out`` and kept as alerts (source
``exchange``) that can be opened as cases.
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from interdict.cli.options import HomeOption, open_workspace, trail_for
from interdict.errors import BadInputError
from interdict.exchange.answering import FIELDS
from interdict.exchange.asking import (
    DEFAULT_LEGAL_BASIS,
    DEFAULT_PURPOSE,
    DEFAULT_THRESHOLD,
    YEAR_TOLERANCE,
    run_exchange,
)
from interdict.exchange.features import prepare
from interdict.exchange.oprf import psi_library
from interdict.store import CustomerStore
from interdict.store.alert_sources import exchange_alert, keep_alerts
from interdict.store.audit import record_event
from interdict.store.customers import require_customers
from interdict.store.workspace import transaction

__all__ = ["app"]

app = typer.Typer(
    help="Private matching with a peer institution: only common subjects are revealed.",
    no_args_is_help=True,
)
err = Console(stderr=True)


def _fields(text: str) -> tuple[str, ...]:
    wanted = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in wanted if f not in FIELDS]
    if not wanted or unknown or len(set(wanted)) != len(wanted):
        raise BadInputError(
            f"--fields {text!r} is not a list of identifiers and/or names",
            hint="e.g. --fields identifiers,names",
        )
    return wanted


@app.command("match")
def match_command(
    peer: Annotated[str, typer.Option("--peer", help="The peer service, e.g. http://host:8000.")],
    key: Annotated[
        str,
        typer.Option("--key", envvar="INTERDICT_PEER_KEY", help="The peer key the peer gave you."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Hits, one JSON object a line.")],
    fields: Annotated[
        str, typer.Option("--fields", help="What to match: identifiers, names or both.")
    ] = "identifiers,names",
    purpose: Annotated[str, typer.Option("--purpose", help="Recorded by both sides.")] = (
        DEFAULT_PURPOSE
    ),
    legal_basis: Annotated[
        str, typer.Option("--legal-basis", help="Recorded by both sides.")
    ] = DEFAULT_LEGAL_BASIS,
    share_hits: Annotated[
        bool,
        typer.Option("--share-hits", help="Tell the peer which of its references matched."),
    ] = False,
    threshold: Annotated[
        float,
        typer.Option("--threshold", min=0.0, max=1.0, help="Dice similarity for a name hit."),
    ] = DEFAULT_THRESHOLD,
    year_tolerance: Annotated[
        int,
        typer.Option(
            "--year-tolerance", min=0, max=5, help="Birth years this far apart still compare."
        ),
    ] = YEAR_TOLERANCE,
    keep: Annotated[
        bool, typer.Option("--keep-alerts/--no-alerts", help="Keep hits as alerts.")
    ] = True,
    home: HomeOption = None,
) -> None:
    """Match our customer base with the peer's; write our matching customers to --out."""
    wanted = _fields(fields)
    psi_library()  # one clear line when the extra is missing, before any work
    if not peer.startswith(("http://", "https://")):
        raise BadInputError(f"--peer {peer!r} is not an http(s) URL", hint="http://host:port")
    started, cpu = time.perf_counter(), _cpu()
    with open_workspace(home, read_only=True) as workspace:
        store = CustomerStore(workspace)
        require_customers(store)
        parties = [record.party() for record in store.current()]
    own = prepare(parties, identifiers="identifiers" in wanted, names="names" in wanted)
    names = dict(zip(own.customer_ids, own.customer_names, strict=True))
    result = run_exchange(
        own,
        peer=peer,
        key=key,
        fields=wanted,
        purpose=purpose,
        legal_basis=legal_basis,
        share_hits=share_hits,
        threshold=threshold,
        year_tolerance=year_tolerance,
    )
    lines = [json.dumps(hit.to_dict(), ensure_ascii=False) for hit in result.hits]
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    with open_workspace(home) as workspace:
        kept = 0
        if keep:
            alerts = [
                exchange_alert(
                    hit.to_dict(),
                    customer_name=names[hit.customer_id],
                    exchange_id=result.exchange_id,
                    peer=peer,
                )
                for hit in result.hits
            ]
            kept = keep_alerts(workspace, alerts, job=f"exchange:{result.exchange_id}")
        with transaction(workspace.db) as db:
            record_event(
                db,
                "exchange.match",
                f"exchange:{result.exchange_id}",
                {
                    "peer": peer,
                    "fields": list(wanted),
                    "purpose": purpose,
                    "legal_basis": legal_basis,
                    "share_hits": share_hits,
                    "our_records": len(own.customer_ids),
                    "peer_sizes": result.peer_sizes,
                    "evaluated": result.evaluated,
                    "hits": len(result.hits),
                    "alerts_kept": kept,
                },
            )
        trail_for(workspace, home).flush()
    seconds = time.perf_counter() - started
    err.print(
        f"exchange {result.exchange_id}: {len(result.hits)} hit(s) among {len(own.customer_ids):,}"
        f" customers (peer: {result.peer_sizes}); {kept} new alert(s); sent"
        f" {result.bytes_sent:,} B, received {result.bytes_received:,} B;"
        f" {seconds:.1f} s wall, {_cpu() - cpu:.1f} s CPU, load {os.getloadavg()[0]:.2f};"
        f" wrote {out}",
        highlight=False,
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
