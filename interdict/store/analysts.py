"""Registered analysts: the people who act on alerts and cases, each with one role.

Roles: ``analyst`` triages, proposes and approves; ``supervisor`` does the same and is who the
workspace policy may require for approvals; ``auditor`` reads and verifies, never decides.
Every addition and role change is an audited event in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from interdict.errors import BadInputError, ConflictError, ListNotFoundError
from interdict.store.audit import current_actor, record_event, utc_now
from interdict.store.workspace import Workspace, transaction

__all__ = ["Analyst", "AnalystRole", "AnalystStore"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


class AnalystRole(StrEnum):
    """What a registered person may do."""

    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"


DECIDING_ROLES = frozenset({AnalystRole.ANALYST, AnalystRole.SUPERVISOR})


@dataclass(frozen=True)
class Analyst:
    """One registered person."""

    name: str
    role: AnalystRole
    active: bool
    created_at: datetime
    changed_at: datetime

    @property
    def decides(self) -> bool:
        """Whether this person may propose and approve decisions."""
        return self.active and self.role in DECIDING_ROLES


class AnalystStore:
    """Analysts in a workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def add(self, name: str, role: AnalystRole, *, actor: str | None = None) -> Analyst:
        """Register ``name`` with ``role`` (audited)."""
        if not _NAME.fullmatch(name):
            raise BadInputError(
                f"analyst name {name[:70]!r} is not usable",
                hint="1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
            )
        if self.find(name) is not None:
            raise ConflictError(
                f"analyst {name!r} is already registered",
                hint="change the role with 'interdict analysts role NAME --role ROLE'",
            )
        now = utc_now()
        self._write(
            "INSERT INTO analysts VALUES (?, ?, true, ?, ?)",
            [name, role.value, now, now],
            "analyst.add",
            name,
            {"role": role.value},
            actor,
        )
        return self.get(name)

    def set_role(
        self, name: str, role: AnalystRole, *, active: bool = True, actor: str | None = None
    ) -> Analyst:
        """Change an analyst's role, or deactivate them (audited; old decisions keep the name)."""
        before = self.get(name, active_only=False)
        self._write(
            "UPDATE analysts SET role = ?, active = ?, changed_at = ? WHERE name = ?",
            [role.value, active, utc_now(), name],
            "analyst.role",
            name,
            {"from": before.role.value, "to": role.value, "active": active},
            actor,
        )
        return self.get(name, active_only=False)

    def audit(self, action: str, subject: str, detail: dict[str, object]) -> None:
        """Record a change made outside the database (an API key) as an audited event."""
        self._write("SELECT 1", [], action, subject, detail, None)

    def _write(
        self,
        sql: str,
        params: list[object],
        action: str,
        subject: str,
        detail: dict[str, object],
        actor: str | None,
    ) -> None:
        with transaction(self.workspace.db) as db:
            db.execute(sql, params)
            record_event(db, action, subject, dict(detail), actor=actor or current_actor())

    def find(self, name: str) -> Analyst | None:
        """The analyst called ``name``, if registered."""
        if not self.workspace.has_table("analysts"):
            return None
        with self.workspace.db.cursor() as cursor:
            rows = cursor.execute("SELECT * FROM analysts WHERE name = ?", [name]).fetchall()
        if not rows:
            return None
        name, role, active, created, changed = rows[0]
        return Analyst(name, AnalystRole(role), bool(active), created, changed)

    def get(self, name: str, *, active_only: bool = True) -> Analyst:
        """The registered, active analyst ``name``; refuses anyone else clearly."""
        analyst = self.find(name.strip())
        if analyst is None:
            raise ListNotFoundError(
                f"{name[:70]!r} is not a registered analyst",
                hint="register with 'interdict analysts add NAME --role ROLE'",
            )
        if active_only and not analyst.active:
            raise ConflictError(f"analyst {name!r} is deactivated", hint="see 'analysts ls'")
        return analyst

    def deciding(self, name: str) -> Analyst:
        """The analyst ``name``, who must be allowed to propose and approve."""
        analyst = self.get(name)
        if not analyst.decides:
            raise ConflictError(
                f"analyst {name!r} has the role {analyst.role.value}, which cannot decide",
                hint="decisions are taken by an analyst or a supervisor",
            )
        return analyst

    def all(self) -> list[Analyst]:
        """Every registered analyst, by name."""
        if not self.workspace.has_table("analysts"):
            return []
        with self.workspace.db.cursor() as cursor:
            rows = cursor.execute("SELECT * FROM analysts ORDER BY name").fetchall()
        return [Analyst(n, AnalystRole(r), bool(a), c, ch) for n, r, a, c, ch in rows]
