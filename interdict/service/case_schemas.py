"""What the alert, case and report routes accept and answer (pydantic models for OpenAPI).

The answers carry the same fields as ``interdict alerts ls --json`` and ``interdict cases show
--json``; request models refuse unknown fields.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from interdict.cases import ProposalVerdict

__all__ = [
    "AlertList",
    "AlertOut",
    "ApproveIn",
    "Approved",
    "AssignIn",
    "CaseList",
    "CaseOut",
    "CaseSummary",
    "CommentIn",
    "GoamlIn",
    "OpenCaseIn",
    "ProposeIn",
    "Proposed",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AlertOut(BaseModel):
    """One stored alert, whatever raised it (a line of ``interdict alerts ls --json``)."""

    alert_id: str
    source: str = Field(description="screening, rescreen or monitoring.")
    kind: str = Field(description="alert (something to decide), release, superseded…")
    status: str = Field(description="open, true_match, false_positive, suspicious…")
    customer_id: str = Field(description="The customer, or the account of a monitoring alert.")
    customer_name: str
    score: float
    list_name: str | None = Field(
        None, alias="list", description="The list it was raised on (screening alerts)."
    )
    list_version: int | None = None
    source_id: str
    entity_id: str | None = None
    matched_name: str
    explanation: list[Any] = Field(description="Why it was raised, as the analyst reads it.")
    cause: dict[str, Any]
    matcher: str = Field(description="The matcher, rule or model version that raised it.")
    created_at: str
    case_id: str | None = Field(None, description="The case it is in, once in one.")
    data: dict[str, Any] = Field(description="The data it was raised on.")
    account: str | None = None


class AlertList(BaseModel):
    """Alerts matching the filters, oldest first."""

    alerts: list[AlertOut]


class _CaseRow(BaseModel):
    case_id: str
    kind: str = Field(description="sanctions, monitoring or request.")
    title: str
    status: str = Field(description="open, proposed, approved, decided, reported, closed.")
    verdict: str | None = None
    assignee: str | None = None
    opened_by: str
    opened_at: str
    due_at: str = Field(description="From the workspace's case policy (UTC).")
    closed_reason: str | None = None
    head: str = Field(description="Hash of the case's last event: the state a proposal rests on.")


class CaseSummary(_CaseRow):
    """A case's row (a line of ``interdict cases ls --json``)."""

    events: int = Field(description="How many events the case has.")


class CaseList(BaseModel):
    """Cases, by id."""

    cases: list[CaseSummary]


class ProposalOut(BaseModel):
    """A four-eyes proposal and, once decided, who decided it."""

    proposal_id: str
    verdict: str
    reason: str
    author: str
    state_hash: str
    status: str = Field(description="pending, approved or rejected.")
    proposed_at: str | None
    approver: str | None
    decided_at: str | None


class FreezeOut(BaseModel):
    """A freeze raised from the case's alerts (active while ``released_at`` is empty)."""

    freeze_id: str
    customer_id: str
    entity_id: str
    frozen_at: str | None
    analyst: str
    released_at: str | None


class EventOut(BaseModel):
    """One event of the case's hash chain."""

    number: int
    at: str
    actor: str
    action: str
    detail: dict[str, Any]
    hash: str


class CaseOut(_CaseRow):
    """Everything about a case (``interdict cases show --json``)."""

    data: dict[str, Any]
    state_hash: str
    frozen: bool
    alerts: list[AlertOut]
    proposals: list[ProposalOut]
    freezes: list[FreezeOut]
    events: list[EventOut] = Field(description="The case's events (its hash chain), oldest first.")


class OpenCaseIn(_Strict):
    """Open a case from alerts that are in no case yet."""

    alert_ids: list[str] = Field(min_length=1, max_length=1000)
    title: str = Field("", max_length=500, description="Default: from the first alert.")


class CommentIn(_Strict):
    """A comment on the case."""

    text: str = Field(min_length=1, max_length=20000)


class AssignIn(_Strict):
    """Who works the case: a registered analyst."""

    to: str = Field(min_length=1, max_length=64)


class ProposeIn(_Strict):
    """A verdict for a second analyst to approve; a true match freezes at once."""

    verdict: ProposalVerdict
    reason: str = Field(min_length=1, max_length=20000, description="What was checked.")


class ApproveIn(_Strict):
    """Approve the pending proposal; ``state_hash`` (from the case) makes a stale one fail."""

    state_hash: str | None = Field(
        None, description="The state the approver looked at; refused when the case changed."
    )


class Proposed(BaseModel):
    """The proposal made, and the freezes now active on the case."""

    proposal_id: str
    verdict: str
    reason: str
    author: str
    state_hash: str
    freezes: list[FreezeOut]


class Approved(BaseModel):
    """The decision: who proposed, who approved, and the case's status now."""

    proposal_id: str
    verdict: str
    author: str
    approver: str
    case_status: str
    freezes: list[FreezeOut]


class GoamlIn(_Strict):
    """A goAML report for a case approved as suspicious (or as a true match)."""

    case_id: str
    report_code: str = Field(description="From the FIU's list: STR, SAR, LTKM…")
    reporter: dict[str, Any] = Field(
        description="REPORTER.yaml as an object: rentity_id, currency_code_local,"
        " reporting_person {first_name, last_name, email}, and the optional fields."
    )
    xsd: str | None = Field(
        None,
        description="A schema in the server's goAML folder (INTERDICT_GOAML_DIR), by its path"
        " there: 'uae-5.0.2/goAMLSchema.original.xsd'.",
    )
    xsd_text: str | None = Field(None, description="Or the FIU's XSD itself, as published.")
    indicators: list[str] = Field(
        default_factory=list, description="Indicator codes (default: picked from the case)."
    )
