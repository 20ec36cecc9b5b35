"""What every reader shares: hostile-input guards for files, XML and CSV, and the reader contract.

Also the small text and XML helpers readers of all kinds use (white space, script, element lines
and children by local name). The record builder for list readers is in
:mod:`interdict.readers.draft`.

Readers turn untrusted bytes into validated :class:`~interdict.model.Entity` objects or raise
:class:`~interdict.errors.BadInputError` naming the file and line or record. Nothing else in a
reader's path may raise: pydantic validation errors, decoding errors and XML syntax errors are
translated here.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from lxml import etree
from pydantic import ValidationError

from interdict.errors import BadInputError, where
from interdict.model import Entity

__all__ = [
    "MAX_FILE_BYTES",
    "ListFile",
    "ListReader",
    "decode_text",
    "describe_validation_error",
    "file_sha256",
    "iter_csv_rows",
    "iter_xml_elements",
    "local_children",
    "looks_like_xml",
    "mostly_non_latin",
    "normalise_space",
    "parse_xml",
    "read_limited",
    "source_line",
    "xml_head",
]

MAX_FILE_BYTES = 512 * 1024 * 1024
"""Largest list file we accept (the full EU file is ~25 MB, OFAC SDN XML ~120 MB)."""


@dataclass(frozen=True)
class ListFile:
    """The result of reading one list: its entities and what the file says about itself."""

    entities: list[Entity]
    source_format: str
    published: str | None = None
    """Publication date or timestamp printed in the file, when it has one."""
    warnings: list[str] = field(default_factory=list)
    """Records skipped or repaired, each naming the file and record."""


class ListReader(Protocol):
    """A function that reads a list file (or folder) into entities."""

    def __call__(self, path: Path) -> ListFile: ...


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, or of all files in a folder (sorted by name)."""
    digest = hashlib.sha256()
    paths = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for item in paths:
        with item.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def read_limited(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read a whole file, refusing missing files and files larger than ``max_bytes``."""
    if not path.is_file():
        raise BadInputError("file not found", where=str(path), hint="check the path")
    size = path.stat().st_size
    if size > max_bytes:
        raise BadInputError(
            f"file is {size:,} bytes, larger than the {max_bytes:,}-byte limit",
            where=str(path),
            hint="is this the right file?",
        )
    if size == 0:
        raise BadInputError("file is empty", where=str(path), hint="download it again")
    return path.read_bytes()


_UTF32_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32LE"), (codecs.BOM_UTF32_BE, "UTF-32BE"))


def _bom_encoding(data: bytes) -> str | None:
    """The encoding a UTF-32 byte-order mark names (libxml2's incremental parser does not
    recognise it; every other mark and BOM-less UTF-16/32 it detects itself)."""
    for bom, encoding in _UTF32_BOMS:
        if data.startswith(bom):
            return encoding
    return None


_TEXT_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_STARTS = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)


def xml_head(data: bytes, size: int = 8192) -> str:
    """The first ``size`` bytes of an XML document as text, in the encoding its byte-order mark
    or its first character (``<`` in UTF-16 or UTF-32 has zero bytes beside it) shows; UTF-8
    otherwise. For recognising a document's kind, not for reading it."""
    head = data[:size]
    for bom, codec in _TEXT_BOMS:
        if head.startswith(bom):
            return head.decode(codec, errors="ignore")
    for start, codec in _XML_STARTS:
        if head.startswith(start):
            return head.decode(codec, errors="ignore")
    return head.decode("utf-8", errors="ignore")


def looks_like_xml(data: bytes) -> bool:
    """True when ``data`` starts (after white space) with ``<`` in any XML encoding."""
    return xml_head(data, 4096).lstrip("\ufeff \t\r\n").startswith("<")


class _Prolog:
    """A parser target that stops at the document type declaration or the root element,
    whichever the parser meets first."""

    class Seen(Exception):
        def __init__(self, doctype: bool) -> None:
            self.doctype = doctype

    def doctype(self, name: str | None, pubid: str | None, system: str | None) -> None:
        raise self.Seen(doctype=True)

    def start(self, tag: str | bytes, attrib: dict[str | bytes, str | bytes]) -> None:
        raise self.Seen(doctype=False)

    def end(self, tag: str | bytes) -> None:
        return None

    def data(self, data: str | bytes) -> None:
        return None

    def comment(self, text: str | bytes) -> None:
        return None

    def close(self) -> None:
        return None


_PROLOG_CHUNK = 1 << 16


def _refuse_doctype(data: bytes, source: str) -> None:
    """Refuse a document with a document type declaration, as the XML parser itself reads it.

    DTDs are never needed by the official formats; refusing every one rules out external
    entities (XXE) and entity-expansion bombs. The parser decodes the document first, so a DTD
    is seen in any encoding (UTF-16 or UTF-32, with or without a byte-order mark) — looking for
    the bytes ``<!DOCTYPE`` would see it only in UTF-8. The parser stops when the declaration
    starts, before it reads any entity, and at the root element when there is none.
    """
    parser = etree.XMLParser(
        target=_Prolog(),
        encoding=_bom_encoding(data),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
    )
    try:
        for start in range(0, len(data), _PROLOG_CHUNK):
            parser.feed(data[start : start + _PROLOG_CHUNK])
    except _Prolog.Seen as seen:
        if seen.doctype:
            raise BadInputError(
                "XML declares a DOCTYPE or entities, which list files and messages never need",
                where=source,
                hint="refusing it protects against external-entity and entity-expansion attacks",
            ) from None
    except etree.XMLSyntaxError:
        return  # not well-formed before the root: the full parse names the problem


def _safe_parser(encoding: str | None = None) -> etree.XMLParser:
    return etree.XMLParser(
        encoding=encoding,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _syntax_error(exc: etree.XMLSyntaxError, source: str) -> BadInputError:
    return BadInputError(
        f"malformed or truncated XML: {exc.msg}",
        where=where(source, line=exc.lineno or None),
        hint="the file may be cut off or not XML; download it again",
    )


def parse_xml(data: bytes, source: str) -> etree._Element:
    """Parse a whole XML document safely (no DTD, in any encoding); a syntax error names the
    line."""
    _refuse_doctype(data, source)
    try:
        return etree.fromstring(data, parser=_safe_parser(_bom_encoding(data)))
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, source) from exc


def iter_xml_elements(data: bytes, source: str, tags: set[str]) -> Iterator[etree._Element]:
    """Yield each element whose local name is in ``tags``, parsed incrementally and safely.

    The caller must finish with an element before asking for the next: it is cleared
    afterwards to keep memory flat on large files.
    """
    _refuse_doctype(data, source)
    context = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        encoding=_bom_encoding(data),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _event, element in context:
            if etree.QName(element).localname in tags:
                yield element
                element.clear(keep_tail=False)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, source) from exc


