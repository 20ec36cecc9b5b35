"""SWIFT MT customer transfers: MT103 (and MT101 requests), one file or an RJE batch.

A message is a run of blocks ``{1:…}{2:…}{3:{tag:value}…}{4:\\n:20:…\\n-}{5:…}``; RJE files
separate messages with ``$`` and may carry network acknowledgements (``{1:F21…}``, dropped).
From block 4 we read every party field — ordering customer 50a, ordering institution 52a,
correspondents 53a/54a/55a, intermediary 56a, account-with institution 57a, beneficiary 59a —
with account, BIC, name and address (structured options 50F/59F line by line: name, address,
country and town, date and place of birth, customer and national identity numbers). Sender and
receiver come from the headers. Block 3 field 433 is the network's own screening result.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field

from interdict.errors import BadInputError, where
from interdict.model import PartialDate, Schema
from interdict.model.countries import country_code
from interdict.readers.base import decode_text
from interdict.readers.payments.message import (
    BIC_PATTERN,
    NetworkScreening,
    PaymentMessage,
    PaymentParty,
    Transfer,
    make_party,
)

__all__ = ["MT_TYPES", "read_mt"]

MT_TYPES = ("101", "103")
"""Message types we screen: customer credit transfers and requests for transfer."""

FIELD_ROLES = {
    "50": ("ordering_customer", "party"),
    "52": ("ordering_institution", "agent"),
    "53": ("senders_correspondent", "agent"),
    "54": ("receivers_correspondent", "agent"),
    "55": ("third_reimbursement_institution", "agent"),
    "56": ("intermediary_institution", "agent"),
    "57": ("account_with_institution", "agent"),
    "59": ("beneficiary_customer", "party"),
}
MAX_MESSAGES = 10_000

_BLOCK_START = re.compile(r"\{([1-5]|S):")
_FIELD = re.compile(r":(\d{2}[A-Z]?):(.*)")
_IDENTIFIER_CODE = re.compile(r"[A-Z]{4}/")
_NUMBERED = re.compile(r"([1-8])/(.*)")
_SCREENING = re.compile(r"/([A-Z]{3})/?(.*)")


@dataclass
class _Block:
    id: str
    text: str
    tags: dict[str, str]
    line: int


@dataclass
class _Raw:
    blocks: dict[str, _Block] = field(default_factory=dict)
    line: int = 1


class _Text:
    """The decoded input with line lookup."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]

    def line(self, position: int) -> int:
        return bisect.bisect_left(self.newlines, position) + 1

    def error(self, what: str, position: int, hint: str | None = None) -> BadInputError:
        return BadInputError(what, where=where(self.source, line=self.line(position)), hint=hint)


def read_mt(data: bytes, source: str) -> list[PaymentMessage]:
    """Every MT103/MT101 in ``data`` (one message, or an RJE batch separated by ``$``)."""
    text = _Text(decode_text(data, source).replace("\r\n", "\n"), source)
    warnings: list[str] = []
    raws = _split(text, warnings)
    messages: list[PaymentMessage] = []
    for raw in raws:
        header = raw.blocks.get("1")
        if header is not None and header.text[1:3] == "21":
            service = raw.blocks.get("4")
            if service is not None and service.tags.get("451") == "1":
                warnings.append(f"{where(source, line=raw.line)}: network NAK (451:1) skipped")
            continue  # an ACK/NAK service message, not a payment
        messages.append(_message(raw, text, len(messages) + 1, warnings))
    if not messages:
        raise BadInputError(
            "no SWIFT MT message found",
            where=source,
            hint="send MT103 text: {1:…}{2:…}{4:\\n:20:…\\n-}",
        )
    messages[0].warnings[:0] = warnings
    return messages


def _split(text: _Text, warnings: list[str]) -> list[_Raw]:
    raws: list[_Raw] = []
    current: _Raw | None = None
    position, size = 0, len(text.text)
    while position < size:
        char = text.text[position]
        if char in " \t\n$":
            if char == "$":
                current = None
            position += 1
            continue
        found = _BLOCK_START.match(text.text, position)
        if found is None:
            stray = min(
                (i for i in (text.text.find(c, position + 1) for c in "{$") if i >= 0),
                default=size,
            )
            warnings.append(
                f"{where(text.source, line=text.line(position))}: "
                f"{stray - position} character(s) outside any block ignored"
            )
            position = stray
            continue
        block, position = _block(text, found)
        if current is None or block.id in current.blocks:
            current = _Raw(line=block.line)
            raws.append(current)
            if len(raws) > MAX_MESSAGES:
                raise text.error(f"more than {MAX_MESSAGES:,} messages", found.start())
        current.blocks[block.id] = block
    return raws


