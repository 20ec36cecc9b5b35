"""Identifiers normalised by kind, so that two institutions writing one number differently
still produce the same item for the private set intersection.

A customer's ``id_number`` may hold several identifiers separated by ``;``, each optionally
prefixed by its kind (``iban:DE89 3704 0044 0532 0130 00; email:A@B.example``). Without a
prefix the kind is recognised from the shape (an IBAN with a valid check digit, an e-mail
address, a phone number written with ``+``, a crypto wallet address); anything else is a
document number (passport or national ID). Each kind has its own normaliser, and the item
carries the kind (``iban:DE89370400440532013000``), so a passport number never meets an
account number with the same digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["KINDS", "identifier_items", "normalise_identifier"]

_SEPARATORS = re.compile(r"[\s\-./_()]+")
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s.]{2,63}")
_PHONE = re.compile(r"\+?\d{7,15}")
_ETHEREUM = re.compile(r"0x[0-9a-f]{40}")
_BITCOIN = re.compile(r"(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71})")
_DOCUMENT = re.compile(r"[A-Z0-9]{4,30}")
MAX_IDENTIFIERS = 8
"""Most identifiers read from one customer's ``id_number``."""


def _fold(value: str) -> str:
    """NFKC, no zero-width or control characters: the shape every normaliser starts from."""
    text = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()


def _iban(value: str) -> str | None:
    text = _SEPARATORS.sub("", _fold(value)).upper()
    if not _IBAN.fullmatch(text):
        return None
    digits = "".join(str(int(ch, 36)) for ch in text[4:] + text[:4])
    return text if int(digits) % 97 == 1 else None


def _account(value: str) -> str | None:
    text = _SEPARATORS.sub("", _fold(value)).upper()
    return text if re.fullmatch(r"[A-Z0-9]{5,34}", text) else None


def _email(value: str) -> str | None:
    text = _fold(value).lower()
    if not _EMAIL.fullmatch(text):
        return None
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}" if domain.isascii() else text


def _phone(value: str) -> str | None:
    text = _fold(value)
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)
    return digits if _PHONE.fullmatch(digits) and digits.startswith("+") else None


def _wallet(value: str) -> str | None:
    text = _fold(value).replace(" ", "")
    if _ETHEREUM.fullmatch(text.lower()):
        return text.lower()  # EIP-55 capitals are a checksum, not part of the address
    if text.lower().startswith("bc1") and _BITCOIN.fullmatch(text.lower()):
        return text.lower()
    return text if _BITCOIN.fullmatch(text) else None


def _document(value: str) -> str | None:
    text = _SEPARATORS.sub("", _fold(value)).upper()
    return text if _DOCUMENT.fullmatch(text) else None


KINDS: dict[str, Callable[[str], str | None]] = {
    "iban": _iban,
    "account": _account,
    "email": _email,
    "phone": _phone,
    "wallet": _wallet,
    "document": _document,
}
"""Kind → normaliser (``None``: the value is not an identifier of that kind)."""
_ALIASES = {
    "passport": "document",
    "national_id": "document",
    "id": "document",
    "tel": "phone",
    "mobile": "phone",
    "mail": "email",
    "e-mail": "email",
    "crypto": "wallet",
    "btc": "wallet",
    "eth": "wallet",
}
_GUESS_ORDER = ("email", "wallet", "iban", "phone", "document")


def normalise_identifier(text: str) -> str | None:
    """``kind:value`` for one identifier (prefixed or recognised by shape), or ``None``."""
    kind, sep, rest = text.partition(":")
    name = _ALIASES.get(kind.strip().lower(), kind.strip().lower())
    if sep and name in KINDS:
        value = KINDS[name](rest)
        return f"{name}:{value}" if value else None
    for guess in _GUESS_ORDER:
        value = KINDS[guess](text)
        if value:
            return f"{guess}:{value}"
    return None


def identifier_items(id_number: str | None) -> list[str]:
    """The normalised identifiers in a customer's ``id_number`` (at most
    :data:`MAX_IDENTIFIERS`; unreadable parts are left out)."""
    if not id_number:
        return []
    found: list[str] = []
    for part in id_number.split(";")[:MAX_IDENTIFIERS]:
        item = normalise_identifier(part) if part.strip() else None
        if item and item not in found:
            found.append(item)
    return found
