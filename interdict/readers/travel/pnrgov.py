"""UN/EDIFACT PNRGOV (Passenger Name Record push): every traveller of every booking.

Each ``SRC`` opens one PNR (record locator in ``RCI``). Travellers are its ``TIF`` segments
(surname; given name with the title run on, as reservation systems write it: ``JOHNMR``), and
their passport data comes from ``SSR+DOCS`` free text
(``/P/GBR/123456789/GBR/12JUL64/M/23AUG19/SURNAME/GIVEN/MIDDLE``). A DOCS belongs to the
traveller whose name it carries; failing that, to the traveller its reference points at, or
the TIF just before it; a DOCS that fits nobody is a traveller of its own. A ``TIF`` repeated in
the flight and check-in groups is the same traveller. Group names (``TIF+NAME:G``) are not
travellers, and the history after ``ABI`` (past states of the booking) is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from interdict.readers.travel.edifact import EdifactMessage, Segment
from interdict.readers.travel.manifest import (
    Flight,
    ManifestMessage,
    TravelDocument,
    Traveller,
    docs_date,
    gender_of,
    make_traveller,
)

__all__ = ["read_pnrgov_message", "strip_title"]

_TITLES = ("MR", "MRS", "MS", "MISS", "MSTR", "DR", "PROF", "CHD", "INF")
_RUN_ON_TITLES = ("MRS", "MISS", "MSTR", "MR")  # not MS: WILLIAMS is a name
_LETTERS = re.compile(r"[^A-Z]+")


def strip_title(given: str) -> str:
    """``SEJOONMR`` → ``SEJOON``, ``ISABELLE MRS`` → ``ISABELLE``; other names unchanged."""
    words = given.upper().split()
    while len(words) > 1 and words[-1] in _TITLES:
        words.pop()
    if len(words) == 1:
        word = words[0]
        for title in _RUN_ON_TITLES:
            if word.endswith(title) and len(word) > len(title) + 1:
                words[0] = word[: -len(title)]
                break
    return " ".join(words)


def _key(text: str) -> str:
    return _LETTERS.sub("", text.upper())


@dataclass
class _Docs:
    segment: Segment
    fields: list[str]
    reference: str

    def value(self, index: int) -> str:
        return self.fields[index].strip() if index < len(self.fields) else ""


@dataclass
class _Entry:
    """One traveller of a PNR while it is being assembled."""

    surname: str
    given: str
    infant: bool
    segment: Segment
    references: set[str] = field(default_factory=set)
    docs: _Docs | None = None

    def fits(self, docs: _Docs) -> bool:
        surname, given = _key(docs.value(7)), _key(strip_title(docs.value(8)))
        mine = _key(self.given)
        return surname == _key(self.surname) and (mine.startswith(given) or given.startswith(mine))


def read_pnrgov_message(
    message: EdifactMessage, reference: int, source: str, warnings: list[str]
) -> ManifestMessage:
    """Travellers and flights of one PNRGOV message; ``reference`` is the year for DOCS dates."""
    flights: list[Flight] = []
    bookings: list[list[Segment]] = []
    for segment in message.segments:
        if segment.tag == "SRC":
            bookings.append([])
        elif bookings:
            bookings[-1].append(segment)
        elif segment.tag == "TVL":
            flights.append(_flight(segment))
    travellers: list[Traveller] = []
    for booking in bookings:
        locator = next((s.get(0, 1) for s in booking if s.tag == "RCI"), "") or None
        for entry in _entries(booking):
            number = f"{message.index}.{len(travellers) + 1}"
            travellers.append(_traveller(entry, number, locator, reference, source, warnings))
    return ManifestMessage(
        index=message.index,
        type=message.type,
        version=message.version,
        reference=message.reference,
        flights=tuple(flights),
        travellers=tuple(travellers),
    )


def _flight(segment: Segment) -> Flight:
    carrier, number = segment.get(3), segment.get(4)
    return Flight(number=f"{carrier}{number}", departure=segment.get(1), arrival=segment.get(2))


def _entries(booking: list[Segment]) -> list[_Entry]:
    entries: list[_Entry] = []
    loose: list[tuple[_Docs, _Entry | None]] = []
    last: _Entry | None = None
    for segment in booking:
        tag = segment.tag
        if tag == "ABI":
            break  # history of the booking follows
        if tag == "TVL":
            last = None
        elif tag == "TIF":
            last = _tif(segment, entries)
        elif tag == "SSR" and segment.get(0).upper() == "DOCS":
            components = segment.elements[0]
            text = ":".join(components[8:]) or next(
                (c for c in components[1:] if c.startswith("/")), ""
            )
            fields = text.strip().removeprefix("/").split("/")
            loose.append((_Docs(segment, fields, segment.get(1, 2)), last))
    for docs, previous in loose:
        named = next((e for e in entries if e.fits(docs)), None)
        if named is not None:
            named.docs = named.docs or docs  # a repeat in the flight group adds nothing
            continue
        target = next(
            (e for e in entries if e.docs is None and docs.reference in e.references), None
        ) or (previous if previous is not None and previous.docs is None else None)
        if target is None:
            target = _Entry(docs.value(7), strip_title(docs.value(8)), False, docs.segment)
            entries.append(target)
        target.docs = docs
    return entries


def _tif(segment: Segment, entries: list[_Entry]) -> _Entry | None:
    if segment.get(0, 1).upper() == "G":
        return None  # a group booking's name, not a traveller
    surname, given = segment.get(0), strip_title(segment.get(1))
    key = (_key(surname), _key(given))
    entry = next((e for e in entries if (_key(e.surname), _key(e.given)) == key), None)
    if entry is None:
        entry = _Entry(surname, given, segment.get(1, 1).upper() == "IN", segment)
        entries.append(entry)
    if segment.get(1, 2):
        entry.references.add(segment.get(1, 2))
    return entry


def _traveller(
    entry: _Entry,
    traveller_id: str,
    locator: str | None,
    reference: int,
    source: str,
    warnings: list[str],
) -> Traveller:
    docs = entry.docs
    surname, given, birth, gender, nationality = entry.surname, entry.given, None, None, ""
    document = None
    where = entry.segment.where(source)
    if docs is not None:
        if docs.value(7) and _key(docs.value(7)) != _key(surname):
            surname = docs.value(7)
        first = strip_title(docs.value(8))
        if first and _key(first) != _key(given):
            given = first
        given = " ".join(p for p in (given, strip_title(docs.value(9))) if p)
        if docs.value(4):
            birth = docs_date(docs.value(4), reference)
            if birth is None:
                warnings.append(
                    f"{docs.segment.where(source)}: DOCS birth date not understood; "
                    "screened without it"
                )
        gender = gender_of(docs.value(5))
        nationality = docs.value(3)
        if docs.value(2):
            document = TravelDocument(
                kind=docs.value(0) or "?", number=docs.value(2), country=docs.value(1) or None
            )
    infant = entry.infant or (docs is not None and docs.value(5).upper() in ("MI", "FI"))
    return make_traveller(
        traveller_id=traveller_id,
        kind="infant" if infant else "passenger",
        surname=surname,
        given=given,
        birth_date=birth,
        gender=gender,
        nationality=nationality,
        document=document,
        where=where,
        record_locator=locator,
    )
