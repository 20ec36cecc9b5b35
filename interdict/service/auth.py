"""API keys and roles: who may call which route.

A key looks like ``idk_<8 hex id>_<43 random characters>`` (256 bits from :mod:`secrets`). It is
shown once, when created; the keys file keeps only its SHA-256, its role and its label. A key
this strong needs no slow hash: guessing is hopeless, and a stolen file reveals no key. Checks
compare digests in constant time.

Roles are ordered: ``client`` screens; ``analyst`` also reads the audit trail and works alerts,
cases and reports (as the registered analyst who owns the key); ``admin`` also reloads the lists.
``peer`` stands apart: it is another institution's service taking part in private matching
(``/exchange/…``), and may call those routes only, which no other role may call.
:data:`ACCESS` is the one table of which role each route needs (``None``: public), by route
template (``/cases/{case_id}``); the gate middleware enforces it before any body is read
(:func:`route_of` finds the template of a path), and the OpenAPI description is written from it.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from interdict.errors import BadInputError, ListNotFoundError, WorkspaceError

__all__ = [
    "ACCESS",
    "ApiKey",
    "KeyStore",
    "Role",
    "allows",
    "route_of",
]


class Role(StrEnum):
    """What a key may do; each role may do everything the ones before it may."""

    CLIENT = "client"
    ANALYST = "analyst"
    ADMIN = "admin"
    PEER = "peer"


_RANK = {Role.CLIENT: 1, Role.ANALYST: 2, Role.ADMIN: 3}
"""The ordered roles; :attr:`Role.PEER` is outside the order."""

ACCESS: dict[tuple[str, str], Role | None] = {
    ("POST", "/screen"): Role.CLIENT,
    ("POST", "/screen/payment"): Role.CLIENT,
    ("POST", "/screen/manifest"): Role.CLIENT,
    ("GET", "/lists"): Role.CLIENT,
    ("POST", "/match/{dataset}"): Role.CLIENT,
    ("GET", "/search/{dataset}"): Role.CLIENT,
    ("GET", "/entities/{entity_id}"): Role.CLIENT,
    ("GET", "/audit/verify"): Role.ANALYST,
    ("POST", "/admin/reload"): Role.ADMIN,
    ("GET", "/alerts"): Role.ANALYST,
    ("GET", "/alerts/{alert_id}"): Role.ANALYST,
    ("GET", "/cases"): Role.ANALYST,
    ("POST", "/cases"): Role.ANALYST,
    ("GET", "/cases/{case_id}"): Role.ANALYST,
    ("POST", "/cases/{case_id}/comments"): Role.ANALYST,
    ("POST", "/cases/{case_id}/assign"): Role.ANALYST,
    ("POST", "/cases/{case_id}/propose"): Role.ANALYST,
    ("POST", "/cases/{case_id}/approve"): Role.ANALYST,
    ("POST", "/reports/goaml"): Role.ANALYST,
    ("POST", "/exchange/open"): Role.PEER,
    ("POST", "/exchange/{exchange_id}/evaluate"): Role.PEER,
    ("GET", "/exchange/{exchange_id}/identifiers"): Role.PEER,
    ("GET", "/exchange/{exchange_id}/names"): Role.PEER,
    ("POST", "/exchange/{exchange_id}/close"): Role.PEER,
    ("GET", "/health"): None,
    ("GET", "/ready"): None,
    ("GET", "/metrics"): None,
    ("GET", "/openapi.json"): None,
    ("GET", "/docs"): None,
    ("GET", "/docs/oauth2-redirect"): None,
    ("GET", "/docs/assets/{asset}"): None,
    ("GET", "/redoc"): None,
}
"""Route → the least role that may call it (``None``: no key needed). A ``{name}`` segment of
a route stands for any one segment of a request path (:func:`access_entry`)."""

_SCHEMES = ("bearer", "apikey")
_TOKEN = re.compile(r"idk_([0-9a-f]{8})_[A-Za-z0-9_-]{43}")


def route_of(
    method: str, path: str, access: dict[tuple[str, str], Role | None] = ACCESS
) -> tuple[str, bool] | None:
    """The template in ``access`` that ``path`` is an instance of, and whether ``method`` is
    listed for it (``None``: no route has that path). ``/cases/CASE-000001`` is
    ``/cases/{case_id}``; a ``{name}`` segment matches one non-empty segment."""
    parts = path.split("/")
    found: str | None = None
    for listed_method, template in access:
        if template == path or _instance(parts, template):
            if listed_method == method:
                return template, True
            found = found or template
    return (found, False) if found is not None else None


def _instance(parts: list[str], template: str) -> bool:
    wanted = template.split("/")
    if "{" not in template or len(wanted) != len(parts):
        return False
    return all(
        (w.startswith("{") and w.endswith("}") and p != "") or w == p
        for w, p in zip(wanted, parts, strict=True)
    )


def allows(role: Role, required: Role) -> bool:
    """Whether ``role`` may call a route that needs ``required`` (a peer only peer routes, and
    only a peer those)."""
    if Role.PEER in (role, required):
        return role is required
    return _RANK[role] >= _RANK[required]


@dataclass(frozen=True)
class ApiKey:
    """What the service knows about a key: never the key itself."""

    id: str
    role: Role
    sha256: str
    created: str
    label: str = ""
    revoked: bool = False
    analyst: str = ""
    """The registered analyst the key belongs to (empty: a machine client)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class KeyStore:
    """The keys file: created and revoked by ``interdict keys``, read by the service.

    The service re-reads the file when it changes, so a key created or revoked while the
    service runs takes effect on the next request.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._keys: dict[str, ApiKey] = {}
        self._stamp: tuple[int, int, int] | None = None
        self._lock = threading.Lock()

    # -- the service side ----------------------------------------------------------------------

    def authenticate(self, authorization: str | None) -> tuple[ApiKey | None, str]:
        """The key an ``Authorization: Bearer …`` header carries, and who to audit.

        ``ApiKey …`` (the scheme yente's clients send) is read the same way.

        Returns ``(key, who)``: ``key`` is ``None`` when the header is missing, malformed,
        unknown or revoked; ``who`` is the key id only when the whole key is right (a revoked
        key names itself), else ``anonymous``: a forged token carrying a real key id is never
        recorded as that key.
        """
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() not in _SCHEMES:
            return None, "anonymous"
        token = token.strip()
        found = _TOKEN.fullmatch(token)
        if found is None:
            return None, "anonymous"
        key_id = found.group(1)
        known = self._current().get(key_id)
        expected = known.sha256 if known else "0" * 64
        if not hmac.compare_digest(expected, _digest(token)) or known is None:
            return None, "anonymous"
        if known.revoked:
            return None, key_id
        return known, key_id

    def known(self, key_id: str) -> ApiKey | None:
        """The current record of a key already authenticated once (a browser session's key),
        ``None`` when it is gone or revoked since: a session ends with its key."""
        found = self._current().get(key_id)
        return None if found is None or found.revoked else found

    def _current(self) -> dict[str, ApiKey]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if stamp != self._stamp:
            with self._lock:
                self._keys = {k.id: k for k in self._read()}
                self._stamp = stamp
        return self._keys

    # -- the administrator side ----------------------------------------------------------------

    def records(self) -> list[ApiKey]:
        """Every key in the file, oldest first."""
        return self._read()

    def create(self, role: Role, label: str = "", *, analyst: str = "") -> tuple[str, ApiKey]:
        """A new key for ``role`` (owned by ``analyst`` when given): returns the key, shown
        once, and its stored record."""
        with self._locked():
            keys = self._read()
            known = {k.id for k in keys}
            key_id = secrets.token_hex(4)
            while key_id in known:
                key_id = secrets.token_hex(4)
            token = f"idk_{key_id}_{secrets.token_urlsafe(32)}"
            record = ApiKey(
                id=key_id,
                role=role,
                sha256=_digest(token),
                created=datetime.now(UTC).isoformat(timespec="seconds"),
                label=" ".join(label.split())[:200],
                analyst=analyst,
            )
            self._write([*keys, record])
        return token, record

    def revoke(self, key_id: str) -> ApiKey:
        """Mark a key revoked (kept in the file so audit entries still name it)."""
        with self._locked():
            keys = self._read()
            if key_id not in {k.id for k in keys}:
                raise ListNotFoundError(
                    f"no API key with id {key_id!r}", where=str(self.path), hint="see 'keys ls'"
                )
            updated = [
                ApiKey(**{**asdict(k), "revoked": True}) if k.id == key_id else k for k in keys
            ]
            self._write(updated)
        return next(k for k in updated if k.id == key_id)

    def _read(self) -> list[ApiKey]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [ApiKey(**{**item, "role": Role(item["role"])}) for item in data["keys"]]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BadInputError(
                f"the API keys file cannot be read ({type(exc).__name__})",
                where=str(self.path),
                hint="restore it from backup, or move it away and create new keys",
            ) from exc

    def _write(self, keys: list[ApiKey]) -> None:
        partial = self.path.with_name(self.path.name + ".partial")
        payload = {"version": 1, "keys": [asdict(k) for k in keys]}
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2)
            handle.write("\n")
        os.replace(partial, self.path)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(
                self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600
            )
        except OSError as exc:
            raise WorkspaceError(
                f"cannot write the API keys file: {exc.strerror}", where=str(self.path)
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)
