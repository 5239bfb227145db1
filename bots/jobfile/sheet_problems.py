"""Problems in a spreadsheet, at the row and column a person sees.

Why it is built this way: a spreadsheet user fixes cells, not YAML paths, so every problem of
an import (its own, and the job file's mapped back by `sheet_job_problems`) names the row
(row 1 is the header) and the column, and they are listed in reading order.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from caljobs_bot.jobfile.sheet_columns import COLUMN_ORDER


@dataclass(frozen=True)
class SheetProblem:
    """One thing to fix in the spreadsheet, at the row and column a person sees."""

    file: Path
    row: int | None
    column: str | None
    message: str
    # The job-file problem's key (problems.MESSAGES) when it came from one, else None.
    key: str | None = dataclasses.field(default=None, compare=False)

    def __str__(self) -> str:
        where = ", ".join(
            part for part in (f"row {self.row}" if self.row else "", self.column or "") if part
        )
        return f"{self.file}: {where}: {self.message}" if where else f"{self.file}: {self.message}"


def _reading_order(problem: SheetProblem) -> tuple[int, int]:
    """By row, then left to right as the template orders columns; the header as found."""
    if problem.row is None or problem.row == 1 or problem.column is None:
        return (problem.row or 0, -1)
    first = re.split(r"[/-]", problem.column)[0]
    return (problem.row, COLUMN_ORDER.get(first, COLUMN_ORDER.get(first + "_first_name", -1)))


class SheetError(Exception):
    """The spreadsheet cannot be imported as it is; `problems` lists everything found."""

    def __init__(self, problems: Sequence[SheetProblem]) -> None:
        self.problems: list[SheetProblem] = sorted(dict.fromkeys(problems), key=_reading_order)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def file_error(source: Path, message: str) -> SheetError:
    return SheetError([SheetProblem(source, None, None, message)])
