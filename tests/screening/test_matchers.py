"""The matcher registry: matchers chosen by name, the name recorded on every result."""

from __future__ import annotations

import pytest

from interdict.errors import BadInputError
from interdict.model import Party
from interdict.screening import DEFAULT_MATCHER, MATCHER_VERSION, MATCHERS, Screener
from interdict.screening.matchers import matcher_named
from interdict.settings import load_settings
from tests.conftest import person


def test_default_is_registered_and_is_the_public_version() -> None:
    assert DEFAULT_MATCHER in MATCHERS and MATCHER_VERSION == DEFAULT_MATCHER
    assert matcher_named(None).name == DEFAULT_MATCHER == matcher_named("").name


def test_unknown_matcher_is_refused_with_the_choices() -> None:
    with pytest.raises(BadInputError) as caught:
        matcher_named("name_v0")
    assert "name_v1" in (caught.value.hint or "")


@pytest.mark.parametrize("name", sorted(MATCHERS))
def test_every_matcher_is_recorded_on_its_results(name: str) -> None:
    screener = Screener([person("P1", "Shokhrukh Rakhmonov")], matcher=name)
    result = screener.screen(Party(id="c", name="Шохрух Рахмонов"))
    assert result.matcher == name and result.to_dict()["matcher"] == name
    assert result.matches and result.matches[0].source_id == "P1"


def test_matcher_setting_comes_from_the_environment() -> None:
    assert load_settings({"INTERDICT_MATCHER": " name_v1 "}).matcher == "name_v1"
    assert load_settings({}).matcher == ""
