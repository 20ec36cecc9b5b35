"""The screening index saved in the workspace: loaded when nothing changed, rebuilt otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from interdict.errors import BadInputError, ListNotFoundError
from interdict.model import Party
from interdict.readers import read_list
from interdict.screening import Screener
from interdict.screening.matchers import DEFAULT_MATCHER, MATCHERS
from interdict.store import Workspace
from interdict.store.index_cache import INDEX_FOLDER, cached_screener, index_key

LIST = "id,name,birth_date\nT1,Shokhrukh Rakhmonov,1985\nT2,Aigul Zhaksybekova,1990\n"
QUERIES = ("Шохрух Рахмонов", "Aigul Zhaksybekova", "Rakhmonov Shokhrukh", "Nobody Atall")


def _import(ws: Workspace, tmp_path: Path, text: str, name: str = "t") -> None:
    path = tmp_path / f"{name}-{len(text)}.csv"
    path.write_text(text, encoding="utf-8")
    ws.import_list(read_list(path, "csv"), name=name, source=path)


def _answers(screener: Screener) -> list[dict[str, object]]:
    return [
        screener.screen(Party(id=str(i), name=q), threshold=0.3).to_dict()
        for i, q in enumerate(QUERIES)
    ]


def _saved(home: Path) -> list[Path]:
    return sorted((home / INDEX_FOLDER).glob("screener-*.pickle"))


def test_the_saved_index_answers_as_a_fresh_one(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _import(ws, tmp_path, LIST)
        built = cached_screener(ws)
        (saved,) = _saved(ws.home)
        loaded = cached_screener(ws)
        assert type(loaded.index.names).__name__ == "_SavedNames"  # read from the file
        assert type(built.index.names) is list
        fresh = Screener(ws.entities())
        assert _answers(loaded) == _answers(fresh) == _answers(built)
        assert _saved(ws.home) == [saved]


def test_a_new_list_version_rebuilds(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _import(ws, tmp_path, LIST)
        cached_screener(ws)
        _import(ws, tmp_path, LIST + "T3,Jamshid Rahmonzoda,1970\n")
        screener = cached_screener(ws)
        assert len(_saved(ws.home)) == 2
        assert screener.list_versions == {"t": 2}
        assert screener.screen(Party(id="q", name="Jamshid Rahmonzoda")).matches


def test_key_names_what_the_index_was_built_from(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _import(ws, tmp_path, LIST)
        key = index_key(ws.active_versions(), DEFAULT_MATCHER)
    assert set(key) == {"lists", "matcher", "package", "reference_data"}
    assert key["matcher"] == DEFAULT_MATCHER
    assert list(key["lists"]) == ["t"]  # type: ignore[call-overload]


def test_a_damaged_file_is_rebuilt(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _import(ws, tmp_path, LIST)
        cached_screener(ws)
        (saved,) = _saved(ws.home)
        saved.write_bytes(saved.read_bytes()[:1000])  # cut short
        screener = cached_screener(ws)
        assert _answers(screener) == _answers(Screener(ws.entities()))


def test_lists_selection_and_errors(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        with pytest.raises(BadInputError, match="no lists are loaded"):
            cached_screener(ws)
        _import(ws, tmp_path, LIST)
        _import(ws, tmp_path, "id,name\nU1,Farhod Yusupov\n", name="u")
        assert cached_screener(ws, ["u"]).list_versions == {"u": 1}
        with pytest.raises(ListNotFoundError):
            cached_screener(ws, ["nope"])


def test_each_matcher_has_its_own_saved_index(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        _import(ws, tmp_path, LIST)
        for name in MATCHERS:
            assert cached_screener(ws, matcher=name).matcher == name
        assert len(_saved(ws.home)) == len(MATCHERS)
        assert cached_screener(ws, matcher="name_v2").matcher == "name_v2"  # loaded, not rebuilt
        assert len(_saved(ws.home)) == len(MATCHERS)
