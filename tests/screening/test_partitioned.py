"""The partition function of batch screening, without any engine: same results as the screener,
one output row per input row, and a screener that is rebuilt once per process."""

from __future__ import annotations

import csv
import datetime
import io
import json
import pickle
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.model import Entity, Party
from interdict.readers.parties import read_parties
from interdict.screening import Screener
from interdict.screening import partitioned as job
from interdict.screening.partitioned import (
    RESULT_SCHEMA,
    BatchOptions,
    SharedScreener,
    customer_table,
    parties_table,
    result_from_dict,
    screen_partition,
)


@pytest.fixture(scope="module")
def screener(small_list_module: list[Entity]) -> Screener:
    return Screener(small_list_module)


@pytest.fixture(scope="module")
def small_list_module() -> list[Entity]:
    from tests.conftest import person

    return [
        person("T1", "Abd al-Rahman Yusuf al-Tikriti", born="1971-03-02", country="IQ"),
        person("T2", "Шохрух Раҳмонов", "Shokhrukh Rakhmonov", born="1985", country="TJ"),
        person("T4", "Usama bin Ladin", "Osama bin Laden", born="1957"),
        person("T7", "عبد الخالق حسن", "Abdelkhalek Hassan"),
    ]


def _run(table: pa.Table, screener: Screener, threshold: float = 0.5) -> pa.Table:
    options = BatchOptions(threshold=threshold, limit=5)
    batches = screen_partition(
        iter(table.to_batches(max_chunksize=3)), SharedScreener(screener), options
    )
    return pa.Table.from_batches(list(batches), schema=RESULT_SCHEMA)


def test_shared_screener_travels_as_bytes_and_is_rebuilt_once(screener: Screener) -> None:
    payload = pickle.dumps(SharedScreener(screener))
    job._SCREENERS.clear()
    first, second = pickle.loads(payload), pickle.loads(payload)
    rebuilt = first.get()
    assert second.get() is rebuilt  # the second task in this worker reuses it
    assert rebuilt is not screener and list(job._SCREENERS) == [first.digest]
    party = Party(id="q", name="Osama bin Ladin")
    assert rebuilt.screen(party).to_dict() == screener.screen(party).to_dict()


def test_a_new_list_set_replaces_the_cached_screener(
    screener: Screener, small_list_module: list[Entity]
) -> None:
    other = Screener(small_list_module[:1])
    job._SCREENERS.clear()
    pickle.loads(pickle.dumps(SharedScreener(screener))).get()
    replaced = pickle.loads(pickle.dumps(SharedScreener(other)))
    replaced.get()
    assert list(job._SCREENERS) == [replaced.digest]


NAMES = st.one_of(
    st.sampled_from(["Osama bin Laden", "Раҳмонов Шоҳрух", "عبدالخالق حسن", "John Smith", ""]),
    st.text(
        # NUL makes the whole file unreadable (binary), which the reader tests cover.
        alphabet=st.characters(
            codec="utf-8",
            categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf"),
            exclude_characters="\x00",
        ),
        max_size=30,
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(NAMES, min_size=1, max_size=12),
    dates=st.lists(st.sampled_from(["", "1957", "bad"]), min_size=12, max_size=12),
)
def test_one_row_per_record_with_the_screeners_result(
    screener: Screener, tmp_path_factory: pytest.TempPathFactory, names: list[str], dates: list[str]
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "name", "birth_date"])
    for i, name in enumerate(names):
        writer.writerow([f"c{i}", name, dates[i]])
    path = tmp_path_factory.mktemp("p") / "customers.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    rows = list(read_parties(path))
    out = _run(customer_table(path), screener)
    assert out.num_rows == len(rows)
    assert out.column("record").to_pylist() == [row.line for row in rows]
    for row, line, error in zip(
        rows, out.column("result").to_pylist(), out.column("error").to_pylist(), strict=True
    ):
        if row.party is None:
            assert error == row.error
            assert json.loads(line) == {
                "id": row.raw_id or f"line {row.line}",
                "matches": [],
                "error": row.error,
            }
        else:
            assert error is None
            expected = screener.screen(row.party, threshold=0.5, limit=5).to_dict()
            assert line == json.dumps(expected, ensure_ascii=False)


def test_raw_rows_are_parsed_inside_the_partition(screener: Screener) -> None:
    table = pa.table(
        {
            "ID": pa.array([7, 8, None]),
            "Name": ["Osama bin Laden", None, "Jane Roe"],
            "birth_date": pa.array([datetime.date(1957, 3, 10), None, None], pa.date32()),
            "src_part": pa.array([0, 0, 1], pa.int32()),
            "src_file": ["a.parquet", "a.parquet", "b.parquet"],
            "src_record": pa.array([1, 2, 1], pa.int64()),
        }
    )
    out = _run(table, screener).to_pylist()
    assert [r["id"] for r in out] == ["7", "8", "b.parquet record 1"]
    assert out[0]["matched"] and out[0]["best_score"] >= 0.9
    assert json.loads(out[0]["result"])["matches"][0]["source_id"] == "T4"
    assert out[1]["error"] == "a.parquet record 2: no name" and not out[1]["matched"]
    assert out[2]["error"] == "b.parquet record 1: no id"


def test_customer_table_reads_the_delimiter_given_or_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id;name\n1;Shokhrukh Rakhmonov\n", encoding="utf-8")
    assert customer_table(path).column("id").to_pylist() == ["1"]
    with pytest.raises(BadInputError, match="read as comma-separated"):
        customer_table(path, delimiter=",")


def test_result_round_trip(screener: Screener) -> None:
    party = Party.model_validate({"id": "x", "name": "Shokhrukh Rakhmonov", "birth_date": "1985"})
    result = screener.screen(party)
    assert result.matches
    again = result_from_dict(json.loads(json.dumps(result.to_dict())))
    assert again.to_dict() == result.to_dict()
    assert (again.name, list(again.to_dict())[:2]) == ("Shokhrukh Rakhmonov", ["id", "name"])


def test_parties_table_keeps_every_field() -> None:
    party = Party.model_validate(
        {
            "id": "p1",
            "name": "Ali Hassan",
            "birth_date": "1975-05",
            "gender": "male",
            "schema": "Person",
            "id_number": "A1",
        }
    )
    table = parties_table([party])
    assert table.column("record").to_pylist() == [1]
    assert Party.model_validate_json(table.column("party")[0].as_py()) == party
