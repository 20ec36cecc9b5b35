"""Interdict: screen people, payments and travellers against sanctions and terrorist lists.

The public surface is small: build a :class:`Screener` over listed entities (read with
:func:`read_list` or loaded from a :class:`Workspace`) and screen :class:`Party` records.
"""

from interdict.errors import BadInputError, ConflictError, InterdictError, ListNotFoundError
from interdict.model import Entity, Party
from interdict.readers import read_list
from interdict.screening import DEFAULT_THRESHOLD, MATCHER_VERSION, Screener, ScreeningResult
from interdict.store import Workspace

__version__ = "0.1.0"
__all__ = [
    "DEFAULT_THRESHOLD",
    "MATCHER_VERSION",
    "BadInputError",
    "ConflictError",
    "Entity",
    "InterdictError",
    "ListNotFoundError",
    "Party",
    "Screener",
    "ScreeningResult",
    "Workspace",
    "__version__",
    "read_list",
]
