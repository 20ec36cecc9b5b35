"""A party to screen: a customer record, a payment party or a traveller."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from interdict.model.entity import MAX_NAME_LENGTH, EntityCountry, PartialDate, Schema

__all__ = ["Party"]


class Party(BaseModel):
    """What we know about someone we screen. Only ``name`` is required."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    birth_date: PartialDate | None = None
    countries: tuple[EntityCountry, ...] = ()
    gender: str | None = Field(default=None, pattern=r"^(male|female)$")
    id_number: str | None = Field(default=None, max_length=200)
    schema_: Schema | None = Field(default=None, alias="schema")

    @field_validator("birth_date", mode="before")
    @classmethod
    def _parse_date(cls, value: Any) -> Any:
        """Accept ``"1975"``, ``"1975-05"`` or ``"1975-05-14"`` as well as a PartialDate."""
        if isinstance(value, str):
            return PartialDate.parse(value) if value.strip() else None
        return value