def decode_text(data: bytes, source: str, fallback: str = "cp1252") -> str:
    """Decode bytes as UTF-8 (with or without BOM, or UTF-16 with BOM), else ``fallback``.

    Lists published from Windows tools (the 2018 UK ConList) are cp1252/latin-1, and some end
    with a DOS end-of-file byte (``\\x1a``), which is dropped. Other control characters than tab
    and newlines are refused: they never belong in a list file.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if len(data) % 2 and data.endswith(b"\x1a"):
            data = data[:-1]  # a one-byte DOS end-of-file after UTF-16 text
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BadInputError(
                f"broken UTF-16 at byte {exc.start}", where=source, hint="re-save as UTF-8"
            ) from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode(fallback, errors="replace")
    text = text.rstrip("\x1a")  # DOS end-of-file marker after the last line
    bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise BadInputError(
            f"control character U+{ord(bad.group()):04X} in text",
            where=where(source, line=line),
            hint="the file is binary or corrupted",
        )
    return text


def iter_csv_rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, cells)`` for each non-empty CSV row; malformed CSV names the line."""
    csv.field_size_limit(1 << 20)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            yield reader.line_num, cells
    except csv.Error as exc:
        raise BadInputError(
            f"malformed CSV: {exc}", where=where(source, line=reader.line_num)
        ) from exc


def describe_validation_error(exc: ValidationError) -> str:
    """One line out of a pydantic error: the first problem and the field it is in."""
    first = exc.errors()[0]
    location = ".".join(str(part) for part in first["loc"])
    return f"{first['msg']} (field {location})" if location else str(first["msg"])


def normalise_space(text: str | None) -> str:
    """``text`` with runs of white space made one space and the ends trimmed (None → ``""``)."""
    return " ".join((text or "").split())


def mostly_non_latin(text: str) -> bool:
    """True when more than half of the letters in ``text`` are not Latin (Arabic, Cyrillic …)."""
    letters = [ch for ch in text if ch.isalpha()]
    other = sum(1 for ch in letters if not unicodedata.name(ch, "LATIN").startswith("LATIN"))
    return bool(letters) and other * 2 > len(letters)


def source_line(element: etree._Element) -> int | None:
    """The line an XML element starts on, when the parser knows it."""
    line = element.sourceline
    return line if isinstance(line, int) else None


def local_children(element: etree._Element, *path: str) -> list[etree._Element]:
    """Descendants along ``path`` (one child name a step) by local name, whatever the namespace."""
    found = [element]
    for step in path:
        found = [
            child
            for parent in found
            for child in parent
            if isinstance(child.tag, str) and etree.QName(child).localname == step
        ]
    return found
