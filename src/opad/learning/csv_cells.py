"""CSV cells a spreadsheet would evaluate, neutralised (OWASP, "CSV Injection").

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)`, `@SUM(...)`, DDE
payloads). Exports carry third-party text (article titles, saved sentences, LLM-written
meanings), so every such cell gets a leading apostrophe, which the spreadsheet shows
as text and does not display; the csv module already quotes separators and quotes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

# OWASP's list: https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """`cell`, with an apostrophe before it when it is text a spreadsheet would evaluate
    (numbers are left alone: -3 is a number, not a formula)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


class SafeWriter:
    """`csv.writer` whose rows are neutralised cell by cell."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        """Write one row, each cell through `neutralise`."""
        return self._writer.writerow([neutralise(cell) for cell in row])
