"""The Beta distribution of a cohort's achievement rate, fitted to its mean and plausible range.

A deal gives an outcome's expected rate m and a range rate_low..rate_high read as the 10th and
90th percentiles. A Beta with mean m has shape alpha = m k, beta = (1 - m) k for a concentration
k > 0; we pick the k whose 10th-to-90th percentile width equals rate_high - rate_low. The mean
fixes the centre, so the width is matched exactly and the two ends only approximately (exactly
when m = 0.5 and the range is symmetric). See docs/risk.md.

This module uses only numpy and scipy, so the deal model can call it without an import cycle.
Checking a deal needs only the widest width (numpy and scipy.special); scipy.optimize, slow to
import, is loaded by the fit alone, so `python -m obc_calc evaluate` starts fast.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import special

LOW_QUANTILE = 0.1
HIGH_QUANTILE = 0.9
# Concentrations searched. Below K_MIN a Beta is all but a coin toss between 0% and 100%; above
# K_MAX its 10th-90th width is under 0.0002 percentage points, which no rate card can notice.
K_MIN = 1e-2
K_MAX = 1e12
_LOG_K_GRID = np.linspace(np.log(K_MIN), np.log(K_MAX), 281)
# Each zoom evaluates this many points between the best point's neighbours, so four zooms narrow
# the grid's step of 0.115 in log k to about 2e-7; the width is flat at its peak, so it is then
# exact to far below a rate card's 0.1%.
ZOOM_POINTS = 33
ZOOMS = 4
# The simulation reads a rate off a table of its Beta quantile at evenly spaced normal scores,
# linearly interpolated: scipy's exact inverse is ten times slower than drawing the Beta itself,
# and the table is within 2e-7 of it for any realistic range. Scores beyond +-8.5 (odds 1e-17)
# are clipped.
Z_LIMIT = 8.5
TABLE_POINTS = 2**14 + 1
_Z_GRID = np.linspace(-Z_LIMIT, Z_LIMIT, TABLE_POINTS)


def width_at(mean: float, log_k):
    """The 10th-to-90th percentile width of the Beta with this mean and concentration exp(log_k)."""
    k = np.exp(log_k)
    a, b = mean * k, (1.0 - mean) * k
    return special.betaincinv(a, b, HIGH_QUANTILE) - special.betaincinv(a, b, LOW_QUANTILE)


@lru_cache(maxsize=1024)
def widest(mean: float) -> tuple[float, float]:
    """(the largest width a Beta with this mean reaches, the log concentration where it does).

    For a mean between 10% and 90% the width grows towards 100% as k shrinks; nearer 0 or 1 both
    percentiles fall into the same end as k shrinks, so the width peaks at a middling k.
    """
    if not 0.0 < mean < 1.0:
        return 0.0, float(np.log(K_MAX))
    grid = _LOG_K_GRID
    for _ in range(ZOOMS + 1):
        widths = width_at(mean, grid)
        i = int(np.argmax(widths))
        best = float(widths[i]), float(grid[i])
        grid = np.linspace(grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)], ZOOM_POINTS)
    return best


def width_problem(mean: float, width: float, what: str = "an achievement rate") -> str | None:
    """Why no Beta with this mean has this 10th-to-90th percentile width, or None if one does;
    `what` names the share drawn, such as a banded outcome's share of students in paying bands."""
    if width == 0.0:
        return None
    largest, _ = widest(mean)
    if width < largest:
        return None
    return (
        f"a range {width:.1%} wide is impossible for {what} averaging {mean:.1%}: "
        f"its 10th-to-90th percentile range must be under {largest:.1%} wide"
    )


@lru_cache(maxsize=1024)
def beta_shape(mean: float, width: float) -> tuple[float, float] | None:
    """(alpha, beta) of the Beta with this mean and 10th-to-90th percentile width; None if width 0.

    Raises ValueError when no Beta fits (see width_problem). Where two concentrations fit (means
    under 10% or over 90%), the larger one is taken: the one reached by widening a certain rate.
    """
    problem = width_problem(mean, width)
    if problem:
        raise ValueError(problem)
    if width == 0.0:
        return None
    _, log_k_widest = widest(mean)
    log_k_max = float(np.log(K_MAX))
    if width_at(mean, log_k_max) >= width:
        log_k = log_k_max  # narrower than K_MAX can show: as good as certain
    else:
        from scipy import optimize

        log_k = optimize.brentq(
            lambda x: width_at(mean, x) - width, log_k_widest, log_k_max, xtol=1e-12, rtol=1e-12
        )
    k = float(np.exp(log_k))
    return mean * k, (1.0 - mean) * k


def fitted_range(mean: float, width: float) -> tuple[float, float]:
    """The fitted Beta's 10th and 90th percentiles: the range the simulation really draws from."""
    shape = beta_shape(mean, width)
    if shape is None:
        return mean, mean
    low, high = special.betaincinv(*shape, [LOW_QUANTILE, HIGH_QUANTILE])
    return float(low), float(high)


@lru_cache(maxsize=256)
def rate_table(alpha: float, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """The Beta quantile at each normal score of the table's grid, and the steps between neighbours."""
    low = _Z_GRID <= 0
    values = np.empty(TABLE_POINTS)
    # Each tail from its own side so that rates near 100% keep their precision.
    values[low] = special.betaincinv(alpha, beta, special.ndtr(_Z_GRID[low]))
    values[~low] = special.betainccinv(alpha, beta, special.ndtr(-_Z_GRID[~low]))
    steps = np.diff(values, append=values[-1])
    values.flags.writeable = steps.flags.writeable = False
    return values, steps
