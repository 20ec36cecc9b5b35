"""The workspace's case policy: due dates by kind of case, who may approve, what is high-score.

Defaults follow FATF: a designated-person match is decided within hours (R.6, "without delay"),
a suspicion is reported promptly (R.20), an FIU's request is answered by its deadline. A
workspace overrides them in ``<home>/case_policy.yaml``::

    due_hours: {sanctions: 24, monitoring: 72, request: 240}
    approver_roles: [analyst, supervisor]
    high_score: 0.95
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from interdict.errors import BadInputError
from interdict.store.analysts import AnalystRole

__all__ = ["POLICY_FILE", "CasePolicy", "load_policy"]

POLICY_FILE = "case_policy.yaml"


@dataclass(frozen=True)
class CasePolicy:
    """Resolved policy."""

    due_hours: dict[str, float] = field(
        default_factory=lambda: {"sanctions": 24.0, "monitoring": 72.0, "request": 240.0}
    )
    approver_roles: frozenset[AnalystRole] = frozenset(
        {AnalystRole.ANALYST, AnalystRole.SUPERVISOR}
    )
    high_score: float = 0.95
    """A screening pair scoring this or more is cleared only through a four-eyes case."""

    def due_in(self, kind: str) -> float:
        """Hours a case of ``kind`` has before it is due."""
        return self.due_hours.get(kind, max(self.due_hours.values()))


def load_policy(home: Path) -> CasePolicy:
    """The policy of the workspace in ``home`` (defaults when it has no policy file)."""
    path = home / POLICY_FILE
    if not path.exists():
        return CasePolicy()
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        default = CasePolicy()
        hours = {
            **default.due_hours,
            **{str(k): float(v) for k, v in data.get("due_hours", {}).items()},
        }
        roles = data.get("approver_roles")
        approvers = frozenset(AnalystRole(r) for r in roles) if roles else default.approver_roles
        if AnalystRole.AUDITOR in approvers:
            raise ValueError("auditors never approve")
        return CasePolicy(hours, approvers, float(data.get("high_score", default.high_score)))
    except (yaml.YAMLError, ValueError, TypeError, AttributeError) as exc:
        raise BadInputError(
            f"the case policy cannot be used: {exc}",
            where=str(path),
            hint="keys: due_hours {sanctions, monitoring, request}, approver_roles, high_score",
        ) from exc
