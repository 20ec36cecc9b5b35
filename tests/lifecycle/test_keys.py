"""Delta keys: stored rarity weights equal the index's; typo expansion reaches what it does."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from interdict.lifecycle.customers import customer_name_keys
from interdict.lifecycle.keys import EvidenceBound, expand_typo_keys, key_weights
from interdict.model import Entity
from interdict.names.tokens import analyse_name
from interdict.readers.base import ListFile
from interdict.screening.index import ScreeningIndex
from interdict.screening.screener import evidence_share
from interdict.store import Workspace
from tests.conftest import person


def test_weights_from_stored_counts_equal_the_full_index(
    tmp_path: Path, small_list: list[Entity]
) -> None:
    other = [person("O1", "Ali Hassan Karimov", list_name="o"), person("O2", "Aigul Zhaksybek")]
    with Workspace(tmp_path / "ws") as ws:
        source = tmp_path / "f"
        source.write_text("x")
        ws.import_list(ListFile(small_list, "csv"), name="t", source=source)
        ws.import_list(ListFile(other, "csv"), name="o", source=source)
        weight = key_weights(ws, {"t": 1, "o": 1})
        full = ScreeningIndex(list(ws.entities()))
    for text in ("Ali Hassan", "Шохрух Раҳмонов", "Nurlan uulu Bakyt", "Zzyzx Qwerty"):
        for token in analyse_name(text).tokens:
            assert weight(token) == full.token_weight(token)


_LETTERS = st.text(alphabet="abdefgiklmnorstuz", min_size=3, max_size=9)


@settings(max_examples=150, deadline=None)
@given(listed=st.lists(_LETTERS, min_size=1, max_size=3), edit=st.integers(0, 30), seed=_LETTERS)
def test_customers_the_index_would_propose_meet_the_expanded_keys(
    listed: list[str], edit: int, seed: str
) -> None:
    """Whenever ScreeningIndex.candidates proposes a listed name for a customer name, the
    customer's stored keys meet the listed name's expanded keys (so the join finds them)."""
    name = " ".join(w.capitalize() for w in listed)
    index = ScreeningIndex([person("X", name)])
    # A customer name near the listed one: one word edited at one place with a letter of seed.
    words = list(listed)
    word = words[edit % len(words)]
    position = edit % (len(word) + 1)
    words[edit % len(words)] = word[:position] + seed[0] + word[position + 1 :]
    customer = " ".join(words)
    proposed = index.candidates(analyse_name(customer), 10)
    if proposed:
        assert set(customer_name_keys(customer)) & expand_typo_keys(index.postings)


_OTHERS = [
    person("O1", "Ali Hassan Karimov"),
    person("O2", "Muhammad Ali"),
    person("O3", "Hassan Ahmed Dagalo"),
    person("O4", "Idris Musa"),
]


@settings(max_examples=150, deadline=None, print_blob=True)
@given(
    listed=st.lists(_LETTERS, min_size=1, max_size=3),
    customer=st.lists(st.one_of(_LETTERS, st.sampled_from(["ali", "hassan", "musa"])), min_size=1),
    edit=st.integers(0, 30),
    seed=_LETTERS,
)
def test_the_evidence_bound_keeps_every_customer_the_filter_lets_through(
    listed: list[str], customer: list[str], edit: int, seed: str
) -> None:
    """A customer EvidenceBound drops would not have passed ScreeningIndex.reached."""
    changed = person("X", " ".join(listed))
    full = ScreeningIndex([*_OTHERS, changed])
    counts = {key: len(ids) for key, ids in full.postings.items()}
    index = ScreeningIndex.from_key_counts([changed], counts, len(full.names))
    bound = EvidenceBound(index)
    # The customer shares some words with the listed name, one of them with a typo.
    words = [*customer[:2], *listed[: 1 + edit % len(listed)]]
    word = words[edit % len(words)]
    position = edit % (len(word) + 1)
    words[edit % len(words)] = word[:position] + seed[0] + word[position + 1 :]
    name = " ".join(words)
    analysis = analyse_name(name)
    share = evidence_share(analysis.script)
    passed, _ = index.reached(analysis, min_share=share)
    # The small index weighed from all lists' counts lets the name through as the full one does.
    in_full = full.reached(analysis, min_share=share)[0]
    assert (len(full.names) - 1 in in_full) == (0 in passed)
    for n in passed:
        assert bound.may_pass(customer_name_keys(name), [int(n)], share)
