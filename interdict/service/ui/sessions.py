"""Browser sessions of the workbench: an API key exchanged once for a session cookie.

The cookie carries a random token (256 bits); the server keeps only the token's SHA-256 with
the key id, the CSRF token and the expiry, in memory: a restart signs everyone out, and a key
revoked or changed in the keys file ends its sessions on the next request (the key is checked
again every time, never trusted from the cookie). A session expires after
:data:`IDLE_SECONDS` without use and at the latest :data:`MAX_SECONDS` after sign-in. Every
form carries the session's CSRF token; every POST is checked against it in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

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

    def flash(self, kind: str, text: str) -> None:
        """Show ``text`` on the next page (``kind``: ok or error)."""
        self.flashes = [*self.flashes[-4:], (kind, text)]

    def take_flashes(self) -> list[tuple[str, str]]:
        """The pending messages, cleared."""
        taken, self.flashes = self.flashes, []
        return taken

    def csrf_ok(self, sent: str | None) -> bool:
        """Whether a form's token is this session's."""
        return sent is not None and hmac.compare_digest(sent.encode(), self.csrf.encode())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    """Sessions by the SHA-256 of their cookie token (thread-safe; in memory)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def start(self, key_id: str) -> tuple[str, Session]:
        """A new session for ``key_id``: the cookie token (given once) and the session."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        session = Session(key_id, secrets.token_urlsafe(32), now, now)
        with self._lock:
            if len(self._sessions) >= MAX_SESSIONS:
                self._drop_expired(now)
            if len(self._sessions) >= MAX_SESSIONS:
                oldest = min(self._sessions, key=lambda k: self._sessions[k].last_seen)
                del self._sessions[oldest]
            self._sessions[_digest(token)] = session
        return token, session

    def find(self, token: str | None) -> Session | None:
        """The live session a cookie names (its idle time restarts), else ``None``."""
        if not token or len(token) > 100:
            return None
        now = self.clock()
        with self._lock:
            digest = _digest(token)
            session = self._sessions.get(digest)
            if session is None:
                return None
            if self._expired(session, now):
                del self._sessions[digest]
                return None
            session.last_seen = now
            return session

    def end(self, token: str | None) -> None:
        """Sign out: forget the session a cookie names."""
        if token:
            with self._lock:
                self._sessions.pop(_digest(token), None)

    def remaining(self, session: Session) -> int:
        """Seconds until ``session`` expires if left idle (the cookie's Max-Age)."""
        now = self.clock()
        return int(min(now + IDLE_SECONDS, session.started + MAX_SECONDS) - now)

    @staticmethod
    def _expired(session: Session, now: float) -> bool:
        return now - session.last_seen > IDLE_SECONDS or now - session.started > MAX_SECONDS

    def _drop_expired(self, now: float) -> None:
        for digest in [d for d, s in self._sessions.items() if self._expired(s, now)]:
            del self._sessions[digest]
