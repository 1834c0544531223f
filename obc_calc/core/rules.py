"""Moved to obc_calc.core.bases. Kept only while obc_calc/core/grid.py and app_pages/rate_card.py,
which this change may not edit, still import from here; delete it once they import from bases."""

from obc_calc.core.bases import describe_basis, outcome_payment

__all__ = ["describe_basis", "outcome_payment"]
