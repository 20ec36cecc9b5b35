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
    fallback: bool = False
    """Take the last possible alternative of each choice (the plainest variant)."""


def render(
    schema: FiuSchema, root: str, tree: Mapping[str, Any], *, fallback: bool = False
) -> Rendered:
    """The report element for ``schema`` built from ``tree``."""
    rendered = Rendered(etree.Element(root), fallback=fallback)
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
    order = list(enumerate(alternatives))
    for number, alternative in reversed(order) if out.fallback else order:
        if all(key in by_name and item not in (None, "") and _complete(schema, by_name[key], item)
               for key, item in alternative.items()):  # fmt: skip
            if number and not out.fallback:
                skipped = ", ".join(k for a in alternatives[:number] for k in a)
                out.notes.append(f"{path}: {skipped} not possible here (schema or KYC); used"
                                 f" {', '.join(alternative)}")  # fmt: skip
            return {**rest, **alternative}
    return {**rest, **alternatives[0]}


def _complete(schema: FiuSchema, child: Child, item: Any, depth: int = 0) -> bool:
    """Whether ``item`` holds every child the schema requires, a few levels down."""
    if not isinstance(item, Mapping) or depth > 3:
        return True
    present = {**item, **((item.get(EITHER) or [{}])[0])}
    children = {c.name: c for c in schema.children(child.decl)}
    required = [c for c in children.values() if c.min_occurs > 0]
    if any(present.get(c.name) in (None, "", [], {}) for c in required):
        return False
    return all(
        _complete(schema, children[key], value, depth + 1)
        for key, value in present.items()
        if key in children and isinstance(value, Mapping)
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


def write_report(schema: FiuSchema, root: str, tree: Mapping[str, Any], out: Path) -> Rendered:
    """Render, validate against the FIU's schema, then write; an invalid report is never
    written. When the fullest variants (``_my_client`` with KYC) do not validate, the plainest
    ones are tried before refusing."""
    rendered = render(schema, root, tree)
    problems = schema.validate(rendered.document)
    if problems:
        plain = render(schema, root, tree, fallback=True)
        if not schema.validate(plain.document):
            plain.notes.append(
                f"the fullest variant was not valid ({problems[0][0]}: {problems[0][1]});"
                " wrote the plain variants"
            )
            rendered, problems = plain, []
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
    return rendered
