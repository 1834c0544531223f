"""What monitoring records and reports: snapshots of aggregates, commitments' status, the forecast.

No student-level data: a snapshot keeps, per outcome, only the counts settle-up makes. The figures
are computed in core.forecast; `Status.to_dict` is the status's JSON (docs/monitoring.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

COMMITMENT_STATUSES = ("met", "at_risk", "missed")


@dataclass(frozen=True)
class OutcomeCounts:
    """The aggregates of one outcome in one snapshot, as settle-up counts them."""

    name: str
    in_file: int  # students in the results file
    served: int
    eligible: int  # students the rate counts
    achievers: int  # banded: students in bands that pay more than nothing
    missing: int  # served students with no value
    band_counts: tuple[int, ...] = ()  # banded: students per band, in band order (below the first left out)

    @property
    def rate(self) -> float | None:
        return self.achievers / self.eligible if self.eligible else None


@dataclass(frozen=True)
class Snapshot:
    as_of: date
    final: bool  # the end-of-term measurement: it fixes each outcome's rate and the students served
    outcomes: tuple[OutcomeCounts, ...]
    students_served: int


@dataclass(frozen=True)
class CommitmentStatus:
    name: str
    status: str  # one of COMMITMENT_STATUSES
    as_of: date
    note: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "status": self.status, "as_of": self.as_of.isoformat(), "note": self.note}


@dataclass(frozen=True)
class OutcomeForecast:
    name: str
    measured_rate: float | None  # the latest snapshot's achievers ÷ eligible; None: not measured yet
    eligible: int | None
    achievers: int | None
    forecast_rate: float  # the belief's mean, or the measured rate once final
    final: bool  # measured in a final snapshot: the figures are exact
    payment_expected: float  # "likely to pay"
    payment_p10: float  # "could be as low as"
    payment_p90: float  # "could be as high as"
    planned_payment: float  # at the plan's expected rate
    on_track: bool  # the forecast rate is at least the plan's expected rate

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "measured_rate": self.measured_rate,
            "eligible": self.eligible,
            "achievers": self.achievers,
            "forecast_rate": self.forecast_rate,
            "payment_expected": self.payment_expected,
            "payment_p10": self.payment_p10,
            "payment_p90": self.payment_p90,
            "planned_payment": self.planned_payment,
            "on_track": self.on_track,
        }


@dataclass(frozen=True)
class Status:
    deal: str
    version: int
    as_of: date | None  # the latest snapshot's date; None: no snapshot yet
    outcomes: tuple[OutcomeForecast, ...]
    total_expected: float  # base plus outcome payments; the total cost when a commitment is missed
    total_p10: float
    total_p90: float
    total_planned: float
    commitments: tuple[CommitmentStatus, ...]  # the latest record of each
    commitments_missed: bool
    score: float  # 0 to 100
    renewal_eligible: bool

    def to_dict(self) -> dict:
        return {
            "deal": self.deal,
            "version": self.version,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "outcomes": [o.to_dict() for o in self.outcomes],
            "total": {"expected": self.total_expected, "p10": self.total_p10, "p90": self.total_p90,
                      "planned": self.total_planned},
            "commitments": [c.to_dict() for c in self.commitments],
            "score": self.score,
            "renewal_eligible": self.renewal_eligible,
        }
