"""Monte Carlo risk: what the district may pay and the provider may earn when rates are uncertain.

Each trial draws every outcome's realized cohort rate (a Beta per outcome, see obc_calc.core.beta,
joined by a Gaussian copula with the same correlation between every pair of outcomes), the
students served (a whole number, uniform between the risk range's ends) and whether the district
keeps its commitments; then it pays exactly by the rate card, with the scenarios' own rules
applied to arrays. The drawn rate is the realized share of students achieving: no second layer.

Random numbers come in chunks of CHUNK trials, chunk i from its own generator seeded by
(seed, i), and trials are paid in blocks of whole chunks, so the figures depend only on the deal,
the seed and the number of trials, never on the block size. Memory: the two arrays of results
(8 bytes per trial each) plus one block's working arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import special

from obc_calc.core.bases import BASES
from obc_calc.core.beta import beta_shape
from obc_calc.core.errors import DealError, Problem
from obc_calc.core.model import Deal
from obc_calc.core.scenarios import base_due

CHUNK = 65_536
DEFAULT_BLOCK = 4 * CHUNK
MAX_TRIALS = 10_000_000  # 160 MB of results; the benchmark measures the peak
PERCENTILES = (5, 25, 50, 75, 95)
# A rate is read off a table of its Beta quantile at evenly spaced normal scores, linearly
# interpolated: scipy's exact inverse is ten times slower than drawing the Beta itself, and the
# table is within 2e-7 of it for any realistic range. Scores beyond +-8.5 (odds 1e-17) are clipped.
Z_LIMIT = 8.5
TABLE_POINTS = 2**14 + 1
_Z_GRID = np.linspace(-Z_LIMIT, Z_LIMIT, TABLE_POINTS)
_TABLE_SCALE = (TABLE_POINTS - 1) / (2 * Z_LIMIT)


@dataclass(frozen=True)
class Summary:
    mean: float
    std: float
    p5: float
    p25: float
    p50: float
    p75: float
    p95: float

    @classmethod
    def of(cls, values: np.ndarray) -> Summary:
        """Mean, standard deviation across trials and percentiles (linear between trials)."""
        p5, p25, p50, p75, p95 = np.percentile(values, PERCENTILES)
        return cls(float(values.mean()), float(values.std()), *map(float, (p5, p25, p50, p75, p95)))

    def to_dict(self) -> dict:
        return dict(vars(self))


@dataclass(frozen=True)
class SimulationResult:
    trials: int
    seed: int
    performance_pool: float
    total: Summary  # what the district pays: base plus outcome payments
    provider_earnings: Summary  # the outcome payments alone: what the provider has at risk
    expected_payments: dict[str, float]  # each outcome's mean payment, by outcome name
    totals: np.ndarray = field(repr=False)  # one per trial, in trial order
    earnings: np.ndarray = field(repr=False)

    def to_dict(self) -> dict:
        return {
            "trials": self.trials,
            "seed": self.seed,
            "total": self.total.to_dict(),
            "provider_earnings": self.provider_earnings.to_dict(),
            "expected_payments": dict(self.expected_payments),
        }


@dataclass(frozen=True)
class _Plan:
    """What a run draws: a quantile table per uncertain outcome (None: certain) and the risks."""

    tables: tuple[tuple[np.ndarray, np.ndarray] | None, ...]
    correlation: float
    served: tuple[int, int]
    miss_probability: float

    @property
    def uncertain(self) -> int:
        return sum(table is not None for table in self.tables)


@dataclass(frozen=True)
class _Draws:
    normals: np.ndarray | None  # row 0: the common factor; then one row per uncertain outcome
    served: np.ndarray | None
    missed: np.ndarray | None


def served_range(deal: Deal) -> tuple[int, int]:
    """The fewest and most students served a trial can draw (default: every planned student)."""
    risk = deal.risk
    if risk.students_served_low is None or risk.students_served_high is None:
        return deal.students, deal.students
    return risk.students_served_low, risk.students_served_high


def starting_served_range(students: int) -> tuple[int, int]:
    """Where a user who starts varying enrollment begins: 90% (rounded down) to all planned students."""
    return int(students * 0.9), students


def nothing_uncertain(deal: Deal) -> bool:
    """True when every trial would be the expected case: no rate range, enrollment or miss chance."""
    low, high = served_range(deal)
    return (all(o.rate_low == o.rate_high for o in deal.outcomes) and low == high
            and deal.risk.commitments_miss_probability == 0)


def risk_settings(deal: Deal) -> dict:
    """The deal's risk settings with every default filled in, to show the user what a run assumes."""
    low, high = served_range(deal)
    return {
        "correlation": deal.risk.correlation,
        "students_served_low": low,
        "students_served_high": high,
        "commitments_miss_probability": deal.risk.commitments_miss_probability,
    }


