"""Browser sessions of the workbench: an API key exchanged once for a session cookie.

The cookie carries a random token (256 bits); the server keeps only the token's SHA-256 with
the key id, the CSRF token and the times — one small file per session under
``<workspace>/service/sessions/`` (owner-only), so every worker process of ``interdict serve
--workers N`` knows every session, and a restart keeps them. A key revoked or changed in the keys
file ends its sessions on the next request (the key is checked again every time, never trusted
from the cookie). A session expires after :data:`IDLE_SECONDS` without use and at the latest
:data:`MAX_SECONDS` after sign-in. Every form carries the session's CSRF token; every POST is
checked against it in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["COOKIE", "IDLE_SECONDS", "LOGIN_COOKIE", "MAX_SECONDS", "Session", "SessionStore"]

COOKIE = "interdict_session"
LOGIN_COOKIE = "interdict_login"
"""Holds the sign-in form's own CSRF token (double submit) before any session exists."""
IDLE_SECONDS = 30 * 60
MAX_SECONDS = 8 * 3600
MAX_SESSIONS = 10_000


@dataclass
class Session:
    """One signed-in browser: whose key, the form token, and when it ends."""

    key_id: str
    csrf: str
    started: float
    last_seen: float
    flashes: list[tuple[str, str]] = field(default_factory=list)
    """Messages for the next page (kind, text): the outcome of the last form."""
    saved_as: Path | None = field(default=None, repr=False, compare=False)

    def flash(self, kind: str, text: str) -> None:
        """Show ``text`` on the next page (``kind``: ok or error)."""
        self.flashes = [*self.flashes[-4:], (kind, text)]
        self.save()

    def take_flashes(self) -> list[tuple[str, str]]:
        """The pending messages, cleared."""
        taken, self.flashes = self.flashes, []
        if taken:
            self.save()
        return taken

    def csrf_ok(self, sent: str | None) -> bool:
        """Whether a form's token is this session's."""
        return sent is not None and hmac.compare_digest(sent.encode(), self.csrf.encode())

    def save(self) -> None:
        """Write the session to its file (atomically; owner-only)."""
        if self.saved_as is None:
            return
        data = {k: v for k, v in asdict(self).items() if k != "saved_as"}
        partial = self.saved_as.with_name(self.saved_as.name + f".{os.getpid()}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(partial, self.saved_as)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    """Sessions by the SHA-256 of their cookie token, one file each in ``folder``."""

    def __init__(self, folder: Path, clock: Callable[[], float] = time.time) -> None:
        self.folder = folder
        self.clock = clock

    def _path(self, digest: str) -> Path:
        return self.folder / f"{digest}.json"

    def start(self, key_id: str) -> tuple[str, Session]:
        """A new session for ``key_id``: the cookie token (given once) and the session."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        now = self.clock()
        files = sorted(self.folder.glob("*.json"))
        if len(files) >= MAX_SESSIONS // 2:
            for path in files:
                found = self._load(path)
                if found is None or self._expired(found, now):
                    path.unlink(missing_ok=True)
            files = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
            for path in files[: max(0, len(files) - MAX_SESSIONS + 1)]:
                path.unlink(missing_ok=True)  # the least recently used
        token = secrets.token_urlsafe(32)
        session = Session(key_id, secrets.token_urlsafe(32), now, now)
        session.saved_as = self._path(_digest(token))
        session.save()
        return token, session

    def find(self, token: str | None) -> Session | None:
        """The live session a cookie names (its idle time restarts), else ``None``."""
        if not token or len(token) > 100:
            return None
        path = self._path(_digest(token))
        session = self._load(path)
        if session is None:
            return None
        now = self.clock()
        if self._expired(session, now):
            path.unlink(missing_ok=True)
            return None
        session.last_seen = now
        session.save()
        return session

    def end(self, token: str | None) -> None:
        """Sign out: forget the session a cookie names."""
        if token and len(token) <= 100:
            self._path(_digest(token)).unlink(missing_ok=True)

    def remaining(self, session: Session) -> int:
        """Seconds until ``session`` expires if left idle (the cookie's Max-Age)."""
        now = self.clock()
        return int(min(now + IDLE_SECONDS, session.started + MAX_SECONDS) - now)

    @staticmethod
    def _load(path: Path) -> Session | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            session = Session(
                key_id=str(data["key_id"]),
                csrf=str(data["csrf"]),
                started=float(data["started"]),
                last_seen=float(data["last_seen"]),
                flashes=[(str(k), str(t)) for k, t in data.get("flashes", [])],
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)  # a damaged session file: that browser signs in again
            return None
        session.saved_as = path
        return session

    @staticmethod
    def _expired(session: Session, now: float) -> bool:
        return now - session.last_seen > IDLE_SECONDS or now - session.started > MAX_SECONDS
