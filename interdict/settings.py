"""Settings, declared once as data: name, type, default, environment variable, help.

Read them with :func:`load_settings` at the edge (CLI, service) and pass them in; the library
never reads the environment at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SETTINGS", "Setting", "Settings", "load_settings"]


@dataclass(frozen=True)
class Setting:
    """One documented setting."""

    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "home",
        "INTERDICT_HOME",
        str(Path.home() / ".interdict"),
        "Workspace folder: the DuckDB file with list versions, customers, results and decisions.",
    ),
    Setting(
        "workers",
        "INTERDICT_WORKERS",
        "0",
        "Processes for batch screening; 0 means one per CPU core.",
    ),
    Setting(
        "engine",
        "INTERDICT_ENGINE",
        "duckdb",
        "Batch engine of screen, rescreen and monitor jobs: duckdb (embedded) or spark.",
    ),
    Setting(
        "matcher",
        "INTERDICT_MATCHER",
        "",
        "Matcher of screen, rescreen, screen-message and serve (name_v1, name_v2); empty: the"
        " default matcher.",
    ),
    Setting(
        "spark_master",
        "INTERDICT_SPARK_MASTER",
        "",
        "Spark master URL for --engine spark; empty: the one spark-submit gave, else local[*].",
    ),
    Setting(
        "analyst",
        "INTERDICT_ANALYST",
        "",
        "The registered analyst the CLI acts as when a command gets no --analyst.",
    ),
    Setting(
        "iso20022_xsd",
        "INTERDICT_ISO20022_XSD",
        "",
        "Folder holding auth.002.001.01.xsd: answers to information requests are validated.",
    ),
)


@dataclass(frozen=True)
class Settings:
    """Resolved settings."""

    home: Path
    workers: int
    engine: str = "duckdb"
    spark_master: str = ""
    matcher: str = ""
    """A registered matcher's name; empty means the registry's default."""
    analyst: str = ""
    iso20022_xsd: str = ""

    def engine_options(self, engine: str) -> dict[str, str]:
        """Constructor options of ``engine`` that come from settings (the Spark master)."""
        if engine == "spark" and self.spark_master:
            return {"master": self.spark_master}
        return {}


def load_settings(
    environ: Mapping[str, str] | None = None, **overrides: str | Path | int | None
) -> Settings:
    """Defaults, then ``INTERDICT_*`` variables, then explicit overrides (CLI flags)."""
    env = os.environ if environ is None else environ
    values: dict[str, str] = {}
    for setting in SETTINGS:
        values[setting.name] = env.get(setting.env, setting.default)
        override = overrides.get(setting.name)
        if override is not None:
            values[setting.name] = str(override)
    return Settings(
        home=Path(values["home"]).expanduser(),
        workers=int(values["workers"] or 0),
        engine=values["engine"].strip().lower() or "duckdb",
        spark_master=values["spark_master"].strip(),
        matcher=values["matcher"].strip(),
        analyst=values["analyst"].strip(),
        iso20022_xsd=values["iso20022_xsd"].strip(),
    )
