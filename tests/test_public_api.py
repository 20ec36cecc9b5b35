"""The public surface: what ``import interdict`` offers is deliberate, sorted and importable."""

from __future__ import annotations

import interdict


def test_all_is_unique_and_importable() -> None:
    names = interdict.__all__  # ruff's RUF022 keeps it sorted
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(interdict, name), name


def test_screen_from_the_top_level() -> None:
    from tests.conftest import person

    screener = interdict.Screener([person("P1", "Shokhrukh Rakhmonov")])
    result = screener.screen(interdict.Party(id="c", name="Шохрух Рахмонов", birth_date="1985"))
    assert result.matches[0].source_id == "P1"
