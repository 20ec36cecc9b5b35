"""The workspace's side of the one hash-chained audit trail (the service's JSON Lines chain).

Every audited change of the workspace — case events, decisions, analysts and keys, list imports,
rescreens — is written as a row of ``audit_outbox`` *inside the transaction that makes the
change*, then appended to the chain (:class:`interdict.service.audit.AuditLog`) once committed.
A row goes ``pending`` → ``claimed`` (committed before the append) → ``done`` with the sequence
number and hash the chain gave it. A crash between two steps is repaired by the next
:meth:`Trail.flush`: a claimed row already in the chain (found by its ``event_id``) is only
marked done, any other is appended. So a change is in the chain exactly once, and never
without the change.

The ``done`` rows anchor the chain in the workspace: :func:`verify_trail` fails when the trail
is missing, shorter than the workspace remembers (truncated, rolled back from a backup) or
holds other entries at the remembered positions, and names the first broken link. The chain
entry carries only ids and a SHA-256 of the event's detail (no personal data, as in the
service's trail); the detail itself stays in the workspace and is checked against that digest.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

from interdict.errors import WorkspaceError
from interdict.service.audit import AuditLog, canonical, verify_audit
from interdict.store.audit import detail_digest
from interdict.store.workspace import Workspace

__all__ = [
    "Trail",
    "TrailCheck",
    "case_event_hash",
    "head_in_chain",
    "head_signature_ok",
    "signed_head",
    "verify_trail",
]

_FLUSH_LOCK = threading.Lock()


class Trail:
    """Moves committed outbox rows into the chain file at ``path``."""

    def __init__(self, workspace: Workspace, path: Path) -> None:
        self.workspace = workspace
        self.path = path

    def flush(self) -> int:
        """Append every committed, not yet chained event; returns how many were appended."""
        if self.workspace.read_only:
            return 0
        with _FLUSH_LOCK:
            rows = self._rows("state <> 'done'")
            if not rows:
                return 0
            log = AuditLog(self.path)
            try:
                claimed = {r[0] for r in rows if r[2] == "claimed"}
                found = _find_entries(self.path, claimed) if claimed else {}
                appended = 0
                for event_id, fields, _state in rows:
                    if event_id in found:
                        self._mark_done(event_id, *found[event_id])
                        continue
                    self._execute(
                        "UPDATE audit_outbox SET state = 'claimed' WHERE event_id = ?", event_id
                    )
                    seq, digest = log.append(json.loads(fields))
                    self._mark_done(event_id, seq, digest)
                    appended += 1
            finally:
                log.close()
        return appended

    def _rows(self, where: str) -> list[tuple[str, str, str]]:
        with self.workspace.db.cursor() as cursor:
            rows = cursor.execute(
                "SELECT event_id, fields, state FROM audit_outbox WHERE "
                + where
                + " ORDER BY created_at, event_id"
            ).fetchall()
        return [(str(a), str(b), str(c)) for a, b, c in rows]

    def _execute(self, sql: str, *params: object) -> None:
        with self.workspace.db.cursor() as cursor:
            cursor.execute(sql, list(params))

    def _mark_done(self, event_id: str, seq: int, digest: str) -> None:
        self._execute(
            "UPDATE audit_outbox SET state = 'done', seq = ?, hash = ? WHERE event_id = ?",
            seq,
            digest,
            event_id,
        )


def _find_entries(path: Path, event_ids: set[str]) -> dict[str, tuple[int, str]]:
    """Sequence number and hash of the chain entries carrying these event ids."""
    found: dict[str, tuple[int, str]] = {}
    if not path.exists():
        return found
    with path.open("rb") as handle:
        for raw in handle:
            try:
                record = json.loads(raw)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("event_id") in event_ids:
                found[str(record["event_id"])] = (int(record["seq"]), str(record["hash"]))
    return found


@dataclass(frozen=True)
class TrailCheck:
    """The result of checking the chain, its anchors in the workspace and the case events."""

    ok: bool
    entries: int
    head: str
    anchored: int
    problem: str | None = None
    where: str | None = None
    pending: int = 0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return dict(self.__dict__)


def verify_trail(workspace: Workspace, path: Path) -> TrailCheck:
    """Check the chain file, that it holds every entry the workspace anchored, and that every
    case event still hashes to what was chained; the first problem is named with its place."""
    check = verify_audit(path)
    anchors = _anchors(workspace)
    pending = _count(workspace, "SELECT count(*) FROM audit_outbox WHERE state <> 'done'")

    def result(problem: str | None, where: str | None) -> TrailCheck:
        ok = problem is None
        return TrailCheck(ok, check.entries, check.head, len(anchors), problem, where, pending)

    if not check.ok:
        return result(check.problem, f"{path} line {check.line}")
    if anchors and not path.exists():
        return result(
            f"the trail file is missing; the workspace anchored {len(anchors)} entries", str(path)
        )
    last_seq = max((a[1] for a in anchors), default=0)
    if last_seq > check.entries:
        return result(
            f"the trail has {check.entries} entries but the workspace anchored entry {last_seq}:"
            " it was truncated or rolled back",
            str(path),
        )
    problem, where = _compare_anchors(path, anchors)
    if problem is None:
        problem, where = _check_case_events(workspace)
    return result(problem, where)


def _anchors(workspace: Workspace) -> list[tuple[str, int, str, str]]:
    if not workspace.has_table("audit_outbox"):
        return []
    with workspace.db.cursor() as cursor:
        rows = cursor.execute(
            "SELECT event_id, seq, hash, fields FROM audit_outbox WHERE state = 'done' ORDER BY seq"
        ).fetchall()
    return [(str(a), int(b), str(c), str(d)) for a, b, c, d in rows]


def _count(workspace: Workspace, sql: str) -> int:
    if not workspace.has_table("audit_outbox"):
        return 0
    with workspace.db.cursor() as cursor:
        return int(cursor.execute(sql).fetchall()[0][0])


def _compare_anchors(
    path: Path, anchors: list[tuple[str, int, str, str]]
) -> tuple[str | None, str | None]:
    wanted = {seq: (event_id, digest, fields) for event_id, seq, digest, fields in anchors}
    if not wanted:
        return None, None
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number not in wanted:
                continue
            event_id, digest, fields = wanted[number]
            record = json.loads(raw)
            if record.get("hash") != digest or record.get("event_id") != event_id:
                return (
                    f"entry {number} is not the one the workspace anchored (event {event_id}):"
                    " the trail was replaced or rolled back",
                    f"{path} line {number}",
                )
            expected = json.loads(fields)
            if any(record.get(k) != v for k, v in expected.items()):
                return (
                    f"entry {number} disagrees with the workspace's record of event {event_id}",
                    f"{path} line {number}",
                )
    return None, None


def _check_case_events(workspace: Workspace) -> tuple[str | None, str | None]:
    """Re-hash each case's own event chain and compare each detail with the chained digest."""
    if not workspace.has_table("case_events"):
        return None, None
    with workspace.db.cursor() as cursor:
        rows = cursor.execute(
            "SELECT e.case_id, e.number, e.event_id, e.actor, e.action, e.detail, e.prev, e.hash,"
            " o.fields FROM case_events e LEFT JOIN audit_outbox o USING (event_id)"
            " ORDER BY e.case_id, e.number"
        ).fetchall()
    previous: dict[str, str] = {}
    for case_id, number, event_id, actor, action, detail, prev, digest, fields in rows:
        place = f"case {case_id} event {number} ({event_id})"
        detail_data = json.loads(detail)
        if prev != previous.get(case_id, "0" * 64):
            return "the case's events do not chain (an event was removed or reordered)", place
        if case_event_hash(prev, event_id, actor, action, detail_data) != digest:
            return "the event's content does not match its hash (it was changed)", place
        if fields is None:
            return "the event has no audit-chain entry", place
        if json.loads(fields).get("digest") != detail_digest(detail_data):
            return "the event's detail differs from the digest in the audit chain", place
        previous[case_id] = digest
    return None, None


