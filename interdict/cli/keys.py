"""``interdict keys`` (API keys of the screening service) and ``interdict audit`` (its trail)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from interdict.cli.options import HomeOption, open_workspace, settings_for, trail_for
from interdict.cli.tables import JsonOption, print_rows
from interdict.errors import BadInputError
from interdict.readers.base import read_limited
from interdict.service.auth import KeyStore, Role
from interdict.service.config import ServiceSettings, load_service_settings
from interdict.store.analysts import AnalystStore
from interdict.store.trail import head_in_chain, head_signature_ok, signed_head, verify_trail

__all__ = ["app", "audit_app"]

app = typer.Typer(
    help="API keys for 'interdict serve': create, list, revoke.", no_args_is_help=True
)
audit_app = typer.Typer(
    help="The hash-chained audit trail of the service and the workspace.", no_args_is_help=True
)
err = Console(stderr=True)


def _settings(home: Path | None) -> ServiceSettings:
    return load_service_settings(home=settings_for(home).home)


@app.command("create")
def create_key(
    role: Annotated[
        Role | None,
        typer.Option(
            "--role",
            help="client screens; analyst works cases and audits; admin reloads; peer is another"
            " institution's Interdict doing private matching (interdict exchange)."
            " Default with --analyst: analyst.",
        ),
    ] = None,
    analyst: Annotated[
        str | None,
        typer.Option("--analyst", help="The registered analyst who owns the key (the actor)."),
    ] = None,
    label: Annotated[str, typer.Option("--label", help="Who or what the key is for.")] = "",
    home: HomeOption = None,
) -> None:
    """Create an API key and print it once: only its SHA-256 is kept. An analyst's key acts as
    that analyst on /cases, /alerts and /reports. Key changes are audited."""
    if role is None and analyst is None:
        raise BadInputError("say whose key it is", hint="pass --analyst NAME or --role client")
    role = role or Role.ANALYST
    with open_workspace(home) as workspace:
        store = AnalystStore(workspace)
        if analyst is not None:
            store.get(analyst)
        token, record = KeyStore(_settings(home).keys_file).create(
            role, label, analyst=analyst or ""
        )
        store.audit("key.create", record.id, {"role": role.value, "analyst": record.analyst})
        trail_for(workspace, home).flush()
    sys.stdout.write(token + "\n")
    owner = f" for analyst {record.analyst}" if record.analyst else ""
    err.print(
        f"key {record.id} ({record.role.value}){owner} created — store it now, it cannot be"
        " shown again; send it as 'Authorization: Bearer <key>'",
        highlight=False,
    )


@app.command("ls")
def list_keys(as_json: JsonOption = False, home: HomeOption = None) -> None:
    """List keys: id, role, creation time, label, revoked (never the keys themselves)."""
    settings = _settings(home)
    keys = KeyStore(settings.keys_file).records()
    rows = [
        {
            "id": key.id,
            "role": key.role.value,
            "analyst": key.analyst,
            "created": key.created,
            "label": key.label,
            "revoked": key.revoked,
        }
        for key in keys
    ]
    title = f"{len(keys)} key(s) in {settings.keys_file}"
    columns = {"id": "id", "role": "role", "analyst": "analyst", "created": "created (UTC)"}
    print_rows(
        rows, {**columns, "label": "label", "revoked": "revoked"}, as_json=as_json, title=title
    )


@app.command("revoke")
def revoke_key(
    key_id: Annotated[str, typer.Argument(metavar="KEY_ID", help="The id shown by 'keys ls'.")],
    home: HomeOption = None,
) -> None:
    """Revoke a key: the running service refuses it from its next request on."""
    with open_workspace(home) as workspace:
        record = KeyStore(_settings(home).keys_file).revoke(key_id)
        AnalystStore(workspace).audit("key.revoke", record.id, {"analyst": record.analyst})
        trail_for(workspace, home).flush()
    err.print(f"key {record.id} ({record.role.value}) revoked", highlight=False)


@audit_app.command("verify")
def verify(
    head: Annotated[
        Path | None,
        typer.Option("--head", help="A head exported earlier: check it is still in the chain."),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Re-hash the trail, check it holds every entry the workspace anchored and that every case
    event matches it; exit 2 naming the first broken link."""
    path = _settings(home).audit_log
    with open_workspace(home, flush=False) as workspace:
        check = verify_trail(workspace, path)
    if not check.ok:
        raise BadInputError(
            f"the audit trail is broken after {check.entries} good entries: {check.problem}",
            where=check.where,
            hint="keep the file as evidence and investigate; do not repair it",
        )
    if head is not None:
        exported = json.loads(read_limited(head, 1 << 20))
        if not head_signature_ok(exported) or not head_in_chain(path, exported):
            raise BadInputError(
                "the exported head is not in the trail or its signature is wrong",
                where=str(head),
                hint="the trail was rewritten after the head was exported; investigate",
            )
    sys.stdout.write(
        f"audit trail intact: {check.entries} entries, head {check.head}"
        f" ({check.anchored} anchored in the workspace)\n"
    )


@audit_app.command("export-head")
def export_head(
    out: Annotated[Path, typer.Option("--out", help="JSON file to hand to an auditor.")],
    home: HomeOption = None,
) -> None:
    """Verify the trail, then write its head signed with the workspace's Ed25519 key."""
    settings = _settings(home)
    with open_workspace(home, flush=False) as workspace:
        check = verify_trail(workspace, settings.audit_log)
    if not check.ok:
        raise BadInputError(f"the audit trail is broken: {check.problem}", where=check.where)
    exported = signed_head(check, settings.home / "service" / "trail-signing.pem")
    out.write_text(json.dumps(exported, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(f"head {check.head} of {check.entries} entries signed; wrote {out}\n")
