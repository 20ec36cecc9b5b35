"""An FIU's goAML XSD, loaded safely: translated patterns, code lists and the content model.

Every FIU publishes its own goAML schema with its own code lists (report codes, funds types,
transmodes, indicators…). Nothing of that is hard-coded here: :class:`FiuSchema` reads the
enumerations of the type an element has in *this* schema, the order and cardinality of its
children, and the facets (patterns, lengths) its text must satisfy; :meth:`FiuSchema.validate`
checks a report with lxml's XMLSchema. The file is read like every untrusted input: size
limit, no DTD or entities, no includes fetched from elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from interdict.errors import BadInputError
from interdict.readers.base import parse_xml, read_limited
from interdict.reports.goaml.patterns import translate_pattern

__all__ = ["MAX_XSD_BYTES", "Child", "FiuSchema", "load_fiu_schema"]

MAX_XSD_BYTES = 16 * 1024 * 1024
XS = "{http://www.w3.org/2001/XMLSchema}"
_COMMENTED = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
)
"""The safe parser's settings, but comments kept: FIUs document their codes in comments."""


@dataclass(frozen=True)
class Child:
    """One element a complex element may contain, in schema order."""

    name: str
    decl: etree._Element
    min_occurs: int
    repeats: bool


@dataclass
class FiuSchema:
    """A loaded FIU schema."""

    path: Path
    root: etree._Element
    schema: etree.XMLSchema
    notes: list[str] = field(default_factory=list)
    _types: dict[str, etree._Element] = field(default_factory=dict)
    _elements: dict[str, etree._Element] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for node in self.root:
            if node.tag in (XS + "complexType", XS + "simpleType") and node.get("name"):
                self._types[str(node.get("name"))] = node
            elif node.tag == XS + "element" and node.get("name"):
                self._elements[str(node.get("name"))] = node

    @property
    def version(self) -> str:
        """The goAML version the schema declares (``goaml:schemaVersion``), if any."""
        for key, value in self.root.attrib.items():
            if str(key).endswith("schemaVersion"):
                return str(value)
        return ""

    def top(self, name: str) -> etree._Element:
        """A top-level element declaration (``report``)."""
        if name not in self._elements:
            raise BadInputError(
                f"the schema declares no top-level element {name!r}",
                where=str(self.path),
                hint="is this a goAML report schema?",
            )
        return self._elements[name]

    def has_element(self, name: str) -> bool:
        """Whether any element of that name is declared anywhere."""
        return bool(self.root.findall(f".//{XS}element[@name='{name}']"))

    def codes(self, element: str) -> tuple[str, ...]:
        """The code list (enumeration values) of the first element called ``element``."""
        for decl in self.root.iter(XS + "element"):
            if decl.get("name") == element:
                values = [e.get("value") for e in self._restrictions(decl, "enumeration")]
                return tuple(str(v) for v in values if v is not None)
        return ()

    def documented_codes(self, element: str) -> dict[str, str]:
        """Each code of ``element``'s list with the text the FIU documented it with."""
        for decl in self.root.iter(XS + "element"):
            if decl.get("name") == element:
                return {
                    str(e.get("value")): _documentation(e)
                    for e in self._restrictions(decl, "enumeration")
                    if e.get("value") is not None
                }
        return {}

    def required(self, parent: str, child: str) -> bool:
        """Whether the first ``parent`` element declared must contain ``child``."""
        for decl in self.root.iter(XS + "element"):
            if decl.get("name") == parent:
                return any(c.name == child and c.min_occurs > 0 for c in self.children(decl))
        return False

    def facets(self, decl: etree._Element) -> tuple[list[str], int | None]:
        """The (translated) patterns and the maxLength the element's text must meet."""
        patterns = [str(p.get("value")) for p in self._restrictions(decl, "pattern")]
        lengths = [int(str(m.get("value"))) for m in self._restrictions(decl, "maxLength")]
        return patterns, min(lengths) if lengths else None

    def _restrictions(self, decl: etree._Element, facet: str) -> Iterator[etree._Element]:
        simple = self._simple_type(decl)
        seen = 0
        while simple is not None and seen < 20:
            restriction = simple.find(XS + "restriction")
            if restriction is None:
                return
            yield from restriction.findall(XS + facet)
            base = str(restriction.get("base", ""))
            simple = self._types.get(base.split(":")[-1]) if ":" not in base else None
            seen += 1

    def _simple_type(self, decl: etree._Element) -> etree._Element | None:
        inline = decl.find(XS + "simpleType")
        if inline is not None:
            return inline
        named = self._types.get(str(decl.get("type", "")).split(":")[-1])
        return named if named is not None and named.tag == XS + "simpleType" else None

    def children(self, decl: etree._Element) -> list[Child]:
        """The child elements of a complex element, in schema order."""
        complex_type = decl.find(XS + "complexType")
        if complex_type is None:
            complex_type = self._types.get(str(decl.get("type", "")).split(":")[-1])
        if complex_type is None or complex_type.tag != XS + "complexType":
            return []
        return list(self._model(complex_type, 0, optional=False, repeats=False))

    def _model(
        self, node: etree._Element, depth: int, *, optional: bool, repeats: bool
    ) -> Iterator[Child]:
        if depth > 30:
            return
        for part in node:
            tag = part.tag
            if tag == XS + "element":
                if part.get("maxOccurs") != "0":  # declared but never allowed
                    yield self._child(part, optional, repeats)
            elif tag in (XS + "sequence", XS + "choice", XS + "all"):
                yield from self._model(
                    part,
                    depth + 1,
                    optional=optional or tag == XS + "choice" or part.get("minOccurs") == "0",
                    repeats=repeats or part.get("maxOccurs", "1") != "1",
                )
            elif tag in (XS + "complexContent", XS + "simpleContent"):
                for derived in part:
                    base = self._types.get(str(derived.get("base", "")).split(":")[-1])
                    if base is not None:
                        yield from self._model(base, depth + 1, optional=optional, repeats=repeats)
                    yield from self._model(derived, depth + 1, optional=optional, repeats=repeats)

    def _child(self, part: etree._Element, optional: bool, repeats: bool) -> Child:
        ref = part.get("ref")
        decl = self._elements.get(str(ref).split(":")[-1], part) if ref else part
        name = str(ref.split(":")[-1] if ref else part.get("name"))
        least = 0 if optional else int(part.get("minOccurs", "1"))
        return Child(name, decl, least, repeats or part.get("maxOccurs", "1") != "1")

    def validate(self, document: etree._Element) -> list[tuple[str, str]]:
        """``(element path, broken rule)`` for every problem lxml finds (empty: valid)."""
        if self.schema.validate(document):
            return []
        entries: list[Any] = list(self.schema.error_log)  # type: ignore[call-overload]
        return [(str(e.path or "/"), str(e.message)) for e in entries]


