"""Hostile and broken input for the list readers: every failure is a BadInputError naming the
file (and line where there is one), never an lxml, pydantic, JSON or decoding error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interdict.errors import BadInputError
from interdict.readers.base import ListFile
from interdict.readers.eu import EU_NAMESPACE, read_eu
from interdict.readers.ftm import read_ftm
from interdict.readers.un import read_un

Reader = Callable[[Path], ListFile]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
UN_SAMPLE = FIXTURES / "un" / "un_sample.xml"
EU_SAMPLE = FIXTURES / "eu" / "eu_fsf_sample.xml"
FTM_SAMPLE = FIXTURES / "ftm" / "ftm_sample.ftm.json"


def un_doc(names: list[str], prolog: str = "") -> str:
    """A UN list with one INDIVIDUAL per name (each ``name`` is raw XML text)."""
    records = "".join(
        f"<INDIVIDUAL><FIRST_NAME>{name}</FIRST_NAME>"
        f"<REFERENCE_NUMBER>R{index}</REFERENCE_NUMBER></INDIVIDUAL>"
        for index, name in enumerate(names, start=1)
    )
    return f"{prolog}<CONSOLIDATED_LIST><INDIVIDUALS>{records}</INDIVIDUALS></CONSOLIDATED_LIST>"


def eu_doc(names: list[str], prolog: str = "") -> str:
    """An EU export with one person per name (each ``name`` is raw attribute text)."""
    entries = "".join(
        f'<sanctionEntity logicalId="R{index}"><subjectType code="person"/>'
        f'<nameAlias wholeName="{name}" strong="true"/></sanctionEntity>'
        for index, name in enumerate(names, start=1)
    )
    return f'{prolog}<export xmlns="{EU_NAMESPACE}">{entries}</export>'


XML_READERS = [
    pytest.param(read_un, un_doc, UN_SAMPLE, id="un"),
    pytest.param(read_eu, eu_doc, EU_SAMPLE, id="eu"),
]
ALL_READERS = [
    pytest.param(read_un, id="un"),
    pytest.param(read_eu, id="eu"),
    pytest.param(read_ftm, id="ftm"),
]
XXE = '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(2, 10))
    + '<!ENTITY lol1 "&lol;&lol;&lol;">]>\n'
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def refused(reader: Reader, path: Path, pattern: str = "") -> str:
    """The message of the BadInputError ``reader`` raises on ``path``; it names the file."""
    with pytest.raises(BadInputError) as caught:
        reader(path)
    message = str(caught.value)
    assert str(path) in message
    assert pattern.casefold() in message.casefold()
    return message


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_truncated_file(
    tmp_path: Path, reader: Reader, doc: object, sample: Path, fraction: float
) -> None:
    data = sample.read_bytes()
    path = write(tmp_path, "cut.xml", data[: int(len(data) * fraction)])
    message = refused(reader, path, "truncated")
    assert " line " in message


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
def test_malformed_xml_names_the_line(
    tmp_path: Path, reader: Reader, doc: Callable[..., str], sample: Path
) -> None:
    body = doc(["Ali Test"]).replace("><", ">\n<")
    broken = body.replace("</", "<", 1)
    assert refused(reader, write(tmp_path, "bad.xml", broken), "malformed")


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
def test_external_entity_is_refused_without_reading_it(
    tmp_path: Path, reader: Reader, doc: Callable[..., str], sample: Path
) -> None:
    path = write(tmp_path, "xxe.xml", doc(["&xxe;"], prolog=XXE))
    message = refused(reader, path, "DOCTYPE")
    assert "root:" not in message


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
def test_entity_expansion_bomb_is_refused(
    tmp_path: Path, reader: Reader, doc: Callable[..., str], sample: Path
) -> None:
    refused(reader, write(tmp_path, "bomb.xml", doc(["&lol9;"], prolog=LAUGHS)), "entities")


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
def test_wrong_root_element(
    tmp_path: Path, reader: Reader, doc: Callable[..., str], sample: Path
) -> None:
    refused(reader, write(tmp_path, "page.xml", "<html><body>Not a list</body></html>"), "root")


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
def test_list_with_no_entity(
    tmp_path: Path, reader: Reader, doc: Callable[..., str], sample: Path
) -> None:
    refused(reader, write(tmp_path, "none.xml", doc([])), "no usable")


@pytest.mark.parametrize("reader", ALL_READERS)
def test_empty_and_missing_files(tmp_path: Path, reader: Reader) -> None:
    refused(reader, write(tmp_path, "empty.xml", b""), "empty")
    refused(reader, write(tmp_path, "blank.xml", b"  \n\t\n"))
    refused(reader, tmp_path / "absent.xml", "not found")


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
def test_non_utf8_bytes(
    tmp_path: Path, reader: Reader, doc: Callable[..., str], sample: Path
) -> None:
    data = doc(["Jos\x00 Test"]).encode("utf-8").replace(b"\x00", b"\xe9")
    assert " line 1" in refused(reader, write(tmp_path, "latin.xml", data))


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
def test_unknown_declared_encoding(
    tmp_path: Path, reader: Reader, doc: Callable[..., str], sample: Path
) -> None:
    prolog = '<?xml version="1.0" encoding="x-klingon"?>'
    refused(reader, write(tmp_path, "klingon.xml", doc(["Ali Test"], prolog=prolog)))


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
def test_utf8_bom_is_accepted(
    tmp_path: Path, reader: Reader, doc: Callable[..., str], sample: Path
) -> None:
    with_bom = reader(write(tmp_path, "bom.xml", b"\xef\xbb\xbf" + sample.read_bytes()))
    assert with_bom.entities == reader(sample).entities


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
def test_overlong_name_is_skipped_with_a_warning(
    tmp_path: Path, reader: Reader, doc: Callable[..., str], sample: Path
) -> None:
    # Our choice: a name over 500 characters is dropped (warning naming the record); a record left
    # without a name is skipped; a file left without any record is refused.
    result = reader(write(tmp_path, "long.xml", doc(["A" * 600, "Ali Test"])))
    assert [e.names[0].full for e in result.entities] == ["Ali Test"]
    assert any("record R1:" in w and "600 characters" in w for w in result.warnings)
    refused(reader, write(tmp_path, "only_long.xml", doc(["B" * 600])), "no usable")


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
@pytest.mark.parametrize("control", ["&#1;", "\x01", "\x1b"])
def test_c0_control_characters_are_malformed_xml(
    tmp_path: Path, reader: Reader, doc: Callable[..., str], sample: Path, control: str
) -> None:
    refused(reader, write(tmp_path, "ctrl.xml", doc([f"Ali{control}Test"])))


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
def test_c1_control_characters_drop_the_name(
    tmp_path: Path, reader: Reader, doc: Callable[..., str], sample: Path
) -> None:
    # XML 1.0 allows U+0080–U+009F; no list name needs them.
    result = reader(write(tmp_path, "c1.xml", doc(["Ali\u009bTest", "Omar Test"])))
    assert [e.names[0].full for e in result.entities] == ["Omar Test"]
    assert any("record R1:" in w and "control characters" in w for w in result.warnings)


@pytest.mark.parametrize(("reader", "doc", "sample"), XML_READERS)
def test_deep_nesting_is_refused(
    tmp_path: Path, reader: Reader, doc: Callable[..., str], sample: Path
) -> None:
    deep = doc(["<b>" * 5000 + "x" + "</b>" * 5000])
    refused(reader, write(tmp_path, "deep.xml", deep))


# --- any bytes at all --------------------------------------------------------------------------

FRAGMENTS = [
    "<",
    ">",
    "</",
    "/>",
    "&amp;",
    "&x;",
    "<!DOCTYPE x>",
    "<![CDATA[",
    "]]>",
    '"',
    "=",
    " ",
    "\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "CONSOLIDATED_LIST",
    "INDIVIDUAL",
    "ENTITY",
    "FIRST_NAME",
    "REFERENCE_NUMBER",
    "INDIVIDUAL_DATE_OF_BIRTH",
    "YEAR",
    "1970",
    "export",
    f'xmlns="{EU_NAMESPACE}"',
    "sanctionEntity",
    'logicalId="1"',
    'subjectType code="person"',
    "nameAlias",
    'wholeName="Ali"',
    'birthdate year="0"',
    '"id": "a"',
    '"schema": "Person"',
    '"properties": {"name": ["Ali"]}',
    "Ali",
    "\u0645",
    "\ufeff",
]
noise = st.one_of(
    st.binary(min_size=1, max_size=400),
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60).map(
        lambda parts: "".join(parts).encode("utf-8")
    ),
)


@settings(
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=noise)
def test_any_bytes_give_a_result_or_bad_input(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "noise.bin"
    path.write_bytes(data)
    for reader in (read_un, read_eu, read_ftm):
        try:
            result = reader(path)
        except BadInputError as exc:
            assert str(path) in str(exc)
        else:
            assert result.entities
