"""Column types: timestamps in UTC, and string enums over plain VARCHAR columns."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Enum, TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as UTC; SQLite hands them back naive, so tag them again."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def str_enum(enum: type[StrEnum], length: int) -> Enum:
    """A StrEnum over an existing VARCHAR(length) column: the enum's values are stored as
    before (no migration, no CHECK constraint), rows read back as members."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
    )