def _documentation(enumeration: etree._Element) -> str:
    """What the FIU wrote about a code: xs:documentation, or the comment inside it."""
    texts = [" ".join(map(str, d.itertext())) for d in enumeration.iter(XS + "documentation")]
    texts += [str(c.text or "") for c in enumeration.iter(etree.Comment)]
    return " ".join(" ".join(texts).split())


def load_fiu_schema(path: Path) -> FiuSchema:
    """Read an FIU's goAML XSD, translating its JavaScript-style patterns for XSD."""
    data = read_limited(path, MAX_XSD_BYTES)
    parse_xml(data, str(path))  # the readers' checks: no DTD, no entities, well-formed
    root = etree.fromstring(data, parser=_COMMENTED)  # again, keeping the codes' comments
    if root.tag != XS + "schema":
        raise BadInputError("not an XML Schema (no xs:schema root)", where=str(path))
    for external in ("include", "import", "redefine", "override"):
        if root.find(XS + external) is not None:
            raise BadInputError(
                f"the schema has an xs:{external}: schemas are read from one file only",
                where=str(path),
                hint="merge the referenced schema into the file the FIU published",
            )
    notes = _translate_patterns(root)
    try:
        schema = etree.XMLSchema(etree.ElementTree(root))
    except etree.XMLSchemaParseError as exc:
        raise BadInputError(
            f"the schema cannot be used: {exc}",
            where=str(path),
            hint="use the XSD exactly as the FIU published it",
        ) from exc
    return FiuSchema(path, root, schema, notes)


def _translate_patterns(root: etree._Element) -> list[str]:
    notes: list[str] = []
    changed = 0
    for facet in root.iter(XS + "pattern"):
        value = facet.get("value")
        if value is None:
            continue
        translated, why = translate_pattern(value)
        if translated != value:
            facet.set("value", translated)
            changed += 1
        notes.extend(f"line {facet.sourceline}: {note}" for note in why if "lookahead" in note)
    if changed:
        notes.insert(0, f"{changed} pattern(s) translated from JavaScript to XSD regex")
    return notes
