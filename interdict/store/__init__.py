"""Persistent state: the workspace folder and its embedded DuckDB database."""

from interdict.store.workspace import ListVersion, Workspace

__all__ = ["ListVersion", "Workspace"]
