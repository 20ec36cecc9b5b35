"""Write a report tree as the FIU's schema wants it, validate it, and only then write the file.

The builder gives a nested mapping in goAML's vocabulary; :func:`render` walks the FIU's own
content model, so children come out in that schema's order, elements the schema does not know
are left out (and noted), and text is fitted to the element's patterns: names in Cyrillic or
Arabic are transliterated to what the pattern accepts (the case keeps the original script).
:func:`write_report` refuses an invalid report with the element path and the rule it broke.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import elementpath
from anyascii import anyascii
from lxml import etree

from interdict.engines.commit import StagedOutput
from interdict.errors import BadInputError
from interdict.reports.goaml.xsd import Child, FiuSchema

__all__ = ["EITHER", "Rendered", "render", "write_report"]

EITHER = "__either__"
"""Key of a tree mapping holding alternatives (``[{"person_my_client": …}, {"person": …}]``):
the first one this schema knows and whose required children are all there is used."""


@dataclass
class Rendered:
    """A report rendered for one schema, with what had to change on the way."""

    document: etree._Element
    notes: list[str] = field(default_factory=list)
    transliterated: dict[str, str] = field(default_factory=dict)
    """Original text → the form the FIU's patterns accept."""


def render(schema: FiuSchema, root: str, tree: Mapping[str, Any]) -> Rendered:
    """The report element for ``schema`` built from ``tree``."""
    rendered = Rendered(etree.Element(root))
    _fill(schema, schema.top(root), rendered.document, tree, f"/{root}", rendered)
    return rendered


def _fill(
    schema: FiuSchema,
    decl: etree._Element,
    element: etree._Element,
    value: Any,
    path: str,
    out: Rendered,
) -> None:
    if not isinstance(value, Mapping):
        element.text = _fit(schema, decl, str(value), path, out)
        return
    children = list({c.name: c for c in reversed(schema.children(decl))}.values())[::-1]
    known = {c.name for c in children}
    value = _choose(schema, children, value, path, out)
    out.notes.extend(
        f"{path}/{key}: not in this FIU's schema, left out"
        for key, item in value.items()
        if key not in known and item not in (None, [], {})
    )
    for child in children:
        item = value.get(child.name)
        if item is None or item == [] or item == {}:
            continue
        for one in _items(item, child, path, out):
            node = etree.SubElement(element, child.name)
            _fill(schema, child.decl, node, one, f"{path}/{child.name}", out)


def _choose(
    schema: FiuSchema, children: list[Child], value: Mapping[str, Any], path: str, out: Rendered
) -> Mapping[str, Any]:
    alternatives = value.get(EITHER)
    if not alternatives:
        return value
    rest = {k: v for k, v in value.items() if k != EITHER}
    by_name = {c.name: c for c in children}
    for number, alternative in enumerate(alternatives):
        if all(key in by_name and _complete(schema, by_name[key], item)
               for key, item in alternative.items()):  # fmt: skip
            if number:
                skipped = ", ".join(k for a in alternatives[:number] for k in a)
                out.notes.append(f"{path}: {skipped} not possible here (schema or KYC); used"
                                 f" {', '.join(alternative)}")  # fmt: skip
            return {**rest, **alternative}
    return {**rest, **alternatives[0]}


def _complete(schema: FiuSchema, child: Child, item: Any) -> bool:
    if not isinstance(item, Mapping):
        return True
    return all(
        item.get(c.name) not in (None, "", [], {})
        for c in schema.children(child.decl)
        if c.min_occurs > 0
    )


def _items(item: Any, child: Child, path: str, out: Rendered) -> list[Any]:
    items = list(item) if isinstance(item, list) else [item]
    if len(items) > 1 and not child.repeats:
        out.notes.append(f"{path}/{child.name}: the schema allows one; kept the first")
        return items[:1]
    return items


def _fit(schema: FiuSchema, decl: etree._Element, text: str, path: str, out: Rendered) -> str:
    """The text, transliterated and trimmed only as far as the element's patterns need."""
    patterns, max_length = schema.facets(decl)
    candidates = [text]
    if patterns and not _matches(patterns, text):
        ascii_text = " ".join(anyascii(text).split())
        plain = " ".join(re.sub(r"[^A-Za-z0-9 ]+", " ", ascii_text).split())
        candidates += [ascii_text, plain, plain.upper()]
    for candidate in candidates:
        fitted = candidate[:max_length] if max_length and len(candidate) > max_length else candidate
        if fitted != candidate and path.endswith(("reason", "action", "description", "comments")):
            out.notes.append(f"{path}: shortened to the schema's {max_length} characters")
        if not patterns or _matches(patterns, fitted):
            if fitted != text and candidate != text:
                out.transliterated[text] = fitted
            return fitted
    return text


def _matches(patterns: list[str], text: str) -> bool:
    return all(_compiled(p).fullmatch(text) is not None for p in patterns)


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    """An XSD pattern as a Python regex (elementpath's translator: XSD classes and escapes)."""
    try:
        python = elementpath.translate_pattern(
            pattern, back_references=False, lazy_quantifiers=False, anchors=False
        )
        return re.compile(python)
    except (re.error, elementpath.ElementPathError, ValueError):
        return re.compile(".*", re.DOTALL)


def write_report(schema: FiuSchema, rendered: Rendered, out: Path) -> None:
    """Validate against the FIU's schema, then write; an invalid report is never written."""
    problems = schema.validate(rendered.document)
    if problems:
        where, rule = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise BadInputError(
            f"the report would not be valid for {schema.path.name}: {where}: {rule}{more}",
            where=str(out),
            hint="nothing was written; complete the case or REPORTER.yaml and retry",
        )
    data = etree.tostring(
        rendered.document, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    with StagedOutput(out) as staging:
        Path(staging).write_bytes(data)
