"""Settings of the screening service, declared as data like :mod:`interdict.settings`.

Each has a name, an ``INTERDICT_*`` environment variable, a default and a help line; read them
with :func:`load_service_settings` at the edge (``interdict serve``, the ASGI module) and pass
them in. Paths left empty default to files under the workspace (``<home>/service/``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from interdict.errors import BadInputError
from interdict.settings import Setting, load_settings

__all__ = ["SERVICE_SETTINGS", "ServiceSettings", "load_service_settings"]

SERVICE_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "keys_file",
        "INTERDICT_KEYS_FILE",
        "",
        "API keys (SHA-256 hashes and roles only); default <home>/service/keys.json.",
    ),
    Setting(
        "audit_log",
        "INTERDICT_AUDIT_LOG",
        "",
        "Append-only, hash-chained audit log; default <home>/service/audit.jsonl.",
    ),
    Setting(
        "max_body_bytes",
        "INTERDICT_MAX_BODY_BYTES",
        str(2 * 1024 * 1024),
        "Largest request body accepted; a larger one is refused with 413.",
    ),
    Setting(
        "max_parties",
        "INTERDICT_MAX_PARTIES",
        "1000",
        "Most parties one POST /screen may carry.",
    ),
    Setting(
        "max_matches",
        "INTERDICT_MAX_MATCHES",
        "10000",
        "Most matches one answer may hold: parties × limit above this is refused with 413.",
    ),
    Setting(
        "max_response_bytes",
        "INTERDICT_MAX_RESPONSE_BYTES",
        str(8 * 1024 * 1024),
        "Largest answer sent; a larger one is refused with 413 (lower limit or split).",
    ),
    Setting(
        "max_request_seconds",
        "INTERDICT_MAX_REQUEST_SECONDS",
        "30",
        "Time one request may screen for; past it the request stops with 503.",
    ),
    Setting(
        "reload_seconds",
        "INTERDICT_RELOAD_SECONDS",
        "5",
        "How often to look for a new active list version; 0 turns watching off.",
    ),
    Setting(
        "public_metrics",
        "INTERDICT_PUBLIC_METRICS",
        "false",
        "Serve GET /metrics without a key (counters only, never personal data); by default"
        " it needs an analyst key.",
    ),
    Setting(
        "unauthenticated_log_per_minute",
        "INTERDICT_UNAUTHENTICATED_LOG_PER_MINUTE",
        "60",
        "Calls without a valid key are logged (not audited), at most this many lines a minute;"
        " the rest are counted in one line per minute.",
    ),
    Setting(
        "serve_lists",
        "INTERDICT_SERVE_LISTS",
        "",
        "Comma-separated list names to serve; empty means every list in the workspace.",
    ),
    Setting(
        "exchange_max_evaluations",
        "INTERDICT_EXCHANGE_MAX_EVALUATIONS",
        "2000000",
        "Most blinded items one private-matching exchange may have evaluated (identifiers and"
        " name features together); beyond it the peer gets 429.",
    ),
    Setting(
        "exchange_per_hour",
        "INTERDICT_EXCHANGE_PER_HOUR",
        "20",
        "Most exchanges one peer key may open in an hour.",
    ),
    Setting(
        "exchange_fake_share",
        "INTERDICT_EXCHANGE_FAKE_SHARE",
        "0.05",
        "Decoy name filters sent among the real ones, as a share of the customers (0: none).",
    ),
    Setting(
        "exchange_hardening",
        "INTERDICT_EXCHANGE_HARDENING",
        "fold",
        "How name filters are hardened: fold (XOR-folding), balance (balanced), none.",
    ),
    Setting(
        "exchange_fields",
        "INTERDICT_EXCHANGE_FIELDS",
        "identifiers,names",
        "What this service exchanges with peers: identifiers and/or names.",
    ),
    Setting(
        "goaml_dir",
        "INTERDICT_GOAML_DIR",
        "",
        "Folder of FIU goAML schemas POST /reports/goaml may name; default <home>/goaml.",
    ),
)


@dataclass(frozen=True)
class ServiceSettings:
    """Resolved service settings."""

    home: Path
    keys_file: Path
    audit_log: Path
    max_body_bytes: int
    max_parties: int
    reload_seconds: float
    public_metrics: bool
    unauthenticated_log_per_minute: int = 60
    max_matches: int = 10000
    max_response_bytes: int = 8 * 1024 * 1024
    max_request_seconds: float = 30.0
    serve_lists: tuple[str, ...] = ()
    matcher: str = ""
    """The matcher that scores (``INTERDICT_MATCHER``); empty: the registry's default."""
    goaml_dir: Path | None = None
    """Where the FIU schemas a report request may name are kept (``None``: ``<home>/goaml``)."""
    exchange_max_evaluations: int = 2_000_000
    exchange_per_hour: int = 20
    exchange_fake_share: float = 0.05
    exchange_hardening: str = "fold"
    exchange_fields: tuple[str, ...] = ("identifiers", "names")

    @property
    def goaml_schemas(self) -> Path:
        """The folder of FIU goAML schemas known to the server."""
        return self.goaml_dir or self.home / "goaml"


