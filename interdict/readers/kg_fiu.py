"""Reader for the Kyrgyz Republic FIU national sanctions list (XML, root ``SanctionList``).

Layout, as OpenSanctions' crawler reads the file linked from ``fiu.gov.kg/sked/9``:

- ``KyrgyzPhysicPerson``: ``Surname``, ``Name``, ``Patronomic`` (sic), ``DataBirth``
  (``dd.mm.yyyy``, sometimes two dates separated by commas, or a year), ``PlaceBirth``,
  ``BasicInclusion`` (legal basis), ``CategoryPerson``, ``DateInclusion``;
- ``KyrgyzLegalPerson``: ``Name`` (an organisation's names separated by ``, ``),
  ``BasicInclusion``, ``CategoryPerson``, ``DateInclusion``.

Elements are matched by local name, so a namespace on the file changes nothing. The list has no
ids: each record's id is ``KG-`` + a digest of its kind, inclusion date and names (what
OpenSanctions keys on too), stable across versions as long as those do not change. Names stay in
Cyrillic as published.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from pydantic import ValidationError

from interdict.errors import BadInputError
from interdict.model import Entity, Name, NameKind, NameQuality, Schema
from interdict.readers.base import (
    ListFile,
    describe_validation_error,
    iter_xml_elements,
    read_limited,
)
from interdict.readers.draft import EntityDraft, ReadContext
from interdict.readers.kz_afm import child_text, iso_day, parse_day_first_date, stable_id

__all__ = ["read_kg_fiu"]

SOURCE_FORMAT = "kg_fiu"
_PERSON = "KyrgyzPhysicPerson"
_LEGAL = "KyrgyzLegalPerson"
_DATES = re.compile(r"[,;]|\s+и\s+")


def _common(draft: EntityDraft, element: etree._Element) -> None:
    basis, category = child_text(element, "BasicInclusion"), child_text(element, "CategoryPerson")
    included = child_text(element, "DateInclusion")
    if category:
        draft.programs.append(f"KG FIU: {category}")
    else:
        draft.programs.append("KG FIU national list")
    if basis:
        draft.remarks.append(f"Basis for inclusion: {basis}")
    draft.listed_on = iso_day(included) if included else None


def _person(ctx: ReadContext, element: etree._Element, line: int | None) -> EntityDraft:
    family, given = child_text(element, "Surname"), child_text(element, "Name")
    patronymic = child_text(element, "Patronomic")
    full = " ".join(p for p in (family, given, patronymic) if p)
    included = child_text(element, "DateInclusion")
    source_id = stable_id("KG", _PERSON, included, given, patronymic, family)
    draft = EntityDraft(ctx, source_id, Schema.PERSON, line)
    if full:
        try:
            draft.names.append(Name(full=full, given=given or None, family=family or None))
        except ValidationError as exc:
            draft.warn(f"name {full[:60]!r} dropped: {describe_validation_error(exc)}")
    for text in _DATES.split(child_text(element, "DataBirth")):
        if text.strip():
            draft.add_birth_date(text.strip(), parse_day_first_date)
    draft.add_birth_place(child_text(element, "PlaceBirth"))
    _common(draft, element)
    return draft


def _legal(ctx: ReadContext, element: etree._Element, line: int | None) -> EntityDraft:
    text = child_text(element, "Name")
    included = child_text(element, "DateInclusion")
    draft = EntityDraft(ctx, stable_id("KG", _LEGAL, included, text), Schema.ORGANIZATION, line)
    for position, name in enumerate(n.strip() for n in text.split(", ") if n.strip()):
        kind = NameKind.PRIMARY if position == 0 else NameKind.ALIAS
        draft.add_name(name, kind, NameQuality.STRONG, list_order=False)
    _common(draft, element)
    return draft


def read_kg_fiu(path: Path) -> ListFile:
    """Read the Kyrgyz FIU national list XML (see the module docstring)."""
    source = str(path)
    data = read_limited(path)
    ctx = ReadContext(source)
    entities: dict[str, Entity] = {}
    for element in iter_xml_elements(data, source, {_PERSON, _LEGAL}):
        line = element.sourceline if isinstance(element.sourceline, int) else None
        if etree.QName(element).localname == _PERSON:
            draft = _person(ctx, element, line)
        else:
            draft = _legal(ctx, element, line)
        entity = draft.build()
        if entity is None:
            continue
        if entity.source_id in entities:
            draft.warn("listed twice; the first record is kept")
            continue
        entities[entity.source_id] = entity
    if not entities:
        raise BadInputError(
            f"no {_PERSON} or {_LEGAL} record could be read",
            where=source,
            hint="is this the Kyrgyz FIU SanctionList XML?",
        )
    return ListFile(list(entities.values()), SOURCE_FORMAT, None, ctx.finish())
