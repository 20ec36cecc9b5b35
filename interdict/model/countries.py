"""Country names, codes and demonyms as lists write them, resolved to ISO 3166 alpha-2.

ISO data comes from ``pycountry``; the spellings lists actually use ("Russian Federation",
"Iran (Islamic Republic of)", "Syrian", "Kyrgyz Republic") come from ``data/country_aliases.csv``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from importlib import resources

import pycountry

__all__ = ["country_code"]

_PUNCT = re.compile(r"[^a-z0-9 ]+")


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = _PUNCT.sub(" ", folded.replace("&", " and "))
    words = [w for w in folded.split() if w not in {"the", "of"}]
    return " ".join(words)


@cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                table[_key(value)] = code
        table[_key(country.alpha_3)] = code
        table[_key(code)] = code
    for historic in pycountry.historic_countries:
        # Former states (USSR, Yugoslavia…) map to their alpha-2-like code only when unique.
        name = getattr(historic, "name", None)
        if name and _key(name) not in table:
            table[_key(name)] = historic.alpha_4[:2]
    source = resources.files("interdict.model").joinpath("data/country_aliases.csv")
    with source.open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            table[_key(row["alias"])] = row["code"].upper()
    return table


def country_code(text: str | None) -> str | None:
    """ISO alpha-2 code for a country name, code or demonym; ``None`` when unknown."""
    if not text:
        return None
    key = _key(text)
    if not key:
        return None
    table = _table()
    if key in table:
        return table[key]
    # "Iran (Islamic Republic of)" -> try without the bracketed part.
    bare = _key(re.sub(r"\(.*?\)", " ", text))
    return table.get(bare)
