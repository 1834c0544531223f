"""Problems found in a user's input, each naming where it is and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str  # where: a field path such as outcomes[2].tiers[1].min_rate, or a sheet/row/column
    message: str  # what is wrong, in plain words

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DealError(Exception):
    """One or more problems with a deal or a file; `lines()` gives one plain sentence each."""

    def __init__(self, problems: list[Problem], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        prefix = f"{self.source}: " if self.source else ""
        return [f"{prefix}{problem}" for problem in self.problems]

    def with_source(self, source: str) -> DealError:
        return DealError(self.problems, source)