@lru_cache(maxsize=256)
def rate_table(alpha: float, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """The Beta quantile at each normal score of the grid, and the steps between neighbours."""
    low = _Z_GRID <= 0
    values = np.empty(TABLE_POINTS)
    # Each tail from its own side so that rates near 100% keep their precision.
    values[low] = special.betaincinv(alpha, beta, special.ndtr(_Z_GRID[low]))
    values[~low] = special.betainccinv(alpha, beta, special.ndtr(-_Z_GRID[~low]))
    steps = np.diff(values, append=values[-1])
    values.flags.writeable = steps.flags.writeable = False
    return values, steps


def _plan(deal: Deal) -> _Plan:
    tables = []
    for i, outcome in enumerate(deal.outcomes):
        if outcome.rate_low is None or outcome.rate_high is None:
            tables.append(None)
            continue
        try:
            shape = beta_shape(outcome.expected_rate, outcome.rate_high - outcome.rate_low)
        except ValueError as error:  # a deal changed after validation
            raise DealError([Problem(f"outcomes[{i}].rate_high", str(error))]) from None
        tables.append(None if shape is None else rate_table(*shape))
    risk = deal.risk
    return _Plan(tuple(tables), risk.correlation, served_range(deal), risk.commitments_miss_probability)


def _draw_chunk(plan: _Plan, seed: int, index: int, n: int) -> _Draws:
    """Chunk `index`'s random numbers, always drawn in the same order from the same generator."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))
    # The common factor is drawn even at correlation 0, and the optional draws come last, so
    # changing a risk setting leaves the other draws as they were: comparisons stay steady.
    normals = rng.standard_normal((plan.uncertain + 1, n)) if plan.uncertain else None
    low, high = plan.served
    served = rng.integers(low, high, size=n, endpoint=True) if low < high else None
    missed = rng.random(n) < plan.miss_probability if plan.miss_probability > 0 else None
    return _Draws(normals, served, missed)


def _join(parts: list) -> np.ndarray | None:
    return None if parts[0] is None else np.concatenate(parts, axis=-1)


def _draw_block(plan: _Plan, seed: int, first_chunk: int, sizes: list[int]) -> _Draws:
    chunks = [_draw_chunk(plan, seed, first_chunk + i, n) for i, n in enumerate(sizes)]
    return _Draws(*(_join([getattr(c, name) for c in chunks]) for name in ("normals", "served", "missed")))


def _rates(plan: _Plan, normals: np.ndarray | None) -> list[np.ndarray | None]:
    """Each uncertain outcome's drawn rates (None for a certain one), through the copula."""
    rho = plan.correlation
    # Scores go straight to table positions: position = score * scale + centre.
    centre = (TABLE_POINTS - 1) / 2
    common = centre if rho == 0 or normals is None else normals[0] * (np.sqrt(rho) * _TABLE_SCALE) + centre
    own = np.sqrt(1 - rho) * _TABLE_SCALE
    rates, row = [], 1
    for table in plan.tables:
        if table is None:
            rates.append(None)
            continue
        values, steps = table
        position = normals[row] * own
        position += common
        np.clip(position, 0, TABLE_POINTS - 1, out=position)
        index = position.astype(np.intp)
        position -= index  # now the fraction of the way to the next grid point
        rate = steps[index]
        rate *= position
        rate += values[index]
        rates.append(rate)
        row += 1
    return rates


def _pay_block(deal: Deal, plan: _Plan, draws: _Draws, n: int) -> tuple[np.ndarray, np.ndarray, list]:
    """(totals, provider earnings, each outcome's payments) for one block, as `evaluate` pays."""
    rates = _rates(plan, draws.normals)
    served = plan.served[0] if draws.served is None else draws.served
    served_fraction = served / deal.students
    payments = []
    for outcome, rate in zip(deal.outcomes, rates, strict=True):
        allocation = deal.allocation(outcome)
        drawn = outcome.expected_rate if rate is None else rate
        payment = BASES[outcome.basis].pay(outcome, allocation, drawn, served_fraction)
        if draws.missed is not None:  # the district broke its side: every full allocation is due
            payment = np.where(draws.missed, allocation, payment)
        payments.append(np.broadcast_to(payment, (n,)))
    performance = payments[0].copy()
    for payment in payments[1:]:
        performance += payment  # in outcome order, as ScenarioResult.performance adds them
    base = base_due(deal, served)
    if draws.missed is not None:
        base = np.where(draws.missed, deal.base_max, base)
    return base + performance, performance, payments


def _chunk_sizes(trials: int) -> list[int]:
    full, rest = divmod(trials, CHUNK)
    return [CHUNK] * full + ([rest] if rest else [])


def simulate(
    deal: Deal,
    trials: int,
    seed: int,
    block_size: int = DEFAULT_BLOCK,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Run `trials` trials of the deal; `progress(done, trials)` is called after each block."""
    if not 1 <= trials <= MAX_TRIALS or seed < 0:
        raise ValueError(f"trials must be 1 to {MAX_TRIALS:,} and the seed 0 or more")
    if block_size < CHUNK or block_size % CHUNK:
        raise ValueError(f"block_size must be a positive multiple of {CHUNK}")
    plan = _plan(deal)
    sizes = _chunk_sizes(trials)
    per_block = block_size // CHUNK
    totals, earnings = np.empty(trials), np.empty(trials)
    chunk_sums = np.empty((len(sizes), len(deal.outcomes)))
    start = 0
    for first in range(0, len(sizes), per_block):
        block_sizes = sizes[first:first + per_block]
        n = sum(block_sizes)
        draws = _draw_block(plan, seed, first, block_sizes)
        total, performance, payments = _pay_block(deal, plan, draws, n)
        totals[start:start + n], earnings[start:start + n] = total, performance
        # Sums per chunk, not per block, so the outcome means do not depend on the block size.
        offsets = np.cumsum([0] + block_sizes[:-1])
        for j, payment in enumerate(payments):
            chunk_sums[first:first + len(block_sizes), j] = np.add.reduceat(payment, offsets)
        start += n
        if progress is not None:
            progress(start, trials)
    means = chunk_sums.sum(axis=0) / trials
    return SimulationResult(
        trials=trials,
        seed=seed,
        performance_pool=deal.performance_pool,
        total=Summary.of(totals),
        provider_earnings=Summary.of(earnings),
        expected_payments={o.name: float(m) for o, m in zip(deal.outcomes, means, strict=True)},
        totals=totals,
        earnings=earnings,
    )


def probability_total_exceeds(result: SimulationResult, budget_line: float) -> float:
    """The share of trials in which the district pays more than `budget_line` dollars."""
    return np.count_nonzero(result.totals > budget_line) / result.trials


def probability_earnings_below(result: SimulationResult, share_of_pool: float) -> float:
    """The share of trials in which the provider earns less than `share_of_pool` of the pool."""
    return np.count_nonzero(result.earnings < share_of_pool * result.performance_pool) / result.trials


def share_of_pool(result: SimulationResult, amount: float) -> float | None:
    """`amount` as a share of the performance pool; None when the deal has no pool."""
    return amount / result.performance_pool if result.performance_pool else None


def earnings_line(result: SimulationResult, share_of_pool: float) -> float:
    """The dollars that `share_of_pool` of the performance pool comes to."""
    return share_of_pool * result.performance_pool


def allocation_shares(deal: Deal, result: SimulationResult) -> dict[str, float | None]:
    """Each outcome's simulated average payment as a share of its allocation; None for a zero allocation."""
    shares = {}
    for outcome in deal.outcomes:
        allocation = deal.allocation(outcome)
        shares[outcome.name] = result.expected_payments[outcome.name] / allocation if allocation else None
    return shares


def histogram(values: np.ndarray, bins: int = 50) -> pd.DataFrame:
    """Bars for a histogram: each bin's start and end and the share of trials in it."""
    counts, edges = np.histogram(values, bins=bins)
    return pd.DataFrame({"start": edges[:-1], "end": edges[1:], "share": counts / len(values)})


def cumulative(values: np.ndarray, points: int = 201) -> pd.DataFrame:
    """Points of the cumulative curve: the chance that a trial comes out at or below `value`."""
    probability = np.linspace(0.0, 1.0, points)
    return pd.DataFrame({"value": np.quantile(values, probability), "probability": probability})
