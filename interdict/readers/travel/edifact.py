"""UN/EDIFACT interchanges, read the way airlines actually send them.

An interchange is ``[UNA] UNB ( [UNG] UNH … UNT [UNE] )* UNZ``. This tokeniser follows the UNA
service string advice (component, element, decimal, release, repetition, terminator), honours
the release character, and checks the envelope: every UNH is closed by UNT, every UNG by UNE,
nothing but envelopes lies outside a message. Real PAXLST always travels in UNG/UNE functional
groups, which the common Python EDIFACT parser rejects; here they are ordinary structure.

What real senders get wrong and we tolerate, each with a warning: line breaks and indentation
between (and inside) segments, blanks inside a tag (``UNG *PAXLST``), a five-character UNA
without its decimal mark, a typographic apostrophe (U+2019) used as the segment terminator,
a last UNZ without its terminator, text after UNZ, and control counts that do not add up.
Anything else — a cut-off segment, an unclosed message, a tag that is not three letters — is a
:class:`~interdict.errors.BadInputError` naming the segment and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from interdict.errors import BadInputError, where
from interdict.readers.base import decode_text

__all__ = [
    "Delimiters",
    "EdifactMessage",
    "Interchange",
    "Segment",
    "parse_interchange",
]

MAX_SEGMENTS = 200_000
"""More segments than this is not a manifest; refuse rather than exhaust memory."""

_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")
_TYPOGRAPHIC_APOSTROPHE = "\u2019"


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The service characters of an interchange (UNA, or the defaults when there is none)."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = "*"
    terminator: str = "'"


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment: its tag, its data elements (each a tuple of components) and its place."""

    tag: str
    elements: tuple[tuple[str, ...], ...]
    position: int
    """1-based position in the interchange (UNA not counted)."""
    line: int
    """Line of the source text on which the segment starts."""

    def get(self, element: int, component: int = 0) -> str:
        """Component ``component`` of data element ``element`` (both 0-based), or ``""``."""
        if element >= len(self.elements):
            return ""
        parts = self.elements[element]
        return parts[component].strip() if component < len(parts) else ""

    def where(self, source: str) -> str:
        """``source line L record segment N (TAG)`` for error messages and warnings."""
        return where(source, line=self.line, record=f"segment {self.position} ({self.tag})")


@dataclass(frozen=True, slots=True)
class EdifactMessage:
    """One UNH…UNT message: its type and the segments between the two."""

    index: int
    reference: str
    type: str
    version: str
    segments: tuple[Segment, ...]
    line: int


@dataclass(frozen=True)
class Interchange:
    """A whole interchange: envelope data, messages in order, and what was tolerated."""

    delimiters: Delimiters
    syntax: str
    sender: str
    recipient: str
    prepared: str
    """UNB preparation date as sent (``YYMMDD``), or ``""``."""
    messages: tuple[EdifactMessage, ...]
    warnings: list[str] = field(default_factory=list)


def parse_interchange(data: bytes, source: str) -> Interchange:
    """Tokenise and check one EDIFACT interchange; raise :class:`BadInputError` when broken."""
    text = decode_text(data, source, fallback="latin-1")
    start = len(text) - len(text.lstrip("\ufeff \t\r\n"))
    warnings: list[str] = []
    delimiters, start = _service_advice(text, start, source, warnings)
    if delimiters.terminator == "'" and _TYPOGRAPHIC_APOSTROPHE in text:
        text, replaced = _repair_apostrophes(text, delimiters)
        if replaced:
            warnings.append(
                f"{source}: {replaced} typographic apostrophe(s) (U+2019) read as the "
                "segment terminator"
            )
    segments = _tokenise(text, start, delimiters, source, warnings)
    return _assemble(segments, delimiters, source, warnings)


