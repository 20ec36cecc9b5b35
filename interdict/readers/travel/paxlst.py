"""UN/EDIFACT PAXLST (Advance Passenger Information): every passenger and crew member.

A traveller group starts at ``NAD`` with a traveller function code and runs to the next ``NAD``
or ``CNT``. From it we take the name (``NAD`` C080: surname, given names), gender (``ATT+2``),
date of birth (``DTM+329``), nationality (``NAT+2``) and the travel document (``DOC``, first
passport preferred, issuing country from the ``LOC+91`` that follows it). Flights come from
``TDT+20`` with their departure (``LOC+125`` or the first ``LOC+92``) and arrival (``LOC+87`` or
the second ``LOC+92``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from interdict.readers.travel.edifact import EdifactMessage, Segment
from interdict.readers.travel.manifest import (
    Flight,
    ManifestMessage,
    TravelDocument,
    Traveller,
    edifact_date,
    gender_of,
    make_traveller,
)

__all__ = ["TRAVELLER_KINDS", "read_paxlst_message"]

TRAVELLER_KINDS = {
    "FL": "passenger",
    "FM": "crew",
    "DDT": "passenger_in_transit",
    "DDU": "crew_in_transit",
    "COT": "crew_off_duty",
}
"""NAD party function codes that name a traveller (PAXLST implementation guide)."""


@dataclass
class _Group:
    """The segments of one traveller, gathered before the traveller is built."""

    head: Segment
    kind: str
    gender: str = ""
    birth: tuple[str, str] | None = None
    nationality: str = ""
    documents: list[tuple[str, str, str]] = field(default_factory=list)


def read_paxlst_message(
    message: EdifactMessage, reference: int, source: str, warnings: list[str]
) -> ManifestMessage:
    """Travellers and flights of one PAXLST message; ``reference`` is the year for YYMMDD."""
    groups: list[_Group] = []
    current: _Group | None = None
    for segment in message.segments:
        tag = segment.tag
        if tag in ("NAD", "CNT"):
            kind = TRAVELLER_KINDS.get(segment.get(0).upper()) if tag == "NAD" else None
            current = _Group(segment, kind) if kind else None
            if current is not None:
                groups.append(current)
        elif current is not None:
            _collect(current, segment)
    travellers = tuple(
        _traveller(group, f"{message.index}.{n}", reference, source, warnings)
        for n, group in enumerate(groups, start=1)
    )
    return ManifestMessage(
        index=message.index,
        type=message.type,
        version=message.version,
        reference=message.reference,
        flights=_flights(message.segments),
        travellers=travellers,
    )


def _collect(group: _Group, segment: Segment) -> None:
    tag = segment.tag
    if tag == "ATT" and segment.get(0) == "2":
        group.gender = segment.get(2)
    elif tag == "DTM" and segment.get(0) == "329":
        group.birth = (segment.get(0, 1), segment.get(0, 2))
    elif tag == "NAT" and not group.nationality:
        group.nationality = segment.get(1)
    elif tag == "DOC":
        group.documents.append((segment.get(0).upper(), segment.get(1), ""))
    elif tag == "LOC" and segment.get(0) == "91" and group.documents:
        kind, number, country = group.documents[-1]
        if not country:
            group.documents[-1] = (kind, number, segment.get(1))


def _traveller(
    group: _Group, traveller_id: str, reference: int, source: str, warnings: list[str]
) -> Traveller:
    head = group.head
    location = head.where(source)
    surname = head.get(3, 0)
    given = " ".join(p.strip() for p in head.elements[3][1:] if p.strip()) if surname else ""
    if not surname and len(head.elements) > 2:  # unstructured name and address (C058)
        surname = " ".join(p.strip() for p in head.elements[2] if p.strip())
    birth = None
    if group.birth is not None:
        birth = edifact_date(group.birth[0], group.birth[1], reference)
        if birth is None:
            warnings.append(
                f"{location}: birth date not understood ({len(group.birth[0])} characters); "
                "screened without it"
            )
    document = None
    if group.documents:
        kind, number, country = next(
            (d for d in group.documents if d[0] == "P" and d[1]), group.documents[0]
        )
        if number:
            document = TravelDocument(kind=kind or "?", number=number, country=country or None)
    return make_traveller(
        traveller_id=traveller_id,
        kind=group.kind,
        surname=surname,
        given=given,
        birth_date=birth,
        gender=gender_of(group.gender),
        nationality=group.nationality,
        document=document,
        where=location,
    )


def _flights(segments: tuple[Segment, ...]) -> tuple[Flight, ...]:
    flights: list[Flight] = []
    number: str | None = None
    places: dict[str, str] = {}
    routing: list[str] = []

    def close() -> None:
        if number is not None:
            departure = places.get("125") or (routing[0] if routing else "")
            arrival = places.get("87") or (routing[1] if len(routing) > 1 else "")
            flights.append(Flight(number=number, departure=departure, arrival=arrival))

    for segment in segments:
        if segment.tag == "TDT" and segment.get(0) == "20":
            close()
            number, places, routing = segment.get(1), {}, []
        elif segment.tag == "NAD" and segment.get(0).upper() in TRAVELLER_KINDS:
            break
        elif segment.tag == "LOC" and number is not None:
            qualifier, place = segment.get(0), segment.get(1)
            if qualifier == "92":
                routing.append(place)
            else:
                places.setdefault(qualifier, place)
    close()
    return tuple(flights)
