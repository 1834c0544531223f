"""Guardrails: warnings a deal should not go out with, and advice worth a second look."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from obc_calc.core.bases import BASES
from obc_calc.core.groups import measure
from obc_calc.core.model import Deal, Outcome, Scenario

SHARE_LOW = 0.05  # below this the incentive is too small to matter (Results for America)
SHARE_HIGH = 0.60  # above this the provider may not be able to run the program
SEF_MINIMUM = 0.40  # the SEF pilot asked for at least this contingent share
TYPICAL_BAND = (0.20, 0.60)  # what districts commonly put at risk (EdWeek 2024)
EASY_PAYOUT = 0.95  # a per-student outcome expected to pay more than this is nearly base
HARD_PAYOUT = 0.10  # ...and one expected to pay less than this is nearly out of reach
COHORT_GAP = 0.15  # a cohort target further than this from the expected rate is a sure thing or a long shot


@dataclass(frozen=True)
class Flag:
    level: str  # "warning" or "info"
    code: str
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


def deal_flags(deal: Deal) -> list[Flag]:
    """All flags for a deal: the split first, then each outcome, then the weights."""
    flags = share_flags(deal.performance_share)
    if not deal.commitments:
        flags.append(Flag(
            "info", "no_district_commitments",
            "No district commitments are recorded. Write down what the district will do "
            "(schedule students, share data on time) so both sides are accountable.",
        ))
    for outcome in deal.outcomes:
        flags += outcome_flags(deal, outcome)
    flags += weight_flags(deal) + group_flags(deal)
    return flags


def share_flags(share: float) -> list[Flag]:
    """Flags on the performance share alone; exactly 5% and exactly 60% are fine."""
    if share < SHARE_LOW:
        return [Flag(
            "warning", "performance_share_low",
            f"Only {share:.1%} of the price depends on outcomes. Below 5% the incentive is "
            "too small to change what the provider does.",
        )]
    flags = []
    if share > SHARE_HIGH:
        flags.append(Flag(
            "warning", "performance_share_high",
            f"{share:.1%} of the price depends on outcomes. Above 60% the base may be too small "
            "for the provider to run the program.",
        ))
    if share < SEF_MINIMUM:
        flags.append(Flag(
            "info", "performance_share_below_sef",
            f"The performance share ({share:.1%}) is below the 40% the Southern Education "
            "Foundation's pilot districts committed to.",
        ))
    return flags


def expected_payout_share(deal: Deal, outcome: Outcome) -> float:
    """The share of its allocation an outcome pays in the expected case (below 0 when a banded
    outcome is expected to take money back), its groups and bands included."""
    paying = measure(deal, outcome, Scenario(name="Expected")).paying
    return float(BASES[outcome.basis].pay(outcome, 1.0, paying))


def outcome_flags(deal: Deal, outcome: Outcome) -> list[Flag]:
    flags = []
    record = BASES[outcome.basis]
    if record.step_at_target:
        rate = measure(deal, outcome, Scenario(name="Expected")).rate  # the groups' overall rate
        gap = round(rate - outcome.target_rate, 9)  # 0.55 - 0.4 is 0.15000000000000002
        if gap > COHORT_GAP:
            flags.append(_easy(outcome, f"its target ({outcome.target_rate:.0%}) is far below the "
                                        f"expected rate ({rate:.0%})"))
        elif -gap > COHORT_GAP:
            flags.append(_hard(outcome, f"its target ({outcome.target_rate:.0%}) is far above the "
                                        f"expected rate ({rate:.0%})"))
    else:
        paid = expected_payout_share(deal, outcome)
        if paid > EASY_PAYOUT:
            flags.append(_easy(outcome, f"it is expected to pay {paid:.0%} of its allocation"))
        elif paid < 0:
            flags.append(_hard(outcome, f"it is expected to take back {-paid:.0%} of its allocation"))
        elif paid < HARD_PAYOUT:
            flags.append(_hard(outcome, f"it is expected to pay only {paid:.0%} of its allocation"))
    top = record.full_payout_share(outcome)
    if top < 1.0:
        flags.append(Flag(
            "info", "tier_cap_below_full",
            f"{outcome.name}: the top tier pays {top:.0%}, so this outcome "
            "can never pay its whole allocation, yet the maximum still includes it.",
        ))
    if any(band.payout < 0 for band in outcome.bands or []) and deal.max_penalty == 0:
        flags.append(Flag(
            "info", "penalty_only_offsets",
            f"{outcome.name}: a band takes money back, but the maximum penalty is $0, so penalties only "
            "offset what other outcomes earn and never reduce the base; set max_penalty if the "
            "district negotiated a real clawback.",
        ))
    return flags


def _easy(outcome: Outcome, why: str) -> Flag:
    return Flag("info", "threshold_too_easy",
                f"{outcome.name}: the threshold looks too easy, since {why}. "
                "Money that is almost sure to be paid works like base funding.")


def _hard(outcome: Outcome, why: str) -> Flag:
    return Flag("info", "threshold_too_hard",
                f"{outcome.name}: the threshold looks too hard, since {why}. "
                "A payment the provider cannot reach gives it no reason to try.")


def weight_flags(deal: Deal) -> list[Flag]:
    """More weight on an outcome expected to pay a smaller share than a lighter one."""
    paid = {o.name: expected_payout_share(deal, o) for o in deal.outcomes}
    flags = []
    for heavy in deal.outcomes:
        easier = [o for o in deal.outcomes if o.weight < heavy.weight and paid[o.name] > paid[heavy.name]]
        if not easier:
            continue
        light = max(easier, key=lambda o: paid[o.name])
        flags.append(Flag(
            "info", "weight_on_harder_outcome",
            f"{heavy.name} carries more weight ({heavy.weight:.0%}) than {light.name} "
            f"({light.weight:.0%}) but is expected to pay a smaller share of its allocation "
            f"({paid[heavy.name]:.0%} against {paid[light.name]:.0%}). Put more of the pool on "
            "the outcomes providers can more readily reach.",
        ))
    return flags


def group_flags(deal: Deal) -> list[Flag]:
    """A multiplier below 1 prices a group below everyone else: usually a typing mistake."""
    return [Flag(
        "info", "group_multiplier_below_one",
        f"{group.name}: the price multiplier is {group.price_multiplier:g}, below 1, so the provider is paid "
        "less for these students than for others; groups are usually priced apart because they are "
        "harder to serve, with a multiplier above 1.",
    ) for group in deal.student_groups if group.price_multiplier < 1]
