"""What one request may cost: parties, matches, answer size and time, each a named setting.

A request over a bound is answered with the bound's name and what to do: 413 for too many
parties or possible matches (checked before any screening) and for an answer larger than the
limit; 503 when screening runs past the time one request may use (checked between parties, so
one party never runs away: its candidates are already bounded by the screener). Every refusal
is audited like any other rejected request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from interdict.service.config import ServiceSettings
from interdict.service.errors import PayloadTooLarge, ServiceUnavailable

__all__ = ["RequestBudget"]

SOURCE = "request body"


@dataclass
class RequestBudget:
    """The bounds of one request, and the clock it started on."""

    max_parties: int
    max_matches: int
    max_response_bytes: int
    max_seconds: float
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def of(cls, settings: ServiceSettings) -> RequestBudget:
        """A fresh budget with the service's bounds, starting now."""
        return cls(
            settings.max_parties,
            settings.max_matches,
            settings.max_response_bytes,
            settings.max_request_seconds,
        )

    def check_parties(self, count: int, limit: int) -> None:
        """Refuse more parties, or more possible matches (parties × limit), than allowed."""
        if count > self.max_parties:
            raise PayloadTooLarge(
                f"{count:,} parties to screen, more than the {self.max_parties:,} one request"
                " may carry (INTERDICT_MAX_PARTIES)",
                where=SOURCE,
                hint="split the batch or message, or raise INTERDICT_MAX_PARTIES",
            )
        if count * limit > self.max_matches:
            raise PayloadTooLarge(
                f"{count:,} parties × limit {limit} = {count * limit:,} possible matches, more"
                f" than the {self.max_matches:,} one answer may hold (INTERDICT_MAX_MATCHES)",
                where=SOURCE,
                hint="lower limit, split the batch, or raise INTERDICT_MAX_MATCHES",
            )

    def checkpoint(self) -> None:
        """Stop screening once the request has used its time (called between parties)."""
        if time.monotonic() - self.started >= self.max_seconds:
            raise ServiceUnavailable(
                f"screening took longer than the {self.max_seconds:g} s one request may use"
                " (INTERDICT_MAX_REQUEST_SECONDS); nothing was answered",
                where=SOURCE,
                hint="split the batch into smaller requests, or raise"
                " INTERDICT_MAX_REQUEST_SECONDS",
            )

    def check_response(self, size: int) -> None:
        """Refuse to send an answer larger than allowed."""
        if size > self.max_response_bytes:
            raise PayloadTooLarge(
                f"the answer would be {size:,} bytes, more than the"
                f" {self.max_response_bytes:,}-byte limit (INTERDICT_MAX_RESPONSE_BYTES)",
                where=SOURCE,
                hint="lower limit or raise threshold, split the batch, or raise"
                " INTERDICT_MAX_RESPONSE_BYTES",
            )
