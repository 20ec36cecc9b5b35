"""What a payment message reader produces: the parties a message names and its transfers.

ISO 20022 (pacs.008, pain.001) and SWIFT MT (103, 101) both become :class:`PaymentMessage`
objects. Each :class:`PaymentParty` records where it stands in the message (role, element path
or field tag, line), what identifies it (name, BIC, account, address, national or customer
identifiers, date and place of birth) and the :class:`~interdict.model.Party` to screen. Each
:class:`Transfer` points at its originator and beneficiary for the FATF R.16 check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from interdict.model import CountryRole, EntityCountry, PartialDate, Party, Schema
from interdict.model.entity import MAX_NAME_LENGTH
from interdict.readers.base import describe_validation_error

__all__ = [
    "BIC_PATTERN",
    "NetworkScreening",
    "PaymentMessage",
    "PaymentParty",
    "Transfer",
    "make_party",
]

_NETWORK_CODES = {
    "AOK": "released: no hit, or a non-blocking hit",
    "FPO": "released: hit judged a false positive",
    "NOK": "suspect: hit not released",
}
"""Field 433 result codes (SWIFT FIN sanctions screening)."""

BIC_PATTERN = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
"""ISO 9362 business identifier code: 8 or 11 characters."""


@dataclass(frozen=True)
class PaymentParty:
    """A party or agent named in a payment message."""

    id: str
    """Unique within the message: the element path or ``message N field TAG``."""
    role: str
    kind: str
    """``party`` (a customer) or ``agent`` (a financial institution)."""
    where: str
    transaction: str | None = None
    name: str | None = None
    bic: str | None = None
    account: str | None = None
    address: tuple[str, ...] = ()
    country: str | None = None
    identifiers: tuple[str, ...] = ()
    """National identity, customer or organisation identification numbers, as sent."""
    birth_date: PartialDate | None = None
    birth_place: str | None = None
    party: Party | None = None
    """The party to screen by name (``None`` when the message gives no usable name)."""
    error: str | None = None

    def describe(self) -> dict[str, Any]:
        """The party's identifying data for the API output (accounts and IDs left out)."""
        return {
            "role": self.role,
            "kind": self.kind,
            "where": self.where,
            "transaction": self.transaction,
            "name": self.name,
            "bic": self.bic,
        }


@dataclass(frozen=True)
class Transfer:
    """One credit transfer: its reference and its R.16 originator and beneficiary."""

    reference: str
    where: str
    originator: PaymentParty | None
    beneficiary: PaymentParty | None
    originator_field: str
    """How the format names the originator (``Dbtr``, ``50a``) for findings."""
    beneficiary_field: str


@dataclass(frozen=True)
class NetworkScreening:
    """MT field 433: the sanctions screening result the SWIFT network itself recorded."""

    code: str
    text: str

    def describe(self) -> dict[str, str]:
        """``{"code", "meaning", "text"}``."""
        meaning = _NETWORK_CODES.get(self.code, "code not known to Interdict")
        return {"code": self.code, "meaning": meaning, "text": self.text}


@dataclass(frozen=True)
class PaymentMessage:
    """One payment message: its type, reference, parties and transfers."""

    index: int
    type: str
    """``pacs.008.001.08``, ``pain.001.001.03``, ``MT103``…"""
    reference: str | None
    parties: tuple[PaymentParty, ...]
    transfers: tuple[Transfer, ...]
    network_screening: NetworkScreening | None = None
    warnings: list[str] = field(default_factory=list)


def make_party(
    party_id: str,
    name: str | None,
    *,
    schema: Schema | None,
    country: str | None = None,
    birth_date: PartialDate | None = None,
    id_number: str | None = None,
) -> tuple[Party | None, str | None]:
    """The :class:`Party` to screen for a message party, or the reason there is none."""
    clean = " ".join((name or "").split())
    if not clean:
        return None, None
    if len(clean) > MAX_NAME_LENGTH:
        return None, f"name longer than {MAX_NAME_LENGTH} characters; not screened"
    try:
        party = Party(
            id=party_id[:200],
            name=clean,
            birth_date=birth_date,
            countries=(EntityCountry(code=country, role=CountryRole.OTHER),) if country else (),
            id_number=id_number[:200] if id_number else None,
            schema=schema,
        )
    except ValidationError as exc:
        return None, describe_validation_error(exc)
    return party, None
