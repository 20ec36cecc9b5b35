"""Delta rescreening: screen only what changed since the last rescreen, raise only new alerts.

1. Customers added or changed since the last rescreen are screened against every active list
   (the full screener, as ``interdict screen`` does).
2. For each list whose active version differs from the one last rescreened, the entities added
   or changed in a way that matters (:func:`~interdict.lifecycle.diff.entity_fingerprint`) go
   into a small index; the customers whose stored name keys meet that index's keys (expanded
   by one typo, :func:`~interdict.lifecycle.keys.expand_typo_keys`) are found by a join and
   scored with the screener's scorer and all lists' rarity weights. Customers holding alerts on
   removed entities get *releases*.
3. A finding whose id (customer, entity, and both sides' fingerprints) is already stored is not
   raised again — whether it is open or an analyst decided on it. Everything is committed in
   one transaction, with what has now been screened: an interrupted rescreen leaves nothing
   behind, and its rerun raises each alert exactly once.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from interdict.engines import Engine
from interdict.lifecycle.diff import ListDiff, diff_entities, entity_fingerprint
from interdict.lifecycle.keys import customer_keys, expanded_postings, key_counts
from interdict.lifecycle.scoring import Candidate, score_customers
from interdict.model import Entity
from interdict.names.tokens import spelt_together
from interdict.screening import DEFAULT_THRESHOLD, Screener
from interdict.screening.batch import screen_parties
from interdict.screening.index import ScreeningIndex
from interdict.screening.matchers import KEY_SCHEME, matcher_named
from interdict.screening.result import ScreeningResult
from interdict.store import AlertStore, CustomerStore, DecisionStore, Workspace
from interdict.store.alerts import Alert, Cause, RunRecord, alert_id_for, release_id_for
from interdict.store.audit import utc_now
from interdict.store.customers import CustomerRecord, require_customers

__all__ = ["MAX_JOIN_KEYS", "RescreenReport", "rescreen"]

MAX_JOIN_KEYS = 3_000_000
"""More probe keys than this (a whole new list, say) and customers are scanned, not joined."""
COMMON_KEY_SHARE = 0.001
COMMON_KEY_MIN = 1000
"""A key held by more than max(COMMON_KEY_MIN, COMMON_KEY_SHARE × customers) customers does not
make a customer a candidate on its own — the customer-side counterpart of the screening index's
MAX_POSTINGS. Keys spelling a whole listed name are exempt: a namesake is always a candidate."""
_PARTY_FIELDS = ("name", "birth_date", "countries", "gender", "id_number", "schema_")


@dataclass
class RescreenReport:
    """What a rescreen did and found."""

    run_id: str
    alerts: list[Alert] = field(default_factory=list)
    releases: list[Alert] = field(default_factory=list)
    already_raised: int = 0
    """Findings already stored as open alerts (not raised twice)."""
    decided: int = 0
    """Findings an analyst already decided on, with unchanged data on both sides."""
    customers_changed: int = 0
    candidates: int = 0
    """Unchanged customers whose name keys met a changed entity."""
    scored: int = 0
    """Candidates whose keys carry enough evidence to be scored (the others cannot match)."""
    list_changes: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Counts for the audit log and the CLI."""
        return {
            "alerts": len(self.alerts),
            "releases": len(self.releases),
            "already_raised": self.already_raised,
            "decided": self.decided,
            "customers_changed": self.customers_changed,
            "candidates": self.candidates,
            "scored": self.scored,
            "list_changes": self.list_changes,
        }


