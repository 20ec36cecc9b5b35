"""The audit trail: an append-only, hash-chained JSON Lines file.

Every screening request (answered, rejected or refused) and every administrative action is one
line: sequence number, time, who (the key id, never the key), the route, the outcome, keyed
digests of what was screened, the list versions used and the hits. Each line carries the
SHA-256 of its own canonical JSON, which includes the previous line's hash: changing, removing
or reordering any line breaks the chain, and :func:`verify_audit` says where.

What was screened is recorded as HMAC-SHA256 under a per-installation secret (``<log>.key``),
never in clear: names and birth dates cannot be read back, nor guessed from a list of
candidates without the secret, yet whoever holds the secret can prove that a given record was
screened. Several service processes may append at once: each append holds an exclusive
``flock`` on the file and chains from the line actually last in it.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interdict.errors import WorkspaceError

__all__ = ["GENESIS", "AuditCheck", "AuditLog", "canonical", "verify_audit"]

GENESIS = "0" * 64
"""The ``prev`` of the first entry."""
_TAIL_CHUNK = 65536


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes a record's hash is taken over: sorted keys, no spaces, UTF-8."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class AuditLog:
    """Appends entries to the chain; computes the keyed digests of screened input."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as exc:
            raise WorkspaceError(
                f"cannot open the audit log: {exc.strerror}", where=str(path)
            ) from exc
        self._secret = _secret(path.with_name(path.name + ".key"))
        self._lock = threading.Lock()
        self._cached: tuple[int, str, int] | None = None  # (file size, last hash, last seq)

    def close(self) -> None:
        """Release the file."""
        os.close(self._fd)

    def digest(self, data: bytes) -> str:
        """Keyed digest of screened input (raw body, or one party's canonical form)."""
        return hmac.new(self._secret, data, hashlib.sha256).hexdigest()

    def append(self, fields: dict[str, Any]) -> tuple[int, str]:
        """Write one entry; returns its sequence number and hash."""
        with self._lock:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX)
                try:
                    return self._append_locked(fields)
                finally:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
            except OSError as exc:
                raise WorkspaceError(
                    f"cannot write the audit log: {exc.strerror}",
                    where=str(self.path),
                    hint="screening stops until the audit trail can be written",
                ) from exc

    def _append_locked(self, fields: dict[str, Any]) -> tuple[int, str]:
        size = os.fstat(self._fd).st_size
        if self._cached is not None and self._cached[0] == size:
            _, previous, seq = self._cached
        else:
            previous, seq = _last_entry(self._fd, size, self.path)
        record = {
            **fields,
            "seq": seq + 1,
            "time": datetime.now(UTC).isoformat(timespec="microseconds"),
            "prev": previous,
        }
        digest = hashlib.sha256(canonical(record)).hexdigest()
        line = canonical({**record, "hash": digest}) + b"\n"
        self._write_whole(line, size)
        self._cached = (size + len(line), digest, seq + 1)
        return seq + 1, digest

    def _write_whole(self, line: bytes, size: int) -> None:
        """Append ``line`` completely, or not at all.

        A failed or short write (a full disk) is cut back to ``size``, the end of the last
        good entry, so that no half line is left behind: once space is freed the next append
        chains as if the failed one had never been tried.
        """
        try:
            written = os.write(self._fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError:
            self._cached = None
            os.ftruncate(self._fd, size)
            raise


def _secret(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except OSError as exc:
        raise WorkspaceError(
            f"cannot create the audit key: {exc.strerror}", where=str(path)
        ) from exc
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key


def _last_entry(fd: int, size: int, path: Path) -> tuple[str, int]:
    """Hash and sequence number of the last complete line (``GENESIS, 0`` when empty)."""
    if size == 0:
        return GENESIS, 0
    end = size
    tail = b""
    while end > 0:
        start = max(0, end - _TAIL_CHUNK)
        tail = os.pread(fd, end - start, start) + tail
        end = start
        body = tail.rstrip(b"\n")
        if b"\n" in body or start == 0:
            break
    last = tail.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    try:
        record = json.loads(last)
        return str(record["hash"]), int(record["seq"])
    except (ValueError, KeyError, TypeError) as exc:
        raise WorkspaceError(
            "the last line of the audit log is not an audit entry",
            where=str(path),
            hint="run 'interdict audit verify': a damaged log is investigated, not appended to",
        ) from exc


@dataclass(frozen=True)
class AuditCheck:
    """The result of verifying the chain."""

    ok: bool
    entries: int
    head: str
    problem: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": self.head,
            "problem": self.problem,
            "line": self.line,
        }


def verify_audit(path: Path) -> AuditCheck:
    """Re-hash every line and follow the chain; the first break is reported with its line."""
    previous, count = GENESIS, 0
    if not path.exists():
        return AuditCheck(True, 0, GENESIS)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            problem = _check_line(raw, previous, count)
            if problem is not None:
                return AuditCheck(False, count, previous, problem, number)
            record = json.loads(raw)
            previous, count = record["hash"], count + 1
    return AuditCheck(True, count, previous)


def _check_line(raw: bytes, previous: str, count: int) -> str | None:
    if not raw.endswith(b"\n"):
        return "the line is cut off (no newline): a write was interrupted or the file truncated"
    try:
        record = json.loads(raw)
    except ValueError:
        return "the line is not JSON"
    if not isinstance(record, dict) or not isinstance(record.get("hash"), str):
        return "the line is not an audit entry"
    claimed = record.pop("hash")
    if record.get("seq") != count + 1:
        return f"sequence number {record.get('seq')!r} where {count + 1} was expected"
    if record.get("prev") != previous:
        return "the line does not chain to the one before it (a line was removed or reordered)"
    if hashlib.sha256(canonical(record)).hexdigest() != claimed:
        return "the line's content does not match its hash (it was changed)"
    return None
