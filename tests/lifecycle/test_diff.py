"""Entity-level diffs: added, removed, changed fields, and which changes matter to matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from interdict.lifecycle.diff import diff_entities, diff_versions, entity_fingerprint
from interdict.model import Entity, Name, NameKind
from interdict.readers import read_list
from interdict.store import Workspace
from tests.conftest import person


def _with(entity: Entity, **changes: object) -> Entity:
    return entity.model_copy(update=changes)


def test_added_removed_and_changed_fields() -> None:
    old = [person("A", "Ali Hassan", born="1975"), person("B", "Farhod Yusupov")]
    alias = Name(full="Abu Ali", kind=NameKind.ALIAS)
    new = [
        _with(old[0], names=(*old[0].names, alias), remarks="seen in 2024"),
        person("C", "Jamshid Rahmonzoda"),
    ]
    diff = diff_entities("t", old, new, from_version=1, to_version=2)
    assert [e.source_id for e in diff.added] == ["C"]
    assert [e.source_id for e in diff.removed] == ["B"]
    (change,) = diff.changed
    assert {f.field for f in change.fields} == {"names", "remarks"}
    names = next(f for f in change.fields if f.field == "names")
    assert names.added == ("Abu Ali (alias)",) and names.removed == ()
    assert change.matters
    assert diff.to_dict()["summary"] == {"added": 1, "removed": 1, "changed": 1}


def test_remark_only_change_does_not_matter() -> None:
    old = person("A", "Ali Hassan", born="1975")
    diff = diff_entities("t", [old], [_with(old, remarks="new remark", programs=("X",))])
    (change,) = diff.changed
    assert not change.matters
    assert entity_fingerprint(old) == entity_fingerprint(diff.new_entities["A"])


@pytest.mark.parametrize(
    "changes",
    [
        {"gender": "female"},
        {"names": (Name(full="Ali Hasan"),)},
    ],
)
def test_match_relevant_changes_change_the_fingerprint(changes: dict[str, object]) -> None:
    old = person("A", "Ali Hassan", born="1975", country="IQ", passport="X1234567")
    assert entity_fingerprint(old) != entity_fingerprint(_with(old, **changes))


def test_corrected_birth_date_is_a_change_that_matters() -> None:
    old = person("A", "Ali Hassan", born="1975")
    new = person("A", "Ali Hassan", born="1976")
    (change,) = diff_entities("t", [old], [new]).changed
    assert change.matters
    assert change.fields[0].describe() == "birth_dates: +1976; -1975"


def test_real_un_update_adds_the_four_sudan_designations(tmp_path: Path, shared_data: Path) -> None:
    folder = shared_data / "lists" / "un"
    with Workspace(tmp_path / "ws") as ws:
        for name in ("un_consolidated_2026-01-28.xml", "un_consolidated_2026-02-27.xml"):
            ws.import_list(read_list(folder / name, "un"), name="un", source=folder / name)
        diff = diff_versions(ws, "un")
        assert (diff.from_version, diff.to_version) == (1, 2)
        assert [e.source_id for e in diff.added] == ["SDi.007", "SDi.008", "SDi.009", "SDi.010"]
        assert diff.removed == () and diff.changed == ()
        backwards = diff_versions(ws, "un", 2, 1)
        assert [e.source_id for e in backwards.removed] == [e.source_id for e in diff.added]
