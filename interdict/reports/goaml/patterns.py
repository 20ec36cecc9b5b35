"""Translate the JavaScript-style regular expressions in FIUs' goAML XSDs into XSD regex.

goAML schemas are written for the FIU portal's JavaScript validator: patterns carry ``^``/``$``
anchors (literal characters in XSD, where every pattern is anchored already), escape ``/`` and
put a literal ``-`` in the middle of a character class (``[_a-zA-Z0-9-+]``), which XSD refuses
or reads differently. Applied at load time to the user's own XSD, so no patched copy is kept
(see ``../shared/data/standards/goaml/README.md``). Lookahead assertions have no XSD
equivalent: they are dropped and reported.
"""

from __future__ import annotations

__all__ = ["translate_pattern"]

_XSD_ESCAPES = set("nrt\\|.?*+(){}-[]^sSiIcCdDwWpP")
"""Characters XSD allows after a backslash (single-character and multi-character escapes)."""


def translate_pattern(pattern: str) -> tuple[str, list[str]]:
    """The XSD form of a JavaScript-style ``pattern`` and notes on what had to change."""
    notes: list[str] = []
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            out.append(_escape(pattern[i + 1]))
            i += 2
        elif char == "[":
            text, i = _char_class(pattern, i)
            out.append(text)
        elif pattern.startswith(("(?=", "(?!"), i):
            end = _group_end(pattern, i)
            notes.append(f"lookahead {pattern[i:end]!r} has no XSD equivalent and was dropped")
            i = end
        elif (char == "^" and _branch_start(out)) or (char == "$" and _branch_end(pattern, i)):
            i += 1
        else:
            out.append(char)
            i += 1
    translated = "".join(out)
    if translated != pattern and not notes:
        notes.append("anchors, escapes or hyphens rewritten for XSD")
    return translated, notes


def _escape(char: str) -> str:
    return "\\" + char if char in _XSD_ESCAPES else char


def _branch_start(out: list[str]) -> bool:
    return not out or out[-1] in ("(", "|")


def _branch_end(pattern: str, i: int) -> bool:
    return i + 1 == len(pattern) or pattern[i + 1] in (")", "|")


def _group_end(pattern: str, start: int) -> int:
    depth, i = 0, start
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(pattern[i], 0)
        i += 1
        if depth == 0:
            return i
    return len(pattern)


def _char_class(pattern: str, start: int) -> tuple[str, int]:
    """Rewrite ``[...]``: literal hyphens become ``\\-``, needless escapes are dropped."""
    i = start + 1
    negated = pattern.startswith("^", i)
    i += negated
    atoms: list[str] = []
    while i < len(pattern) and pattern[i] != "]":
        if pattern[i] == "\\" and i + 1 < len(pattern):
            atoms.append(_escape(pattern[i + 1]))
            i += 2
        else:
            atoms.append(pattern[i])
            i += 1
    parts: list[str] = []
    j = 0
    while j < len(atoms):
        atom = atoms[j]
        is_range = (
            j + 2 < len(atoms) and atoms[j + 1] == "-" and atom != "-" and atoms[j + 2] != "-"
        )
        if is_range:
            parts.append(atom + "-" + atoms[j + 2])
            j += 3
        else:
            parts.append("\\-" if atom == "-" else _class_char(atom))
            j += 1
    return "[" + ("^" if negated else "") + "".join(parts) + "]", i + 1


def _class_char(atom: str) -> str:
    return "\\" + atom if atom in ("[", "^") else atom
