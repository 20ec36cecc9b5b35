"""Tables of the list lifecycle (customers, rescreening, alerts, decisions, freezes, audit) and
of cases (analysts, the audit chain's outbox, cases, their events and proposals).

Created with ``IF NOT EXISTS`` when a workspace is opened for writing, so an older workspace
gains them on first use. Columns added to existing tables use ``ADD COLUMN IF NOT EXISTS``.
"""

from __future__ import annotations

__all__ = ["CASES_SCHEMA", "LIFECYCLE_SCHEMA"]

_LIFECYCLE_TABLES = """
ALTER TABLE list_versions ADD COLUMN IF NOT EXISTS content_sha256 VARCHAR;
ALTER TABLE list_versions ADD COLUMN IF NOT EXISTS withdrawn_at TIMESTAMP;
CREATE TABLE IF NOT EXISTS list_key_stats (
    list_name VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    key VARCHAR NOT NULL,
    names INTEGER NOT NULL,
    PRIMARY KEY (list_name, version, key)
);
CREATE TABLE IF NOT EXISTS list_key_totals (
    list_name VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    matcher VARCHAR NOT NULL,
    names INTEGER NOT NULL,
    PRIMARY KEY (list_name, version)
);
CREATE TABLE IF NOT EXISTS customer_versions (
    version INTEGER PRIMARY KEY,
    source_path VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    partial BOOLEAN NOT NULL,
    matcher VARCHAR NOT NULL,
    customers INTEGER NOT NULL,
    added INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    errors INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS customers (
    row_id BIGINT PRIMARY KEY,
    customer_id VARCHAR NOT NULL,
    valid_from INTEGER NOT NULL,
    valid_to INTEGER,
    fingerprint VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    payload VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS customer_keys (
    row_id BIGINT NOT NULL,
    key VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS rescreen_state (
    subject VARCHAR PRIMARY KEY,
    version INTEGER NOT NULL,
    run_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS rescreen_runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    summary VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
    alert_id VARCHAR PRIMARY KEY,
    run_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    customer_id VARCHAR NOT NULL,
    customer_name VARCHAR NOT NULL,
    customer_fp VARCHAR NOT NULL,
    list_name VARCHAR NOT NULL,
    list_version INTEGER NOT NULL,
    source_id VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    entity_fp VARCHAR NOT NULL,
    score DOUBLE NOT NULL,
    matched_name VARCHAR NOT NULL,
    explanation VARCHAR NOT NULL,
    cause VARCHAR NOT NULL,
    matcher VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    delivered BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS decisions (
    decision_id VARCHAR PRIMARY KEY,
    alert_id VARCHAR NOT NULL,
    customer_id VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    customer_fp VARCHAR NOT NULL,
    entity_fp VARCHAR NOT NULL,
    verdict VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    analyst VARCHAR NOT NULL,
    decided_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS freezes (
    freeze_id VARCHAR PRIMARY KEY,
    customer_id VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    list_name VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    alert_id VARCHAR NOT NULL,
    decision_id VARCHAR NOT NULL,
    frozen_at TIMESTAMP NOT NULL,
    analyst VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    released_at TIMESTAMP,
    release_reason VARCHAR
);
CREATE TABLE IF NOT EXISTS alert_deliveries (
    delivery_id VARCHAR PRIMARY KEY,
    target VARCHAR NOT NULL,
    staging VARCHAR NOT NULL,
    alert_ids VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    staged_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
    happened_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    detail VARCHAR NOT NULL
);
"""

CASES_SCHEMA = """
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS source VARCHAR DEFAULT 'rescreen';
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS case_id VARCHAR;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS data VARCHAR DEFAULT '{}';
CREATE TABLE IF NOT EXISTS analysts (
    name VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_outbox (
    event_id VARCHAR PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    fields VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    seq BIGINT,
    hash VARCHAR
);
CREATE TABLE IF NOT EXISTS cases (
    case_id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    verdict VARCHAR,
    assignee VARCHAR,
    opened_by VARCHAR NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    due_at TIMESTAMP NOT NULL,
    closed_reason VARCHAR,
    head VARCHAR NOT NULL,
    events INTEGER NOT NULL,
    data VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS case_events (
    event_id VARCHAR PRIMARY KEY,
    case_id VARCHAR NOT NULL,
    number INTEGER NOT NULL,
    happened_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    detail VARCHAR NOT NULL,
    prev VARCHAR NOT NULL,
    hash VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS case_proposals (
    proposal_id VARCHAR PRIMARY KEY,
    case_id VARCHAR NOT NULL,
    verdict VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    author VARCHAR NOT NULL,
    state_hash VARCHAR NOT NULL,
    head_after VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    proposed_at TIMESTAMP NOT NULL,
    approver VARCHAR,
    decided_at TIMESTAMP
);
"""

LIFECYCLE_SCHEMA = _LIFECYCLE_TABLES + CASES_SCHEMA
"""Every table, lifecycle and cases alike (one string, run when a workspace opens for writing)."""