def _block(text: _Text, found: re.Match[str]) -> tuple[_Block, int]:
    """The block starting at ``found`` and the position just after it."""
    block_id, start = found.group(1), found.end()
    line = text.line(found.start())
    body = text.text
    if block_id == "4" and body.startswith("\n", start):
        end = body.find("\n-}", start)
        if end < 0:
            raise text.error(
                "block 4 is not closed by a line '-}'", found.start(), "the message is cut off"
            )
        return _Block("4", body[start + 1 : end], {}, line + 1), end + 3
    if body.startswith("{", start):
        tags, end = _tags(text, start)
        return _Block(block_id, body[start:end], tags, line), end + 1
    end = body.find("}", start)
    if end < 0 or "{" in body[start:end]:
        raise text.error(f"block {block_id} is not closed by '}}'", found.start())
    return _Block(block_id, body[start:end], {}, line), end + 1


def _tags(text: _Text, start: int) -> tuple[dict[str, str], int]:
    body, position, tags = text.text, start, {}
    while body.startswith("{", position):
        end = body.find("}", position)
        colon = body.find(":", position, end)
        if end < 0 or colon < 0 or "{" in body[position + 1 : end]:
            raise text.error("a {tag:value} field is not closed by '}'", position)
        tags[body[position + 1 : colon]] = body[colon + 1 : end]
        position = end + 1
    if not body.startswith("}", position):
        raise text.error("a block of {tag:value} fields is not closed by '}'", position)
    return tags, position


def _message(raw: _Raw, text: _Text, index: int, warnings: list[str]) -> PaymentMessage:
    source = text.source
    label = f"message {index}"
    application = raw.blocks.get("2")
    body = raw.blocks.get("4")
    if application is None or body is None or not body.text:
        missing = "block 2 (application header)" if application is None else "block 4 (text)"
        raise BadInputError(f"{label} has no {missing}", where=where(source, line=raw.line))
    mt = application.text[1:4]
    if mt not in MT_TYPES:
        raise BadInputError(
            f"{label} is MT{mt}, not a customer transfer this service screens",
            where=where(source, line=application.line),
            hint="send MT103 or MT101",
        )
    fields = _fields(body, text, label)
    message_warnings: list[str] = []
    parties = _header_agents(raw, application, label, source, message_warnings)
    transfers = _transfers(fields, label, source, parties, message_warnings)
    screening = None
    third = raw.blocks.get("3")
    if third is not None and "433" in third.tags:
        found = _SCREENING.match(third.tags["433"].strip())
        if found:
            screening = NetworkScreening(code=found[1], text=found[2].strip())
    reference = next((v for t, v, _ in fields if t == "20"), None)
    return PaymentMessage(
        index=index,
        type=f"MT{mt}",
        reference=reference.strip() if reference else None,
        parties=tuple(parties),
        transfers=tuple(transfers),
        network_screening=screening,
        warnings=message_warnings,
    )


def _fields(body: _Block, text: _Text, label: str) -> list[tuple[str, str, int]]:
    fields: list[tuple[str, str, int]] = []
    for offset, line in enumerate(body.text.split("\n")):
        if not line.strip() and not fields:
            continue
        found = _FIELD.match(line)
        if found:
            fields.append((found[1], found[2].strip(), body.line + offset))
        elif fields:
            tag, value, at = fields[-1]
            fields[-1] = (tag, value + "\n" + line, at)
        else:
            raise BadInputError(
                f"{label} block 4 does not start with a field tag (:20:)",
                where=where(text.source, line=body.line + offset),
            )
    if not fields:
        raise BadInputError(
            f"{label} block 4 holds no fields", where=where(text.source, line=body.line)
        )
    return fields


def _header_agents(
    raw: _Raw, application: _Block, label: str, source: str, warnings: list[str]
) -> list[PaymentParty]:
    """Sender and receiver from the logical terminal addresses in blocks 1 and 2."""
    basic = raw.blocks.get("1")
    own = basic.text[3:15] if basic is not None else ""
    text = application.text
    other = text[4:16] if text.startswith("I") else text[14:26] if text.startswith("O") else ""
    sender, receiver = (own, other) if text.startswith("I") else (other, own)
    agents: list[PaymentParty] = []
    for role, address, block in (("sender", sender, basic), ("receiver", receiver, application)):
        line = block.line if block is not None else raw.line
        bic = address[:8] + address[9:12] if len(address) == 12 else ""
        if not bic:
            continue
        spot = where(source, line=line, record=f"{label} {role} address")
        if not BIC_PATTERN.fullmatch(bic):
            warnings.append(f"{spot}: logical terminal address is not a valid BIC; ignored")
            continue
        agents.append(
            PaymentParty(id=f"{label} {role}", role=role, kind="agent", where=spot, bic=bic)
        )
    return agents