def load_service_settings(
    environ: Mapping[str, str] | None = None, **overrides: str | Path | int | float | None
) -> ServiceSettings:
    """Defaults, then ``INTERDICT_*`` variables, then explicit overrides (CLI flags)."""
    env = os.environ if environ is None else environ
    home_override = overrides.get("home")
    home = load_settings(env, home=home_override if home_override is None else str(home_override))
    values: dict[str, str] = {}
    for setting in SERVICE_SETTINGS:
        values[setting.name] = env.get(setting.env, setting.default)
        override = overrides.get(setting.name)
        if override is not None:
            values[setting.name] = str(override)
    folder = home.home / "service"
    return ServiceSettings(
        home=home.home,
        keys_file=Path(values["keys_file"]).expanduser()
        if values["keys_file"]
        else folder / "keys.json",
        audit_log=Path(values["audit_log"]).expanduser()
        if values["audit_log"]
        else folder / "audit.jsonl",
        max_body_bytes=int(_number(values, "max_body_bytes", minimum=1)),
        max_parties=int(_number(values, "max_parties", minimum=1)),
        reload_seconds=_number(values, "reload_seconds", minimum=0),
        public_metrics=values["public_metrics"].strip().lower() in ("1", "true", "yes", "on"),
        max_matches=int(_number(values, "max_matches", minimum=1)),
        max_response_bytes=int(_number(values, "max_response_bytes", minimum=1)),
        max_request_seconds=_number(values, "max_request_seconds", minimum=0),
        unauthenticated_log_per_minute=int(
            _number(values, "unauthenticated_log_per_minute", minimum=0)
        ),
        serve_lists=tuple(n.strip() for n in values["serve_lists"].split(",") if n.strip()),
        matcher=home.matcher,
        goaml_dir=Path(values["goaml_dir"]).expanduser() if values["goaml_dir"] else None,
        exchange_max_evaluations=int(_number(values, "exchange_max_evaluations", minimum=1)),
        exchange_per_hour=int(_number(values, "exchange_per_hour", minimum=1)),
        exchange_fake_share=min(_number(values, "exchange_fake_share", minimum=0), 1.0),
        exchange_hardening=_choice(values, "exchange_hardening", ("fold", "balance", "none")),
        exchange_fields=tuple(f.strip() for f in values["exchange_fields"].split(",") if f.strip()),
    )


def _choice(values: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    setting = next(s for s in SERVICE_SETTINGS if s.name == name)
    text = values[name].strip().lower()
    if text not in choices:
        raise BadInputError(
            f"setting {setting.env}={text[:20]!r} is not one of {', '.join(choices)}",
            hint=setting.help,
        )
    return text


def _number(values: Mapping[str, str], name: str, *, minimum: float) -> float:
    setting = next(s for s in SERVICE_SETTINGS if s.name == name)
    text = values[name].strip()
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not number >= minimum:  # also refuses NaN
        raise BadInputError(
            f"setting {setting.env}={text[:20]!r} is not a number ≥ {minimum:g}",
            hint=setting.help,
        )
    return number
