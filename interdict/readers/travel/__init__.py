"""Traveller manifests: UN/EDIFACT PAXLST (API data) and PNRGOV (PNR data) interchanges.

:func:`read_manifest` takes the raw interchange and returns a
:class:`~interdict.readers.travel.manifest.Manifest` with one
:class:`~interdict.readers.travel.manifest.Traveller` per passenger, crew member or infant,
each carrying the :class:`~interdict.model.Party` to screen. Broken interchanges raise
:class:`~interdict.errors.BadInputError` naming the segment and line.
"""

from __future__ import annotations

from interdict.errors import BadInputError
from interdict.readers.travel.edifact import parse_interchange
from interdict.readers.travel.manifest import (
    Flight,
    Manifest,
    ManifestMessage,
    TravelDocument,
    Traveller,
    reference_year,
)
from interdict.readers.travel.paxlst import read_paxlst_message
from interdict.readers.travel.pnrgov import read_pnrgov_message

__all__ = [
    "MANIFEST_TYPES",
    "Flight",
    "Manifest",
    "ManifestMessage",
    "TravelDocument",
    "Traveller",
    "read_manifest",
]

MANIFEST_TYPES = {"PAXLST": read_paxlst_message, "PNRGOV": read_pnrgov_message}
"""EDIFACT message types we read, by the type named in UNH."""


def read_manifest(data: bytes, source: str) -> Manifest:
    """Every traveller of a PAXLST or PNRGOV interchange (several messages allowed)."""
    interchange = parse_interchange(data, source)
    warnings = list(interchange.warnings)
    year = reference_year(interchange.prepared)
    messages = []
    for message in interchange.messages:
        reader = MANIFEST_TYPES.get(message.type)
        if reader is None:
            known = ", ".join(MANIFEST_TYPES)
            raise BadInputError(
                f"message {message.index} is {message.type or 'untyped'}, not a manifest",
                where=f"{source} line {message.line}",
                hint=f"send one of: {known}",
            )
        messages.append(reader(message, year, source, warnings))
    return Manifest(messages=tuple(messages), warnings=warnings)