@dataclass
class _Context:
    workspace: Workspace
    customers: CustomerStore
    threshold: float
    matcher: str
    workers: int | None
    engine: Engine | None
    customer_version: int
    customer_screened: int
    active: dict[str, int]
    report: RescreenReport
    findings: dict[str, Alert] = field(default_factory=dict)
    _counts: tuple[dict[str, int], int] | None = None

    def key_counts(self) -> tuple[dict[str, int], int]:
        """Per-key name counts over all active lists (the screener's rarity weights)."""
        if self._counts is None:
            self._counts = key_counts(self.workspace, self.active)
        return self._counts

    def add(
        self,
        record: CustomerRecord,
        entity: Entity,
        hit: tuple[float, str, tuple[str, ...]],
        cause: Cause,
    ) -> None:
        score, matched, explanation = hit
        provenance = entity.provenance
        list_name = provenance.list_name if provenance else "?"
        entity_id = f"{list_name}:{entity.source_id}"
        fingerprint = entity_fingerprint(entity)
        alert_id = alert_id_for(record.customer_id, entity_id, record.fingerprint, fingerprint)
        self.findings[alert_id] = Alert(
            alert_id=alert_id,
            kind="alert",
            customer_id=record.customer_id,
            customer_name=record.name,
            customer_fp=record.fingerprint,
            list_name=list_name,
            list_version=provenance.list_version if provenance else 0,
            source_id=entity.source_id,
            entity_id=entity_id,
            entity_fp=fingerprint,
            score=score,
            matched_name=matched,
            explanation=explanation,
            cause=cause,
            matcher=self.matcher,
        )


def _timed(ctx: _Context, step: str, started: float) -> float:
    now = time.perf_counter()
    ctx.report.timings[step] = ctx.report.timings.get(step, 0.0) + now - started
    return now


def _customer_cause(ctx: _Context, record: CustomerRecord) -> Cause:
    previous = ctx.customers.previous_record(record.customer_id, record.valid_from)
    version = record.valid_from
    if previous is None:
        summary = f"customer {record.customer_id} new in customer version {version}"
        return Cause("customer_update", summary, change="new", customer_version=version)
    before, after = previous.party(), record.party()
    fields = tuple(f.rstrip("_") for f in _PARTY_FIELDS if getattr(before, f) != getattr(after, f))
    summary = (
        f"customer {record.customer_id} changed ({', '.join(fields)}) in customer version {version}"
    )
    return Cause(
        "customer_update", summary, change="changed", fields=fields, customer_version=version
    )


def _screen_changed_customers(ctx: _Context) -> None:
    started = time.perf_counter()
    records = list(ctx.customers.changed_since(ctx.customer_screened))
    ctx.report.customers_changed = len(records)
    if not records or not ctx.active:
        return
    entities = {e.entity_id(): e for e in ctx.workspace.entities()}
    screener = Screener(entities.values(), matcher=ctx.matcher)
    started = _timed(ctx, "customers: index", started)
    parties = (record.party() for record in records)
    results: Iterable[ScreeningResult]
    if ctx.engine is None:
        results = screener.screen_many(parties, threshold=ctx.threshold, workers=ctx.workers)
    else:
        results = screen_parties(
            ctx.engine, screener, parties, threshold=ctx.threshold, workers=ctx.workers
        )
    for record, result in zip(records, results, strict=True):
        if not result.matches:
            continue
        cause = _customer_cause(ctx, record)
        for match in result.matches:
            hit = (match.score, match.matched_name, match.explanation)
            ctx.add(record, entities[match.entity_id], hit, cause)
    _timed(ctx, "customers: screen", started)


def _entity_cause(diff: ListDiff, entity: Entity, change: str, fields: tuple[str, ...]) -> Cause:
    versions = f"{diff.from_version or 0} → {diff.to_version}"
    detail = f" ({', '.join(fields)})" if fields else ""
    summary = f"list {diff.list_name} version {versions}: {entity.source_id} {change}{detail}"
    return Cause(
        "list_update",
        summary,
        list=diff.list_name,
        from_version=diff.from_version,
        to_version=diff.to_version,
        change=change,
        fields=fields,
    )


def _delta_targets(diff: ListDiff) -> list[tuple[Entity, Cause]]:
    targets = [(e, _entity_cause(diff, e, "added", ())) for e in diff.added]
    for change in diff.changed:
        if change.matters:
            entity = diff.new_entities[change.source_id]
            fields = tuple(f.field for f in change.fields)
            targets.append((entity, _entity_cause(diff, entity, "changed", fields)))
    return targets