def _service_advice(
    text: str, start: int, source: str, warnings: list[str]
) -> tuple[Delimiters, int]:
    if not text.startswith("UNA", start):
        return Delimiters(), start
    advice = text[start + 3 : start + 9]
    if len(advice) < 6:
        raise BadInputError(
            "the UNA service string advice is cut off (it needs six characters)",
            where=where(source, line=1),
            hint="send the whole interchange",
        )
    if advice[5].isspace() or advice[5].isalnum():
        # Five characters: the decimal mark is missing (seen in GTAS's codeshare sample).
        c = advice
        delimiters = Delimiters(c[0], c[1], ".", c[2], c[3], c[4])
        warnings.append(f"{where(source, line=1)}: UNA has five characters; decimal mark is '.'")
        end = start + 8
    else:
        c = advice
        delimiters = Delimiters(c[0], c[1], c[2], c[3], c[4], c[5])
        end = start + 9
    if delimiters.terminator == _TYPOGRAPHIC_APOSTROPHE:
        warnings.append(f"{where(source, line=1)}: UNA declares U+2019 as terminator; using '''")
        delimiters = Delimiters(
            delimiters.component,
            delimiters.element,
            delimiters.decimal,
            delimiters.release,
            delimiters.repetition,
            "'",
        )
    _check_delimiters(delimiters, source)
    return delimiters, end


def _check_delimiters(delimiters: Delimiters, source: str) -> None:
    separators = (delimiters.component, delimiters.element, delimiters.terminator)
    if len(set(separators)) < 3 or any(c.isalnum() or c.isspace() for c in separators):
        shown = " ".join(repr(c) for c in separators)
        raise BadInputError(
            f"the UNA service string advice declares unusable separators ({shown})",
            where=where(source, line=1),
            hint="component, element and segment separators must be three distinct symbols",
        )
    if delimiters.release in separators:
        raise BadInputError(
            f"the UNA release character {delimiters.release!r} is also a separator",
            where=where(source, line=1),
        )


def _repair_apostrophes(text: str, delimiters: Delimiters) -> tuple[str, int]:
    """Read U+2019 as the terminator where a segment tag follows it (typed in a word processor)."""
    follows = re.escape(delimiters.element) + re.escape(delimiters.terminator)
    pattern = re.compile(_TYPOGRAPHIC_APOSTROPHE + rf"(?=\s*[A-Z]{{3}}\s*[{follows}])")
    return pattern.subn("'", text)


def _tokenise(
    text: str, start: int, delimiters: Delimiters, source: str, warnings: list[str]
) -> list[Segment]:
    """Split into segments; release characters, CR/LF and leading blanks handled."""
    d = delimiters
    release = re.escape(d.release) + r"[\s\S]|" if d.release.strip() else ""
    pattern = re.compile(
        release + "[" + re.escape(d.component + d.element + d.terminator) + r"\r\n]"
    )
    segments: list[Segment] = []
    elements: list[tuple[str, ...]] = []
    components: list[str] = []
    chunk: list[str] = []
    line = text.count("\n", 0, start) + 1
    segment_line = line
    position = start
    started = False  # whether the current segment has begun (its line is known)
    for found in pattern.finditer(text, start):
        piece = text[position : found.start()]
        chunk.append(piece)
        position = found.end()
        token = found.group()
        if not started and (piece.strip() or token not in "\r\n"):
            started, segment_line = True, line
        if len(token) == 2:  # released character
            if token[1] in "\r\n":
                line += token[1] == "\n"
            else:
                chunk.append(token[1])
        elif token == "\n":
            line += 1
        elif token == "\r":
            pass
        elif token == d.component:
            components.append("".join(chunk))
            chunk = []
        elif token == d.element:
            components.append("".join(chunk))
            elements.append(tuple(components))
            components, chunk = [], []
        else:  # terminator
            components.append("".join(chunk))
            elements.append(tuple(components))
            segment = _segment(elements, len(segments) + 1, segment_line, source)
            segments.append(segment)
            if len(segments) > MAX_SEGMENTS:
                raise BadInputError(
                    f"more than {MAX_SEGMENTS:,} segments", where=source, hint="split the file"
                )
            elements, components, chunk = [], [], []
            started = False
            if segment.tag == "UNZ":
                _trailing(text[position:], line, source, warnings)
                return segments
    chunk.append(text[position:])
    pending = "".join(chunk)
    if elements or components or pending.strip():
        components.append(pending)
        elements.append(tuple(components))
        segment = _segment(elements, len(segments) + 1, segment_line, source)
        if segment.tag != "UNZ":
            raise BadInputError(
                f"the last segment ({segment.tag}) is not closed by {d.terminator!r}",
                where=segment.where(source),
                hint="the interchange is cut off; send it whole",
            )
        warnings.append(f"{segment.where(source)}: UNZ has no terminator")
        segments.append(segment)
    return segments


