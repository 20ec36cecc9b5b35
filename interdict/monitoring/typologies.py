"""Typology rules as data: the YAML files under ``interdict/monitoring/rules/`` and their model.

A rule names a *pattern* the compiler knows (``aggregate``, ``flow_through``, ``cycle``,
``scatter_gather``, ``dormant``), which payments count (filters on the canonical columns), the
time windows, and the thresholds that raise an alert. Reference lists a rule refers to (high-risk
countries, donation purpose codes…) are CSV files under ``rules/data/`` with their sources.
"""

from __future__ import annotations

import csv
import re
import string
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from interdict.errors import BadInputError
from interdict.readers.base import describe_validation_error

__all__ = [
    "PLACEHOLDERS",
    "Condition",
    "Filter",
    "Flow",
    "Pattern",
    "Rule",
    "builtin_rules",
    "load_list",
    "load_rules",
    "parse_duration",
]

_DURATION = re.compile(r"^\s*(\d+)\s*(minute|minutes|hour|hours|day|days|week|weeks)\s*$")
_UNITS = {"minute": 60, "hour": 3600, "day": 86_400, "week": 7 * 86_400}
FILTER_COLUMNS = (
    "amount",
    "currency",
    "payment_format",
    "channel",
    "country_from",
    "country_to",
    "purpose",
)


PLACEHOLDERS = (
    "account",
    "payments",
    "total_amount",
    "min_amount",
    "max_amount",
    "currency",
    "start",
    "end",
    "days",
    "window",
    "senders",
    "receivers",
    "incoming_amount",
    "outgoing_amount",
    "out_over_in",
    "length",
    "path",
    "intermediaries",
    "dormant_days",
)
"""Names a rule's ``explain`` sentence may use (filled in by :mod:`interdict.monitoring.alerts`)."""


def parse_duration(text: str) -> int:
    """``"3 days"`` → seconds. Units: minutes, hours, days, weeks."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration like '3 days' or '24 hours'")
    unit = match.group(2).rstrip("s")
    return int(match.group(1)) * _UNITS[unit]


Duration = Annotated[str, Field(min_length=1, max_length=40)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Filter(_Strict):
    """A test on one column of a payment. Text comparisons ignore case."""

    at_least: float | None = None
    above: float | None = None
    at_most: float | None = None
    below: float | None = None
    is_in: list[str] | None = Field(default=None, alias="in", max_length=200)
    not_in: list[str] | None = Field(default=None, max_length=200)
    in_list: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,40}$")
    not_in_list: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,40}$")


class Condition(_Strict):
    """A threshold on a measure of a candidate alert."""

    at_least: float | None = None
    above: float | None = None
    at_most: float | None = None
    below: float | None = None
    between: tuple[float, float] | None = None


class Flow(_Strict):
    """One side of a flow: which payments, over which window."""

    payments: dict[str, Filter] = Field(default_factory=dict)
    window: Duration | None = None
    within: Duration | None = None

    @field_validator("payments")
    @classmethod
    def _known_columns(cls, value: dict[str, Filter]) -> dict[str, Filter]:
        unknown = sorted(set(value) - set(FILTER_COLUMNS))
        if unknown:
            raise ValueError(f"unknown payment column(s) {unknown}; use {list(FILTER_COLUMNS)}")
        return value

    @field_validator("window", "within")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value


class Pattern(StrEnum):
    """The shapes of money movement the compiler can turn into SQL."""

    AGGREGATE = "aggregate"
    FLOW_THROUGH = "flow_through"
    CYCLE = "cycle"
    SCATTER_GATHER = "scatter_gather"
    DORMANT = "dormant"


class Rule(_Strict):
    """One typology rule, as written in YAML."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,60}$")
    title: str = Field(min_length=3, max_length=120)
    typology: str = Field(min_length=10, max_length=2000)
    pattern: Pattern
    focus: str = Field(default="sender", pattern=r"^(sender|receiver)$")
    payments: dict[str, Filter] = Field(default_factory=dict)
    window: Duration = "7 days"
    incoming: Flow | None = None
    outgoing: Flow | None = None
    max_length: int = Field(default=4, ge=2, le=6)
    min_kept: float = Field(default=0.0, ge=0.0, le=1.0)
    dormant_for: Duration | None = None
    alert_when: dict[str, Condition] = Field(default_factory=dict)
    explain: str = Field(min_length=5, max_length=400)
    references: list[str] = Field(default_factory=list)

    @field_validator("payments")
    @classmethod
    def _known_columns(cls, value: dict[str, Filter]) -> dict[str, Filter]:
        return Flow._known_columns(value)

    @field_validator("explain")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        names = [name for _t, name, _s, _c in string.Formatter().parse(value) if name]
        unknown = [name for name in names if name not in PLACEHOLDERS]
        if unknown:
            raise ValueError(f"unknown placeholder(s) {unknown}; use {list(PLACEHOLDERS)}")
        return value

    @field_validator("window", "dormant_for")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @property
    def window_seconds(self) -> int:
        """The main window in seconds."""
        return parse_duration(self.window)


def _rules_folder() -> Path:
    return Path(str(resources.files("interdict.monitoring").joinpath("rules")))


def load_rules(paths: list[Path] | None = None) -> list[Rule]:
    """Rules from YAML files or folders of them; the built-in rules when ``paths`` is empty."""
    files: list[Path] = []
    for path in paths or [_rules_folder()]:
        files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    rules = [_load_rule(file) for file in files]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise BadInputError(f"two rules with id {rule.id!r}", hint="rename one of them")
        seen.add(rule.id)
    return rules


@cache
def builtin_rules() -> tuple[Rule, ...]:
    """The rules shipped in ``interdict/monitoring/rules/``."""
    return tuple(load_rules())


def _load_rule(file: Path) -> Rule:
    if not file.is_file():
        raise BadInputError("rule file not found", where=str(file), hint="check the path")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise BadInputError(f"not valid YAML: {exc}", where=str(file)) from exc
    if not isinstance(data, dict):
        raise BadInputError("a rule file holds one mapping", where=str(file))
    try:
        return Rule.model_validate(data)
    except ValidationError as exc:
        raise BadInputError(
            f"invalid rule: {describe_validation_error(exc)}",
            where=str(file),
            hint="see interdict/monitoring/rules/README.md",
        ) from exc


@cache
def load_list(name: str) -> tuple[str, ...]:
    """Values of the reference list ``rules/data/<name>.csv`` (first column, upper-cased)."""
    path = _rules_folder() / "data" / f"{name}.csv"
    if not path.is_file():
        raise BadInputError(
            f"no reference list {name!r}", where=str(path), hint="add the CSV or fix the rule"
        )
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = [row for row in csv.reader(lines) if row]
    return tuple(row[0].strip().upper() for row in rows[1:] if row[0].strip())