def _whole_name_keys(index: ScreeningIndex) -> set[str]:
    """Skeleton keys of each listed name written as one word (with and without particles),
    from its parts' skeletons and from its spelling (:func:`spelt_together`)."""
    keys: set[str] = set()
    for listed in index.names:
        for tokens in (listed.name.name_tokens, listed.name.tokens):
            combos = [""]
            for token in tokens:
                combos = [c + s for c in combos for s in sorted(token.skeletons)][:64]
            keys.update("s:" + c for c in combos if c)
        keys.update("s:" + s for s in spelt_together(listed.name.tokens) if s[0] != "~")
    return keys


def _expansion_size(index: ScreeningIndex) -> int:
    """About how many keys :func:`expanded_postings` would produce (12 letters × edits)."""
    return sum(13 * (len(k) - 1) ** 2 for k in index.postings if k.startswith("s:"))


def _candidates(
    ctx: _Context, index: ScreeningIndex
) -> list[tuple[CustomerRecord, list[int] | None]]:
    """Customers to score, each with the index names its keys reach (None: not known)."""
    if _expansion_size(index) > MAX_JOIN_KEYS:
        records = ctx.customers.current()
        return [(r, None) for r in records if r.valid_from <= ctx.customer_screened]
    reach = expanded_postings(index)
    common = max(COMMON_KEY_MIN, int(COMMON_KEY_SHARE * ctx.customers.count_current()))
    hits = ctx.customers.hit_by_keys(
        sorted(reach),
        screened_version=ctx.customer_screened,
        common_above=common,
        always=sorted(_whole_name_keys(index)),
    )
    return [(record, sorted({n for key in shared for n in reach[key]})) for record, shared in hits]


def _with_keys(
    ctx: _Context, reached: list[tuple[CustomerRecord, list[int] | None]]
) -> list[Candidate]:
    """The customers to score, with their stored name keys when those can bound the evidence
    they share with the index (:class:`~interdict.lifecycle.keys.EvidenceBound`)."""
    if ctx.customers.key_matcher() != KEY_SCHEME or any(n is None for _, n in reached):
        # Keys of another key scheme say nothing about this one's filter; a scan has no reach.
        return [Candidate(record.payload, names) for record, names in reached]
    stored = customer_keys(ctx.workspace, [record.row_id for record, _ in reached])
    return [
        Candidate(record.payload, names, record.name, stored.get(record.row_id, ()))
        for record, names in reached
    ]


def _rescreen_list(ctx: _Context, name: str, screened: int | None) -> None:
    started = time.perf_counter()
    to_version = ctx.active[name]
    old = ctx.workspace.version_entities(name, screened) if screened else ()
    diff = diff_entities(
        name,
        old,
        ctx.workspace.version_entities(name, to_version),
        from_version=screened,
        to_version=to_version,
    )
    targets = _delta_targets(diff)
    ctx.report.list_changes.append(
        {
            "list": name,
            "from_version": screened,
            "to_version": to_version,
            "added": len(diff.added),
            "removed": len(diff.removed),
            "changed": len(diff.changed),
            "rescreened_entities": len(targets),
        }
    )
    _release(ctx, diff)
    started = _timed(ctx, "lists: diff", started)
    if not targets or not ctx.customer_screened:
        return  # nobody screened earlier: changed customers were screened against everything
    counts, total = ctx.key_counts()
    index = ScreeningIndex.from_key_counts((entity for entity, _ in targets), counts, total)
    started = _timed(ctx, "lists: index and weights", started)
    reached = _candidates(ctx, index)
    ctx.report.candidates += len(reached)
    started = _timed(ctx, "lists: join", started)
    candidates = _with_keys(ctx, reached)
    started = _timed(ctx, "lists: customer keys", started)
    hits, ctx.report.scored = score_customers(
        index, candidates, threshold=ctx.threshold, workers=ctx.workers, matcher=ctx.matcher
    )
    records = [record for record, _ in reached]
    by_source = {entity.source_id: (entity, cause) for entity, cause in targets}
    for hit in hits:
        entity, cause = by_source[index.entities[hit.entity].source_id]
        ctx.add(
            records[hit.position], entity, (hit.score, hit.matched_name, hit.explanation), cause
        )
    _timed(ctx, "lists: score", started)