def _segment(elements: list[tuple[str, ...]], position: int, line: int, source: str) -> Segment:
    head = elements[0]
    tag = "".join(head[0].split()) if head else ""
    if not _TAG.fullmatch(tag):
        shown = tag[:12] or "nothing"
        raise BadInputError(
            f"the segment starts with {shown!r}, not a three-letter segment tag",
            where=where(source, line=line, record=f"segment {position}"),
            hint="is this an EDIFACT interchange with the separators its UNA declares?",
        )
    return Segment(tag, tuple(elements[1:]), position, line)


def _trailing(rest: str, line: int, source: str, warnings: list[str]) -> None:
    if rest.strip():
        warnings.append(f"{where(source, line=line)}: text after UNZ ignored")


def _assemble(
    segments: list[Segment], delimiters: Delimiters, source: str, warnings: list[str]
) -> Interchange:
    if not segments or segments[0].tag != "UNB":
        found = segments[0].tag if segments else "nothing"
        raise BadInputError(
            f"an EDIFACT interchange starts with UNB (after an optional UNA), not {found}",
            where=where(source, line=segments[0].line if segments else 1),
            hint="send a PAXLST or PNRGOV interchange",
        )
    header = segments[0]
    if segments[-1].tag != "UNZ":
        raise BadInputError(
            "the interchange is not closed by UNZ",
            where=segments[-1].where(source),
            hint="the interchange is cut off; send it whole",
        )
    messages = _messages(segments[1:-1], source, warnings)
    if not messages:
        raise BadInputError(
            "the interchange holds no message (no UNH…UNT)", where=header.where(source)
        )
    return Interchange(
        delimiters=delimiters,
        syntax=header.get(0, 0),
        sender=header.get(1, 0),
        recipient=header.get(2, 0),
        prepared=header.get(3, 0),
        messages=tuple(messages),
        warnings=warnings,
    )


def _messages(segments: list[Segment], source: str, warnings: list[str]) -> list[EdifactMessage]:
    messages: list[EdifactMessage] = []
    group: Segment | None = None
    opened: Segment | None = None
    body: list[Segment] = []
    for segment in segments:
        tag = segment.tag
        if tag == "UNH":
            if opened is not None:
                raise _unclosed(opened, segment, source)
            opened, body = segment, []
        elif tag == "UNT":
            if opened is None:
                raise BadInputError("UNT without a UNH before it", where=segment.where(source))
            messages.append(_message(opened, body, segment, len(messages) + 1, source, warnings))
            opened = None
        elif opened is not None:
            if tag in ("UNG", "UNE", "UNB"):
                raise _unclosed(opened, segment, source)
            body.append(segment)
        elif tag == "UNG":
            if group is not None:
                raise BadInputError(
                    f"UNG opens a group while the group at segment {group.position} is open",
                    where=segment.where(source),
                    hint="close each functional group with UNE",
                )
            group = segment
        elif tag == "UNE":
            if group is None:
                raise BadInputError("UNE without a UNG before it", where=segment.where(source))
            group = None
        else:
            raise BadInputError(
                f"{tag} outside a message: only UNG/UNE/UNH/UNT may stand between messages",
                where=segment.where(source),
            )
    if opened is not None:
        raise _unclosed(opened, None, source)
    if group is not None:
        raise BadInputError(
            "the functional group opened by UNG is not closed by UNE",
            where=group.where(source),
        )
    return messages


def _unclosed(opened: Segment, found: Segment | None, source: str) -> BadInputError:
    seen = f"{found.tag} at segment {found.position}" if found else "the end of the interchange"
    return BadInputError(
        f"the message opened by UNH at segment {opened.position} reaches {seen} without UNT",
        where=opened.where(source),
        hint="the message is cut off or its UNT is missing",
    )


def _message(
    head: Segment,
    body: list[Segment],
    tail: Segment,
    index: int,
    source: str,
    warnings: list[str],
) -> EdifactMessage:
    count = tail.get(0, 0)
    if count.isdigit() and int(count) != len(body) + 2:
        warnings.append(
            f"{tail.where(source)}: UNT counts {int(count)} segments, the message has "
            f"{len(body) + 2}"
        )
    if tail.get(1, 0) and tail.get(1, 0).replace(" ", "") != head.get(0, 0):
        warnings.append(f"{tail.where(source)}: UNT reference differs from its UNH")
    version = ":".join(p for p in (head.get(1, 1), head.get(1, 2)) if p)
    return EdifactMessage(
        index=index,
        reference=head.get(0, 0),
        type=head.get(1, 0).upper(),
        version=version,
        segments=tuple(body),
        line=head.line,
    )
