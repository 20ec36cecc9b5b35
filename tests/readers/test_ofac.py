"""OFAC reader: the legacy CSV set, the sdnList XML, hostile files, and the real 2021/2026 files."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.model import CountryRole, Entity, NameKind, NameQuality, PartialDate, Schema
from interdict.readers.base import ListFile
from interdict.readers.ofac import parse_ofac_date, read_ofac

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "ofac"
CSV_SET = FIXTURES / "csv_set"
XML = FIXTURES / "sdn_list.xml"
NEW_NS = b"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"


def by_id(result: ListFile) -> dict[str, Entity]:
    return {entity.source_id: entity for entity in result.entities}


def names(entity: Entity) -> dict[str, tuple[NameKind, NameQuality]]:
    return {name.full: (name.kind, name.quality) for name in entity.names}


def copy_set(target: Path, renames: dict[str, str] | None = None) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for item in CSV_SET.iterdir():
        name = (renames or {}).get(item.name, item.name)
        if name:
            shutil.copy(item, target / name)
    return target


# --- the CSV set -------------------------------------------------------------------------------


def test_csv_set_reads_every_named_record_and_warns_about_the_rest() -> None:
    result = read_ofac(CSV_SET)
    assert result.source_format == "ofac"
    assert result.published is None  # the legacy CSV carries no date
    assert sorted(by_id(result)) == ["1001", "1002", "1003", "1004", "1005", "1006"]
    text = "\n".join(result.warnings)
    assert "line 7 record 1007: no usable name" in text
    assert "record 1005: date of birth 'sometime in spring' not understood" in text
    assert "record 9999: aliases or addresses for an ent_num not in SDN.CSV" in text
    assert "'Atlantis'" in text


def test_individuals_get_natural_order_with_given_and_family_kept() -> None:
    person = by_id(read_ofac(CSV_SET))["1001"]
    primary = person.names[0]
    assert person.schema is Schema.PERSON
    assert (primary.full, primary.given, primary.family) == (
        "Rustam Akhmedovich KARIMOV",
        "Rustam Akhmedovich",
        "KARIMOV",
    )
    assert primary.kind is NameKind.PRIMARY


def test_alt_types_and_weak_akas_from_the_remarks() -> None:
    entities = by_id(read_ofac(CSV_SET))
    assert names(entities["1001"]) == {
        "Rustam Akhmedovich KARIMOV": (NameKind.PRIMARY, NameQuality.STRONG),
        "Rustam KARIMOV": (NameKind.ALIAS, NameQuality.STRONG),  # ALT aka
        "Rustam QARIMOV": (NameKind.FORMER, NameQuality.STRONG),  # ALT fka
        "ABU RUSTAM": (NameKind.ALIAS, NameQuality.WEAK),  # a.k.a. 'ABU RUSTAM' in the remarks
    }
    assert names(entities["1002"]) == {
        "TEST ORGANISATION": (NameKind.PRIMARY, NameQuality.STRONG),
        "NEW TEST ORG": (NameKind.ALIAS, NameQuality.STRONG),  # ALT nka
        "OLD TEST ORG": (NameKind.FORMER, NameQuality.WEAK),  # f.k.a. 'OLD TEST ORG'
    }
    # an ALT name equal to the primary name is not repeated
    assert [n.full for n in entities["1003"].names] == ["SEA STAR"]


def test_remarks_give_dates_places_countries_gender_and_documents() -> None:
    person = by_id(read_ofac(CSV_SET))["1001"]
    assert person.birth_dates == (PartialDate(year=1970, month=1, day=1), PartialDate(year=1971))
    assert person.birth_places == ("Dushanbe, Tajikistan",)
    assert {(c.code, c.role) for c in person.countries} == {
        ("TJ", CountryRole.BIRTH),
        ("TJ", CountryRole.NATIONALITY),
        ("RU", CountryRole.CITIZENSHIP),
        ("TJ", CountryRole.ADDRESS),
    }
    assert person.gender == "male"
    documents = {(i.kind, i.value, i.country) for i in person.identifiers}
    assert documents == {("passport", "A1234567", "TJ"), ("national_id", "123456789", "TJ")}
    assert person.programs == ("SDGT", "IRGC")
    assert person.addresses[0].full == "12 Rudaki Ave, Dushanbe, Tajikistan"
    assert "Linked To: TEST ORGANISATION" in (person.remarks or "")


def test_organisation_identifiers_and_registration_country() -> None:
    org = by_id(read_ofac(CSV_SET))["1002"]
    assert org.schema is Schema.ORGANIZATION  # SDN_Type "-0-"
    assert {(i.kind, i.value, i.note) for i in org.identifiers} == {
        ("bic", "TESTKZKA", None),
        ("crypto_wallet", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "XBT"),
    }
    assert [(c.code, c.role) for c in org.countries] == [("KZ", CountryRole.INCORPORATION)]
    assert org.addresses == ()  # an ADD.CSV row of nulls is no address


def test_vessel_flag_imo_call_sign_and_type() -> None:
    vessel = by_id(read_ofac(CSV_SET))["1003"]
    assert vessel.schema is Schema.VESSEL
    assert ("PA", CountryRole.FLAG) in [(c.code, c.role) for c in vessel.countries]
    kinds = {i.kind: i.value for i in vessel.identifiers}
    assert kinds == {"imo": "9123456", "call_sign": "9HA1234", "mmsi": "123456789"}
    assert "Vessel type: Crude Oil Tanker" in (vessel.remarks or "")
    aircraft = by_id(read_ofac(CSV_SET))["1004"]
    assert aircraft.schema is Schema.AIRCRAFT
    assert [(i.kind, i.value) for i in aircraft.identifiers] == [("aircraft_msn", "12345")]


def test_title_and_date_shapes_on_one_record() -> None:
    person = by_id(read_ofac(CSV_SET))["1005"]
    assert person.birth_dates == (
        PartialDate(year=1965, approximate=True),
        PartialDate(year=1960, until_year=1962),
        PartialDate(year=1938, month=9),
    )
    assert (person.remarks or "").startswith("Title: Commander of TEST BRIGADE")


def test_sdn_comments_continue_the_cut_remarks(tmp_path: Path) -> None:
    joined = by_id(read_ofac(CSV_SET))["1006"]
    assert names(joined)["LONG TAIL ALIAS"] == (NameKind.ALIAS, NameQuality.WEAK)
    assert joined.gender == "female"
    assert sum(i.kind == "crypto_wallet" for i in joined.identifiers) == 30
    cut = by_id(read_ofac(copy_set(tmp_path / "cut", {"SDN_COMMENTS.CSV": ""})))["1006"]
    assert "LONG TAIL ALIAS" not in names(cut)
    assert cut.gender is None


def test_dated_lower_case_file_names_are_recognised(tmp_path: Path) -> None:
    renames = {
        "SDN.CSV": "sdn_2021-07.csv",
        "ALT.CSV": "alt_2021-07.csv",
        "ADD.CSV": "add_2021-07.csv",
        "SDN_COMMENTS.CSV": "sdn_comments_2021-07.csv",
    }
    folder = copy_set(tmp_path / "dated", renames)
    (folder / "README.txt").write_text("not part of the set")
    assert read_ofac(folder).entities == read_ofac(CSV_SET).entities


def test_a_single_sdn_csv_reads_without_its_companions() -> None:
    entities = by_id(read_ofac(CSV_SET / "SDN.CSV"))
    assert len(entities) == 6
    assert "Rustam KARIMOV" not in names(entities["1001"])  # that alias lives in ALT.CSV
    assert "ABU RUSTAM" in names(entities["1001"])


def test_two_sdn_files_in_one_folder_are_refused(tmp_path: Path) -> None:
    folder = copy_set(tmp_path / "two")
    shutil.copy(CSV_SET / "SDN.CSV", folder / "sdn_2020.csv")
    with pytest.raises(BadInputError, match="two SDN files"):
        read_ofac(folder)


def test_a_folder_without_sdn_csv_is_refused(tmp_path: Path) -> None:
    folder = copy_set(tmp_path / "none", {"SDN.CSV": ""})
    with pytest.raises(BadInputError, match=r"no SDN\.CSV") as caught:
        read_ofac(folder)
    assert caught.value.hint and "XML" in caught.value.hint


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01 Jan 1970", PartialDate(year=1970, month=1, day=1)),
        ("1971", PartialDate(year=1971)),
        ("Sep 1938", PartialDate(year=1938, month=9)),
        ("circa 1965", PartialDate(year=1965, approximate=True)),
        ("circa 07 Jul 1966", PartialDate(year=1966, month=7, day=7, approximate=True)),
        ("1951 to 1953", PartialDate(year=1951, until_year=1953)),
        ("01 Jan 1961 to 31 Dec 1962", PartialDate(year=1961, until_year=1962)),
        ("Mar 1962 to Feb 1963", PartialDate(year=1962, until_year=1963)),
        ("circa 1979-1982", PartialDate(year=1979, until_year=1982, approximate=True)),
        ("1970-05-31", PartialDate(year=1970, month=5, day=31)),
    ],
)
def test_ofac_date_shapes(text: str, expected: PartialDate) -> None:
    assert parse_ofac_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "sometime", "32 Jan 1970", "Foo 1970", "31 1970", "1970 to 1960", "٣١ Jan 1970"]
)
def test_bad_ofac_dates_raise_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_ofac_date(text)


# --- the sdnList XML ---------------------------------------------------------------------------


def test_xml_entries_names_and_facts() -> None:
    result = read_ofac(XML)
    assert result.published == "2026-01-08"
    entities = by_id(result)
    assert sorted(entities) == ["2001", "2002", "2003"]
    person = entities["2001"]
    assert names(person) == {
        "Rustam Akhmedovich KARIMOV": (NameKind.PRIMARY, NameQuality.STRONG),
        "Rustam KARIMOV": (NameKind.ALIAS, NameQuality.STRONG),
        "ABU RUSTAM": (NameKind.ALIAS, NameQuality.WEAK),
        "Rustam QARIMOV": (NameKind.FORMER, NameQuality.STRONG),
    }
    assert person.names[0].given == "Rustam Akhmedovich"
    assert person.gender == "male"
    assert person.birth_dates == (
        PartialDate(year=1970, month=1, day=1),
        PartialDate(year=1965, approximate=True),
    )
    assert {(c.code, c.role) for c in person.countries} == {
        ("TJ", CountryRole.BIRTH),
        ("TJ", CountryRole.NATIONALITY),
        ("RU", CountryRole.CITIZENSHIP),
        ("TJ", CountryRole.ADDRESS),
    }
    assert {(i.kind, i.value, i.country, i.note) for i in person.identifiers} == {
        ("passport", "A1234567", "TJ", None),
        ("crypto_wallet", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", None, "XBT"),
    }
    org, vessel = entities["2002"], entities["2003"]
    assert [(i.kind, i.value) for i in org.identifiers] == [("bic", "TESTKZKA")]
    assert [(c.code, c.role) for c in org.countries] == [("KZ", CountryRole.INCORPORATION)]
    assert {i.kind: i.value for i in vessel.identifiers} == {
        "imo": "9123456",
        "call_sign": "9HA1234",
    }
    assert [(c.code, c.role) for c in vessel.countries] == [("PA", CountryRole.FLAG)]
    text = "\n".join(result.warnings)
    assert "record 2004: no usable name" in text
    assert "record 2001: date of birth 'not known'" in text


@pytest.mark.parametrize(
    "replacement", [b"http://tempuri.org/sdnList.xsd", b"urn:anything-else"], ids=["old", "other"]
)
def test_xml_namespace_does_not_matter(tmp_path: Path, replacement: bytes) -> None:
    path = tmp_path / "sdn.xml"
    path.write_bytes(XML.read_bytes().replace(NEW_NS, replacement))
    assert read_ofac(path).entities == read_ofac(XML).entities


def test_xml_in_utf16(tmp_path: Path) -> None:
    declared = 'version="1.0" encoding="UTF-16"'
    text = XML.read_text(encoding="utf-8").replace('version="1.0"', declared)
    path = tmp_path / "sdn.xml"
    path.write_bytes(text.encode("utf-16"))
    assert read_ofac(path).entities == read_ofac(XML).entities


def test_xml_without_namespace(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_bytes(XML.read_bytes().replace(b' xmlns="' + NEW_NS + b'"', b""))
    assert read_ofac(path).entities == read_ofac(XML).entities


# --- hostile input -----------------------------------------------------------------------------


def write(tmp_path: Path, data: bytes, name: str = "SDN.CSV") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


SDN_BYTES = (CSV_SET / "SDN.CSV").read_bytes()


def test_truncated_inside_a_quoted_field(tmp_path: Path) -> None:
    cut = SDN_BYTES[: SDN_BYTES.index(b"Gender Male")]  # inside the quoted remarks of row 1
    with pytest.raises(BadInputError, match="malformed CSV"):
        read_ofac(write(tmp_path, cut))


def test_truncated_between_fields_names_the_line(tmp_path: Path) -> None:
    lines = SDN_BYTES.split(b"\r\n")
    cut = b"\r\n".join([*lines[:2], b'1003,"SEA STAR","vessel"'])
    with pytest.raises(BadInputError, match=r"line 3: 3 fields where SDN rows have 12") as caught:
        read_ofac(write(tmp_path, cut))
    assert caught.value.hint and "download it again" in caught.value.hint


def test_truncated_xml(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="malformed or truncated XML"):
        read_ofac(write(tmp_path, XML.read_bytes()[:1500], "sdn.xml"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b'abc,"NAME",-0-\r\n', "3 fields"),
        (b'12a,"NAME",-0- ,"P",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "not a number"),
        (b'1,"NA\x01ME",-0- ,"P",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "control character"),
        (b'1,"NAME"x,-0- ,"P",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "malformed CSV"),
        (b'1,"",-0- ,"P",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "no entities"),
        (b"\x00\x01\x02\x03binary", "control character"),
    ],
    ids=["empty", "columns", "ent_num", "control", "quoting", "no-names", "binary"],
)
def test_broken_sdn_csv(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        read_ofac(write(tmp_path, data))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><sdnList/>', "DOCTYPE"),
        (b'<?xml version="1.0"?><Sanctions><x/></Sanctions>', "not an OFAC sdnList"),
        (b"<sdnList><publshInformation/></sdnList>", "no entities"),
        (b"<sdnList><sdnEntry><lastName>X</lastName></sdnEntry></sdnList>", "without uid"),
    ],
    ids=["doctype", "advanced", "empty", "no-uid"],
)
def test_broken_xml(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        read_ofac(write(tmp_path, data, "sdn.xml"))


@pytest.mark.parametrize(
    ("encode", "name"),
    [
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "ÉLODIE"),
        (lambda t: t.encode("utf-16"), "ÉLODIE"),
        (lambda t: t.encode("latin-1"), "ÉLODIE"),
        (lambda t: t.encode("utf-8"), "АБДУЛЛАЕВ"),
    ],
    ids=["utf8-bom", "utf16", "latin1", "utf8-cyrillic"],
)
def test_encodings(tmp_path: Path, encode: Callable[[str], bytes], name: str) -> None:
    text = f'7,"{name}, Test",individual,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    result = read_ofac(write(tmp_path, encode(text)))
    assert result.entities[0].names[0].full == f"Test {name}"


def test_absurdly_long_name_is_dropped_with_a_warning(tmp_path: Path) -> None:
    rows = (
        b'1,"' + b"A" * 600 + b'",-0- ,"P",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'2,"SHORT",-0- ,"P",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    )
    result = read_ofac(write(tmp_path, rows))
    assert [e.source_id for e in result.entities] == ["2"]
    assert any("record 1: name 'AAAA" in w for w in result.warnings)


def test_missing_file() -> None:
    with pytest.raises(BadInputError, match="file not found"):
        read_ofac(FIXTURES / "no-such-file.csv")


_SEEDS = [SDN_BYTES, XML.read_bytes()]


@settings(max_examples=150, deadline=None)
@given(
    seed=st.sampled_from(_SEEDS),
    cut=st.integers(min_value=0, max_value=4000),
    junk=st.binary(max_size=40),
    raw=st.binary(max_size=300),
    use_raw=st.booleans(),
)
def test_any_bytes_give_a_list_or_bad_input(
    tmp_path_factory: pytest.TempPathFactory,
    seed: bytes,
    cut: int,
    junk: bytes,
    raw: bytes,
    use_raw: bool,
) -> None:
    data = raw if use_raw else seed[:cut] + junk + seed[cut:]
    path = tmp_path_factory.mktemp("ofac") / "input"
    path.write_bytes(data)
    try:
        result = read_ofac(path)
    except BadInputError as exc:
        assert exc.where  # always says which file
        return
    assert result.entities
    assert all(isinstance(e, Entity) for e in result.entities)


# --- the real files ----------------------------------------------------------------------------


@pytest.mark.shared_data
def test_real_sdn_csv_set_2021(shared_data: Path) -> None:
    result = read_ofac(shared_data / "lists" / "ofac")
    assert len(result.entities) == 8976
    assert Counter(e.schema for e in result.entities) == {
        Schema.PERSON: 4620,
        Schema.ORGANIZATION: 3673,
        Schema.VESSEL: 406,
        Schema.AIRCRAFT: 277,
    }
    kinds = Counter((n.kind, n.quality) for e in result.entities for n in e.names)
    # ALT.CSV: 11,523 aka + 18 nka + 369 fka; six ALT names repeat another name of their entity
    assert kinds[NameKind.ALIAS, NameQuality.STRONG] == 11523 + 18 - 6
    assert kinds[NameKind.FORMER, NameQuality.STRONG] == 369
    assert kinds[NameKind.PRIMARY, NameQuality.STRONG] == 8976
    assert kinds[NameKind.ALIAS, NameQuality.WEAK] > 2000  # a.k.a. 'X' in the remarks
    # ADD.CSV: 13,837 rows, 2,397 of them all "-0-"
    assert sum(len(e.addresses) for e in result.entities) == 13837 - 2397
    assert sum("SDGT" in e.programs for e in result.entities) == 1709
    # SDN_COMMENTS.CSV continues 28264's remarks: its last weak aliases are only there
    lazarus = next(e for e in result.entities if e.source_id == "28264")
    assert names(lazarus)["khaleesi"] == (NameKind.ALIAS, NameQuality.WEAK)
    assert all(w.count("record") <= 1 for w in result.warnings)
    assert len(result.warnings) <= 5


@pytest.mark.shared_data
def test_real_consolidated_non_sdn_xml_2026(shared_data: Path) -> None:
    result = read_ofac(shared_data / "lists" / "ofac" / "ofac_consolidated_nonsdn_2026-01-08.xml")
    assert result.published == "2026-01-08"
    assert len(result.entities) == 442
    assert Counter(e.schema for e in result.entities) == {
        Schema.PERSON: 79,
        Schema.ORGANIZATION: 363,
    }
    akas = [n for e in result.entities for n in e.names if n.kind is not NameKind.PRIMARY]
    assert len(akas) == 1144 - 1  # one aka of 18282 repeats its primary name
    assert sum(n.quality is NameQuality.WEAK for n in akas) == 72
    assert result.warnings == []