def _transfers(
    fields: list[tuple[str, str, int]],
    label: str,
    source: str,
    parties: list[PaymentParty],
    warnings: list[str],
) -> list[Transfer]:
    """Read every party field; group them into transfers (one per ``:21:`` in an MT101)."""
    mt101 = any(tag == "28D" for tag, _, _ in fields)
    reference = next((v for t, v, _ in fields if t == "20"), "") or label
    common: dict[str, PaymentParty] = {}
    groups: list[tuple[str, int, dict[str, PaymentParty]]] = []
    target = common
    for tag, value, line in fields:
        if mt101 and tag == "21":
            target = {}
            groups.append((value, line, target))
            continue
        if tag[:2] not in FIELD_ROLES:
            continue
        scope = f"{label} transaction {len(groups)}" if groups else label
        party = _party_field(tag, value, line, scope, source, groups[-1][0] if groups else None)
        if party.bic is None and tag[2:] in ("A", "G") and value.strip():
            warnings.append(f"{party.where}: no valid BIC in field {tag}; ignored")
        parties.append(party)
        if party.role != "instructing_party":
            target[tag[:2]] = party
    if not groups:
        groups.append((reference, fields[0][2], common))
    return [
        Transfer(
            reference=ref,
            where=where(source, line=line, record=label),
            originator=group.get("50") or common.get("50"),
            beneficiary=group.get("59") or common.get("59"),
            originator_field="50a",
            beneficiary_field="59a",
        )
        for ref, line, group in groups
    ]


def _party_field(
    tag: str, value: str, line: int, scope: str, source: str, transaction: str | None
) -> PaymentParty:
    base, option = tag[:2], tag[2:]
    role, kind = FIELD_ROLES[base]
    if base == "50" and option in ("C", "L"):
        role = "instructing_party"
    lines = [item.strip() for item in value.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    account: str | None = None
    identifiers: list[str] = []
    if lines and lines[0].startswith("/"):
        account = lines.pop(0).lstrip("/").strip()
        account = account if any(c.isalnum() for c in account) else None
    elif option == "F" and lines and _IDENTIFIER_CODE.match(lines[0]):
        identifiers.append(lines.pop(0))
    details = _Details()
    if option in ("A", "G"):
        candidate = lines[0].upper() if lines else ""
        details.bic = candidate if BIC_PATTERN.fullmatch(candidate) else None
    elif option == "F":
        details.numbered(lines)
    elif option not in ("B", "C"):  # K, H, D and plain 59: name and address
        details.name = lines[0] if lines else None
        details.address = lines[1:]
    identifiers += details.identifiers
    party_id = f"{scope} field {tag}"
    person = details.birth_date is not None or details.national_id is not None
    schema = Schema.ORGANIZATION if kind == "agent" else Schema.PERSON if person else None
    party, error = make_party(
        party_id,
        details.name,
        schema=schema,
        country=details.country,
        birth_date=details.birth_date,
        id_number=details.national_id,
    )
    return PaymentParty(
        id=party_id,
        role=role,
        kind=kind,
        where=where(source, line=line, record=f"{scope} field {tag}"),
        transaction=transaction,
        name=details.name,
        bic=details.bic,
        account=account,
        address=tuple(details.address),
        country=details.country,
        identifiers=tuple(identifiers),
        birth_date=details.birth_date,
        birth_place=details.birth_place,
        party=party,
        error=error,
    )


@dataclass
class _Details:
    """What the lines of a party field say, option by option."""

    name: str | None = None
    bic: str | None = None
    address: list[str] = field(default_factory=list)
    country: str | None = None
    birth_date: PartialDate | None = None
    birth_place: str | None = None
    national_id: str | None = None
    identifiers: list[str] = field(default_factory=list)

    def numbered(self, lines: list[str]) -> None:
        """Structured options 50F/59F: ``1/name 2/address 3/CC/town 4/date 5/CC/place …``."""
        names: list[str] = []
        for item in lines:
            found = _NUMBERED.fullmatch(item)
            if not found:
                continue
            number, rest = found[1], found[2].strip()
            if number == "1":
                names.append(rest)
            elif number in ("2", "3"):
                self.address.append(rest)
                if number == "3":
                    self.country = country_code(rest[:2]) or self.country
            elif number == "4":
                self.birth_date = _yyyymmdd(rest)
            elif number == "5":
                self.birth_place = rest
            elif number == "6":
                self.identifiers.append(f"CUST:{rest}")
            elif number == "7":
                self.national_id = rest.split("/", 1)[-1]
                self.identifiers.append(f"NIDN:{rest}")
        self.name = " ".join(names) or None


def _yyyymmdd(text: str) -> PartialDate | None:
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        day = datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return PartialDate(year=day.year, month=day.month, day=day.day)
    except ValueError:
        return None
