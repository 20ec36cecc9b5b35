"""One family of errors. Each says what went wrong, where, and what to do about it.

Faces map these to exit codes (CLI) and HTTP statuses (service) in one table each;
nothing else in the library raises bare built-in exceptions for expected failures.
"""

from __future__ import annotations

__all__ = [
    "BadInputError",
    "ConflictError",
    "InterdictError",
    "ListNotFoundError",
    "WorkspaceError",
    "WorkspaceNotFoundError",
]


class InterdictError(Exception):
    """Base of every error Interdict raises on purpose."""

    status = 500

    def __init__(self, what: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.what = what
        self.where = where
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        if self.hint:
            text += f" — {self.hint}"
        return text


class BadInputError(InterdictError):
    """Untrusted input (a list file, a customer file, a message) could not be read."""

    status = 422


class ListNotFoundError(InterdictError):
    """A list name or version that the workspace does not hold."""

    status = 404


class ConflictError(InterdictError):
    """Another process holds the workspace, or the state does not allow the operation."""

    status = 409


class WorkspaceError(InterdictError):
    """The workspace folder or database is unusable."""

    status = 500


class WorkspaceNotFoundError(WorkspaceError):
    """A workspace opened for reading does not exist (a mistyped folder, say)."""

    status = 404


def where(source: str, *, line: int | None = None, record: str | None = None) -> str:
    """Format a location: ``file.csv line 12`` or ``un.xml record QDi.123``."""
    text = source
    if line is not None:
        text += f" line {line}"
    if record is not None:
        text += f" record {record}"
    return text
