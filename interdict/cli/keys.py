"""``interdict keys`` (API keys of the screening service) and ``interdict audit`` (its trail)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from interdict.cli.options import HomeOption, settings_for
from interdict.errors import BadInputError
from interdict.service.audit import verify_audit
from interdict.service.auth import KeyStore, Role
from interdict.service.config import ServiceSettings, load_service_settings

__all__ = ["app", "audit_app"]

app = typer.Typer(
    help="API keys for 'interdict serve': create, list, revoke.", no_args_is_help=True
)
audit_app = typer.Typer(help="The service's hash-chained audit trail.", no_args_is_help=True)
err = Console(stderr=True)


def _settings(home: Path | None) -> ServiceSettings:
    return load_service_settings(home=settings_for(home).home)


@app.command("create")
def create_key(
    role: Annotated[
        Role, typer.Option("--role", help="client screens; analyst audits; admin reloads.")
    ],
    label: Annotated[str, typer.Option("--label", help="Who or what the key is for.")] = "",
    home: HomeOption = None,
) -> None:
    """Create an API key and print it once: only its SHA-256 is kept."""
    store = KeyStore(_settings(home).keys_file)
    token, record = store.create(role, label)
    sys.stdout.write(token + "\n")
    err.print(
        f"key {record.id} ({record.role.value}) created — store it now, it cannot be shown again; "
        f"send it as 'Authorization: Bearer <key>'",
        highlight=False,
    )


@app.command("ls")
def list_keys(home: HomeOption = None) -> None:
    """List keys: id, role, creation time, label, revoked (never the keys themselves)."""
    settings = _settings(home)
    keys = KeyStore(settings.keys_file).records()
    table = Table(title=f"{len(keys)} key(s) in {settings.keys_file}")
    for column in ("id", "role", "created (UTC)", "label", "revoked"):
        table.add_column(column)
    for key in keys:
        table.add_row(key.id, key.role.value, key.created, key.label, "yes" if key.revoked else "")
    Console().print(table)


@app.command("revoke")
def revoke_key(
    key_id: Annotated[str, typer.Argument(metavar="KEY_ID", help="The id shown by 'keys ls'.")],
    home: HomeOption = None,
) -> None:
    """Revoke a key: the running service refuses it from its next request on."""
    record = KeyStore(_settings(home).keys_file).revoke(key_id)
    err.print(f"key {record.id} ({record.role.value}) revoked", highlight=False)


@audit_app.command("verify")
def verify(home: HomeOption = None) -> None:
    """Re-hash the audit trail and follow its chain; exit 2 at the first break."""
    path = _settings(home).audit_log
    check = verify_audit(path)
    if not check.ok:
        raise BadInputError(
            f"the audit trail is broken after {check.entries} good entries: {check.problem}",
            where=f"{path} line {check.line}",
            hint="keep the file as evidence and investigate; do not repair it",
        )
    sys.stdout.write(f"audit trail intact: {check.entries} entries, head {check.head}\n")
