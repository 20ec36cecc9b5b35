"""Registered analysts: roles, refusals, audited changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from interdict.errors import BadInputError, ConflictError, ListNotFoundError
from interdict.store import Workspace
from interdict.store.analysts import AnalystRole, AnalystStore
from interdict.store.audit import audit_events


def test_add_change_and_refuse(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as workspace:
        store = AnalystStore(workspace)
        store.add("ana", AnalystRole.ANALYST)
        store.add("aud", AnalystRole.AUDITOR)
        with pytest.raises(ConflictError, match="already registered"):
            store.add("ana", AnalystRole.SUPERVISOR)
        with pytest.raises(BadInputError, match="not usable"):
            store.add("two words", AnalystRole.ANALYST)
        with pytest.raises(ListNotFoundError, match="not a registered analyst"):
            store.get("nobody")
        with pytest.raises(ConflictError, match="cannot decide"):
            store.deciding("aud")
        assert store.deciding("ana").role is AnalystRole.ANALYST
        store.set_role("ana", AnalystRole.SUPERVISOR, active=False)
        with pytest.raises(ConflictError, match="deactivated"):
            store.get("ana")
        events = [(e.action, e.subject) for e in audit_events(workspace.db)]
    assert ("analyst.add", "ana") in events and ("analyst.role", "ana") in events