def case_event_hash(
    prev: str, event_id: str, actor: str, action: str, detail: dict[str, Any]
) -> str:
    """Hash of one case event, chained to the case's previous event."""
    record = {"prev": prev, "event_id": event_id, "actor": actor, "action": action}
    return hashlib.sha256(canonical({**record, "detail": detail})).hexdigest()


def signed_head(check: TrailCheck, key_path: Path) -> dict[str, Any]:
    """The verified chain head, signed with the workspace's Ed25519 key (created when absent),
    for an auditor to keep outside the workspace; :func:`head_signature_ok` checks it."""
    key = _signing_key(key_path)
    head = {"entries": check.entries, "head": check.head, "anchored": check.anchored}
    signature = key.sign(canonical(head))
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {
        **head,
        "algorithm": "Ed25519",
        "public_key": public.hex(),
        "signature": signature.hex(),
    }


def head_signature_ok(exported: dict[str, Any]) -> bool:
    """Whether an exported head's signature is valid for its own public key."""
    head = {k: exported.get(k) for k in ("entries", "head", "anchored")}
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(str(exported["public_key"])))
        public.verify(bytes.fromhex(str(exported["signature"])), canonical(head))
    except (KeyError, ValueError, InvalidSignature):
        return False
    return True


def head_in_chain(path: Path, exported: dict[str, Any]) -> bool:
    """Whether the chain still holds the exported head at its position."""
    wanted = int(exported.get("entries", 0))
    if wanted == 0:
        return True
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == wanted:
                return bool(json.loads(raw).get("hash") == exported.get("head"))
    return False


def _signing_key(path: Path) -> Ed25519PrivateKey:
    if path.exists():
        loaded = load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise WorkspaceError("the signing key is not an Ed25519 key", where=str(path))
        return loaded
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    return key
