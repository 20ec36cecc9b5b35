"""Persistent state: the workspace folder and its embedded DuckDB database.

:class:`Workspace` holds list versions; :class:`CustomerStore`, :class:`AlertStore` and
:class:`DecisionStore` hold the customer base, rescreening alerts and analysts' decisions in
the same database, with an append-only audit log (:mod:`interdict.store.audit`).
"""

from interdict.store.alerts import Alert, AlertStore, Cause
from interdict.store.customers import CustomerStore, CustomerVersion
from interdict.store.decisions import Decision, DecisionStore, Freeze, Verdict
from interdict.store.workspace import ListVersion, Workspace

__all__ = [
    "Alert",
    "AlertStore",
    "Cause",
    "CustomerStore",
    "CustomerVersion",
    "Decision",
    "DecisionStore",
    "Freeze",
    "ListVersion",
    "Verdict",
    "Workspace",
]