def _release(ctx: _Context, diff: ListDiff) -> None:
    removed = {f"{diff.list_name}:{e.source_id}": e for e in diff.removed}
    if not removed:
        return
    store = AlertStore(ctx.workspace)
    for held in store.holding(removed):
        entity = removed[held.entity_id]
        cause = _entity_cause(diff, entity, "removed", ())
        release_id = release_id_for(held.customer_id, held.entity_id, diff.to_version)
        ctx.report.releases.append(
            Alert(
                alert_id=release_id,
                kind="release",
                customer_id=held.customer_id,
                customer_name=held.customer_name,
                customer_fp=held.customer_fp,
                list_name=diff.list_name,
                list_version=diff.to_version,
                source_id=held.source_id,
                entity_id=held.entity_id,
                entity_fp=held.entity_fp,
                score=held.score,
                matched_name=held.matched_name,
                explanation=(
                    f"{held.source_id} is no longer on list {diff.list_name}"
                    f" (version {diff.to_version}); releases {held.alert_id} ({held.status})",
                ),
                cause=cause,
                matcher=held.matcher,
            )
        )


def _keep_new(ctx: _Context, store: AlertStore) -> None:
    report = ctx.report
    known = store.statuses([*ctx.findings, *(r.alert_id for r in report.releases)])
    report.releases = [r for r in report.releases if r.alert_id not in known]
    fresh: list[Alert] = []
    for alert_id, alert in sorted(ctx.findings.items(), key=lambda kv: kv[1].customer_id):
        status = known.get(alert_id)
        if status in ("false_positive", "true_match"):
            report.decided += 1
        elif status is not None:
            report.already_raised += 1
        else:
            fresh.append(alert)
    report.alerts = _note_earlier_decisions(ctx, fresh)


def _note_earlier_decisions(ctx: _Context, alerts: Iterable[Alert]) -> list[Alert]:
    alerts = list(alerts)
    pairs = {(a.customer_id, a.entity_id) for a in alerts}
    earlier = DecisionStore(ctx.workspace).latest_for_pairs(pairs)
    noted: list[Alert] = []
    for alert in alerts:
        decision = earlier.get((alert.customer_id, alert.entity_id))
        if decision is not None:
            changed = "customer data" if decision.customer_fp != alert.customer_fp else "listing"
            note = (
                f"earlier decided {decision.verdict} by {decision.analyst} on"
                f" {decision.decided_at:%Y-%m-%d} ({decision.decision_id}: {decision.reason});"
                f" raised again because the {changed} changed"
            )
            alert = Alert(**{**alert.__dict__, "explanation": (*alert.explanation, note)})
        noted.append(alert)
    return noted


def rescreen(
    workspace: Workspace,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    workers: int | None = None,
    engine: Engine | None = None,
    matcher: str | None = None,
) -> RescreenReport:
    """Rescreen what changed since the last rescreen; store and return the new alerts.

    With an ``engine`` the changed customers are screened as a batch job on it
    (:func:`~interdict.screening.batch.screen_parties`, e.g. on Spark), else in this process;
    the results are the same. ``matcher`` names the registered matcher (default: the
    registry's default); every alert records it.
    """
    started_at = utc_now()
    customers = CustomerStore(workspace)
    store = AlertStore(workspace)
    screened = store.screened_versions()
    report = RescreenReport(run_id=f"RS-{started_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}")
    ctx = _Context(
        workspace=workspace,
        customers=customers,
        threshold=threshold,
        matcher=matcher_named(matcher).name,
        workers=workers,
        engine=engine,
        customer_version=require_customers(customers),
        customer_screened=screened.get("customers", 0),
        active={v.list_name: v.version for v in workspace.active_versions()},
        report=report,
    )
    if ctx.customer_version != ctx.customer_screened:
        _screen_changed_customers(ctx)
    for name in sorted(ctx.active):
        if screened.get(f"list:{name}") != ctx.active[name]:
            _rescreen_list(ctx, name, screened.get(f"list:{name}"))
    started = time.perf_counter()
    _keep_new(ctx, store)
    state = {f"list:{name}": version for name, version in ctx.active.items()}
    state["customers"] = ctx.customer_version
    run = RunRecord(report.run_id, started_at, report.alerts, report.releases, state)
    run.summary = report.summary()
    store.commit_run(run)
    _timed(ctx, "commit", started)
    return report
