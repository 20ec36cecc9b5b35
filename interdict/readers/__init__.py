"""Readers: untrusted files and messages in, validated model objects (or a clear error) out.

List formats are registered in :data:`LIST_FORMATS`; :func:`read_list` picks one by name.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from interdict.errors import BadInputError
from interdict.readers.base import ListFile

__all__ = ["LIST_FORMATS", "ListFile", "read_list"]

LIST_FORMATS: dict[str, tuple[str, str]] = {
    "un": ("interdict.readers.un", "read_un"),
    "eu": ("interdict.readers.eu", "read_eu"),
    "ofac": ("interdict.readers.ofac", "read_ofac"),
    "uk": ("interdict.readers.uk", "read_uk"),
    "ftm": ("interdict.readers.ftm", "read_ftm"),
    "csv": ("interdict.readers.csv_list", "read_csv_list"),
    "kz_afm": ("interdict.readers.kz_afm", "read_kz_afm"),
    "kg_fiu": ("interdict.readers.kg_fiu", "read_kg_fiu"),
}
"""Format name → (module, function). Modules load on first use."""


def read_list(path: Path, fmt: str) -> ListFile:
    """Read a list file (or, for OFAC, a folder) in the named format."""
    if fmt not in LIST_FORMATS:
        known = ", ".join(sorted(LIST_FORMATS))
        raise BadInputError(f"unknown list format {fmt!r}", hint=f"use one of: {known}")
    if not path.exists():
        raise BadInputError("file not found", where=str(path), hint="check the path")
    module_name, function_name = LIST_FORMATS[fmt]
    reader = getattr(import_module(module_name), function_name)
    result: ListFile = reader(path)
    return result
