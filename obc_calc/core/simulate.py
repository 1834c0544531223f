"""Monte Carlo risk: what the district may pay and the provider may earn when rates are uncertain.

Each trial draws every outcome's figure (a Beta per outcome, see obc_calc.core.beta, joined by a
Gaussian copula with the same correlation between every pair of outcomes), the students served (a
whole number, uniform between the risk range's ends) and whether the district keeps its
commitments; then it pays exactly by the rate card, with the scenarios' own rules applied to
arrays. An outcome's figure is its realized rate (no second layer of drawing students): in a deal
with student groups, the groups' overall rate; for a banded outcome, the share of its students in
bands that pay more than nothing. Its Beta's mean is the figure in the Expected scenario. The
groups' rates and the band shares move with the figure by the rule of obc_calc.core.sensitivity,
under which what the outcome's rule reads is a straight line on each side of the expected figure,
so a trial reads it off `paying_curve` by interpolation: no loop over trials or groups. The outcome
payments of a trial together never take back more than the deal's max_penalty, as in `evaluate`.

Random numbers come in chunks of CHUNK trials, chunk i from its own generator seeded by
(seed, i), and trials are paid in blocks of whole chunks, so the figures depend only on the deal,
the seed and the number of trials, never on the block size. Memory: the two arrays of results
(8 bytes per trial each) plus one block's working arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from obc_calc.core.bases import BASES
from obc_calc.core.beta import TABLE_POINTS, Z_LIMIT, beta_shape, rate_table, width_problem
from obc_calc.core.errors import DealError, Problem
from obc_calc.core.groups import measure
from obc_calc.core.model import Deal, Outcome
from obc_calc.core.scenarios import base_due
from obc_calc.core.sensitivity import EXPECTED, moves_apart, paying_curve

CHUNK = 65_536
DEFAULT_BLOCK = 4 * CHUNK
MAX_TRIALS = 10_000_000  # 160 MB of results; the benchmark measures the peak
PERCENTILES = (5, 25, 50, 75, 95)
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
    # The mean of what the penalty limit adds back (as ScenarioResult.penalty_relief): with it, the
    # expected payments add up to the mean of the provider's earnings.
    expected_penalty_relief: float
    totals: np.ndarray = field(repr=False)  # one per trial, in trial order
    earnings: np.ndarray = field(repr=False)

    def to_dict(self) -> dict:
        return {
            "trials": self.trials,
            "seed": self.seed,
            "total": self.total.to_dict(),
            "provider_earnings": self.provider_earnings.to_dict(),
            "expected_payments": dict(self.expected_payments),
            "expected_penalty_relief": self.expected_penalty_relief,
        }


@dataclass(frozen=True)
class _Plan:
    """What a run draws and how it pays, outcome by outcome, and the deal's other risks."""

    tables: tuple[tuple[np.ndarray, np.ndarray] | None, ...]  # a quantile table; None: certain
    # What each outcome's rule reads: the figure drawn itself (None) or read off its paying_curve.
    curves: tuple[tuple[np.ndarray, np.ndarray] | None, ...]
    fixed: tuple[float, ...]  # what each rule reads when the outcome is certain: the Expected value
    correlation: float
    served: tuple[int, int]
    miss_probability: float
    penalties: bool  # some band takes money back, so the deal's max_penalty can bind

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


def _table(outcome: Outcome, mean: float, path: str) -> tuple[np.ndarray, np.ndarray] | None:
    """The quantile table of the outcome's figure: a Beta with this mean and the range's width."""
    if outcome.rate_low is None or outcome.rate_high is None:
        return None
    width = outcome.rate_high - outcome.rate_low
    what = "an achievement rate" if outcome.bands is None else "a share of students in paying bands"
    # Checked here too: the deal may have changed after validation, and a range fits the expected
    # rate there, not the groups' overall rate or a banded outcome's expected paying share.
    problem = width_problem(mean, width, what)
    if problem:
        raise DealError([Problem(path, problem)])
    shape = beta_shape(mean, width)
    return None if shape is None else rate_table(*shape)


def _plan(deal: Deal) -> _Plan:
    tables, curves, fixed = [], [], []
    for i, outcome in enumerate(deal.outcomes):
        at_expected = measure(deal, outcome, EXPECTED)
        table = _table(outcome, at_expected.rate, f"outcomes[{i}].rate_high")
        tables.append(table)
        curves.append(paying_curve(deal, outcome) if table and moves_apart(deal, outcome) else None)
        fixed.append(at_expected.paying)
    penalties = any(band.payout < 0 for o in deal.outcomes for band in o.bands or [])
    risk = deal.risk
    return _Plan(tuple(tables), tuple(curves), tuple(fixed), risk.correlation, served_range(deal),
                 risk.commitments_miss_probability, penalties)


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
    """(totals, provider earnings, each outcome's payments and then what the penalty limit gives
    back, if some band can take money back) for one block, as `evaluate` pays."""
    rates = _rates(plan, draws.normals)
    served = plan.served[0] if draws.served is None else draws.served
    served_fraction = served / deal.students
    payments = []
    for outcome, rate, curve, fixed in zip(deal.outcomes, rates, plan.curves, plan.fixed, strict=True):
        allocation = deal.allocation(outcome)
        drawn = fixed if rate is None else rate if curve is None else np.interp(rate, *curve)
        payment = BASES[outcome.basis].pay(outcome, allocation, drawn, served_fraction)
        if draws.missed is not None:  # the district broke its side: every full allocation is due
            payment = np.where(draws.missed, allocation, payment)
        payments.append(np.broadcast_to(payment, (n,)))
    performance = payments[0].copy()
    for payment in payments[1:]:
        performance += payment  # in outcome order, as ScenarioResult.performance adds them
    if plan.penalties:  # as evaluate's penalty_relief, to the last bit
        relief = np.maximum(0.0, -deal.max_penalty - performance)
        performance += relief
        payments.append(relief)
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
    chunk_sums = np.zeros((len(sizes), len(deal.outcomes) + 1))  # the last column: penalty relief
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
        expected_payments={o.name: float(m) for o, m in zip(deal.outcomes, means[:-1], strict=True)},
        expected_penalty_relief=float(means[-1]),
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
