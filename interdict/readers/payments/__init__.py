"""Payment messages: ISO 20022 pacs.008 / pain.001 and SWIFT MT103 / MT101.

:func:`read_payment` takes the raw message and its syntax (``xml`` or ``mt``) and returns the
:class:`~interdict.readers.payments.message.PaymentMessage` objects it holds (an MT batch may
hold several), each with every party and agent it names and its transfers for the FATF R.16
check. Broken input raises :class:`~interdict.errors.BadInputError` naming the line.
"""

from __future__ import annotations

from typing import Literal

from interdict.readers.payments.iso20022 import ISO20022_TYPES, read_iso20022
from interdict.readers.payments.message import (
    NetworkScreening,
    PaymentMessage,
    PaymentParty,
    Transfer,
)
from interdict.readers.payments.mt103 import MT_TYPES, read_mt

__all__ = [
    "ISO20022_TYPES",
    "MT_TYPES",
    "NetworkScreening",
    "PaymentMessage",
    "PaymentParty",
    "PaymentSyntax",
    "Transfer",
    "read_payment",
]

PaymentSyntax = Literal["xml", "mt"]


def read_payment(data: bytes, source: str, syntax: PaymentSyntax) -> list[PaymentMessage]:
    """The payment messages in ``data``: one ISO 20022 document, or one or more MT messages."""
    if syntax == "xml":
        return [read_iso20022(data, source)]
    return read_mt(data, source)
