"""The workspace's side of the hash chain: outbox, crash repair, anchors, signed heads."""

from __future__ import annotations

import json
from pathlib import Path

from interdict.store import Workspace
from interdict.store.analysts import AnalystRole, AnalystStore
from interdict.store.trail import (
    Trail,
    head_in_chain,
    head_signature_ok,
    signed_head,
    verify_trail,
)


def _workspace_with_events(tmp_path: Path, count: int) -> tuple[Workspace, Path]:
    workspace = Workspace(tmp_path / "ws")
    store = AnalystStore(workspace)
    for n in range(count):
        store.add(f"a{n}", AnalystRole.ANALYST)
    return workspace, tmp_path / "trail.jsonl"


def test_flush_then_verify_and_each_kind_of_damage(tmp_path: Path) -> None:
    workspace, path = _workspace_with_events(tmp_path, 3)
    with workspace:
        assert Trail(workspace, path).flush() == 3
        assert Trail(workspace, path).flush() == 0
        check = verify_trail(workspace, path)
        assert check.ok and check.entries == 3 and check.anchored == 3
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(b"".join(lines[:2]))  # truncated at a line boundary: chain still sound
        truncated = verify_trail(workspace, path)
        assert not truncated.ok and "truncated or rolled back" in (truncated.problem or "")
        path.unlink()
        assert "missing" in (verify_trail(workspace, path).problem or "")
        edited = lines[1].replace(b'"a1"', b'"zz"')
        path.write_bytes(lines[0] + edited + lines[2])
        broken = verify_trail(workspace, path)
        assert not broken.ok and broken.where == f"{path} line 2"


def test_claimed_event_already_chained_is_not_appended_twice(tmp_path: Path) -> None:
    workspace, path = _workspace_with_events(tmp_path, 2)
    with workspace:
        Trail(workspace, path).flush()
        # as if killed after the append but before the row was marked done
        with workspace.db.cursor() as cursor:
            cursor.execute("UPDATE audit_outbox SET state = 'claimed' WHERE seq = 2")
        AnalystStore(workspace).add("late", AnalystRole.AUDITOR)
        assert Trail(workspace, path).flush() == 1
        check = verify_trail(workspace, path)
    assert check.ok and check.entries == 3


def test_signed_head_detects_a_rewritten_chain(tmp_path: Path) -> None:
    workspace, path = _workspace_with_events(tmp_path, 2)
    with workspace:
        Trail(workspace, path).flush()
        exported = signed_head(verify_trail(workspace, path), tmp_path / "key.pem")
    assert head_signature_ok(exported) and head_in_chain(path, exported)
    forged = {**exported, "entries": 1}
    assert not head_signature_ok(forged)
    path.write_text(path.read_text().replace(exported["head"], "0" * 64))
    assert not head_in_chain(path, json.loads(json.dumps(exported)))
