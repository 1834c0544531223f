"""The budget workbook's student groups and bands: the Student Groups sheet, and the input cells
groups and bands add to the Rate Card and to each Scenarios row.

Cells follow the order of precedence of obc_calc.core.groups. On the Rate Card, a group's expected
rate (or band share) left unset follows the outcome's own. In a scenario of a deal with groups,
the outcome's overall cell is blank until the scenario gives a rate, and each group's cell shows
that rate once it is given, else the group's expected rate on the Rate Card, until someone types a
rate for that group over it. Groups and bands are fixed when the workbook is made (as outcomes are).
"""

from __future__ import annotations

from openpyxl.utils import column_index_from_string as _index
from openpyxl.utils import get_column_letter as col

from obc_calc.core.bases import BASES
from obc_calc.core.model import Outcome, Scenario
from obc_calc.core.model_rules import name_key
from obc_calc.io.workbook_layout import (
    COUNT,
    GROUP_MULTIPLIER_ROW,
    GROUP_NAME_ROW,
    GROUP_PRICED_ROW,
    GROUP_ROWS,
    GROUP_STUDENTS_ROW,
    GROUP_TOTAL_ROW,
    GROUPS,
    MONEY,
    RATE,
    Layout,
    band_headers,
    define,
    follow_unless_given,
    group_rate_header,
    group_share_header,
    put,
    validate,
)
from obc_calc.io.workbook_notes import HEADER_FONT, put_input_text, put_text, set_widths, text_width

MULTIPLIER = "0.00"
PRICED = "#,##0.##"


def by_group(mapping: dict | None, group: str):
    """A group's entry in a mapping keyed by group name (names compared as the deal compares them)."""
    return next((value for name, value in (mapping or {}).items() if name_key(name) == name_key(group)), None)


def groups_sheet(wb, ws, lay: Layout) -> None:
    """The groups side by side: students and multiplier as inputs, "Other students" by formula."""
    named = lay.deal.student_groups
    for row, label in enumerate(GROUP_ROWS, start=1):
        put_text(ws, row, 1, label).font = HEADER_FONT
    for i, group in enumerate(named):
        column = 2 + i
        put_input_text(ws, GROUP_NAME_ROW, column, group.name).font = HEADER_FONT
        put(ws, GROUP_STUDENTS_ROW, column, group.students, COUNT, "input")
        put(ws, GROUP_MULTIPLIER_ROW, column, group.price_multiplier, MULTIPLIER, "input")
    other, last_named = 2 + len(named), col(1 + len(named))
    put_text(ws, GROUP_NAME_ROW, other, lay.groups[-1]).font = HEADER_FONT
    named_students = f"B{GROUP_STUDENTS_ROW}:{last_named}{GROUP_STUDENTS_ROW}"
    put(ws, GROUP_STUDENTS_ROW, other, f"=Students-SUM({named_students})", COUNT)
    put(ws, GROUP_MULTIPLIER_ROW, other, 1, MULTIPLIER)
    for column in range(2, other + 1):
        letter = col(column)
        priced = f"={letter}{GROUP_STUDENTS_ROW}*{letter}{GROUP_MULTIPLIER_ROW}"
        put(ws, GROUP_PRICED_ROW, column, priced, PRICED)
    put_text(ws, GROUP_TOTAL_ROW, 1, "Priced students, all groups").font = HEADER_FONT
    put(ws, GROUP_TOTAL_ROW, 2, f"=SUM(B{GROUP_PRICED_ROW}:{col(other)}{GROUP_PRICED_ROW})", PRICED)
    define(wb, "PricedStudents", GROUPS, f"B{GROUP_TOTAL_ROW}")
    put_text(ws, GROUP_TOTAL_ROW + 1, 1, "A per-student outcome's unit price is its allocation divided by "
                                         "the priced students; a group's price is that times its multiplier.")
    _prices(ws, lay, GROUP_TOTAL_ROW + 3, other)
    validate(ws, f"B{GROUP_STUDENTS_ROW}:{last_named}{GROUP_STUDENTS_ROW}", "whole", minimum=1)
    set_widths(ws, {1: 40} | {c: text_width(*lay.groups, low=14, high=30) for c in range(2, other + 1)})
    ws.freeze_panes = "B2"


def _prices(ws, lay: Layout, top: int, other: int) -> None:
    """Each per-student or banded outcome's price per achiever (or per student) in each group."""
    put_text(ws, top, 1, "Price per achiever (per student, banded)").font = HEADER_FONT
    priced = [j for j, o in enumerate(lay.deal.outcomes) if BASES[o.basis].per_head or BASES[o.basis].banded]
    for k, j in enumerate(priced):
        row = top + 1 + k
        put_text(ws, row, 1, lay.deal.outcomes[j].name)
        price = lay.rc("Price per achieving student", j)
        for column in range(2, other + 1):
            multiplier = f"{col(column)}${GROUP_MULTIPLIER_ROW}"
            put(ws, row, column, f'=IF({price}="","",{price}*{multiplier})', MONEY)


def rate_card_cells(ws, lay: Layout, j: int, row: int) -> None:
    """One outcome's group rates, bands and band shares on the Rate Card."""
    outcome, c = lay.deal.outcomes[j], lay.rc_col
    column = {h: i + 1 for i, h in enumerate(lay.rc_headers)}
    if outcome.bands is None:
        for group in lay.groups:
            given = by_group(outcome.group_expected_rates, group)
            value = f"={c['Expected rate']}{row}" if given is None else given
            style = "link" if given is None else "input"
            put(ws, row, column[group_rate_header(group)], value, RATE, style)
    shares = outcome.expected_band_shares
    for b, band in enumerate(outcome.bands or [], start=1):
        start, pays, share = band_headers(b)
        put(ws, row, column[start], band.min_value, None, "input")
        put(ws, row, column[pays], band.payout, RATE, "input")
        put(ws, row, column[share], shares[b - 1] if shares else None, RATE, "input")
        for group in lay.groups:
            given = by_group(outcome.group_band_shares, group)
            value = f"={c[share]}{row}" if given is None else given[b - 1]
            put(ws, row, column[group_share_header(b, group)], value, RATE, "input" if given else "link")


def validate_rate_card(ws, lay: Layout) -> None:
    """Payouts from -100% to 100%; group rates and band shares are rates."""
    first, last = lay.rc_first, lay.rc_last
    slots = range(1, max(lay.bands, default=0) + 1)

    def cells(headers: list[str]) -> str:
        return " ".join(f"{lay.rc_col[h]}{first}:{lay.rc_col[h]}{last}" for h in headers)
    validate(ws, cells([band_headers(b)[1] for b in slots]), "payout")
    validate(ws, cells([group_rate_header(g) for g in lay.groups] + [band_headers(b)[2] for b in slots]
                       + [group_share_header(b, g) for g in lay.groups for b in slots]), "rate")


def scenario_inputs(ws, lay: Layout, row: int, scenario: Scenario | None) -> None:
    """A Scenarios row's rates or band shares, outcome by outcome; None: the Expected row."""
    for j, outcome in enumerate(lay.deal.outcomes):
        if lay.sc_inputs[j].rate is None:
            _share_cells(ws, lay, row, j, outcome, scenario)
        else:
            _rate_cells(ws, lay, row, j, outcome, scenario)


def _style(scenario: Scenario | None, given) -> str:
    if given is not None:
        return "input"
    return "derived" if scenario is None else "link"


def _rate_cells(ws, lay: Layout, row: int, j: int, outcome: Outcome, scenario: Scenario | None) -> None:
    columns = lay.sc_inputs[j]
    given = scenario.rates.get(outcome.name) if scenario else None
    if given is not None:
        put(ws, row, _index(columns.rate), given, RATE, "input")
    elif lay.groups:  # blank until the scenario gives a rate: the groups' own rates apply
        put(ws, row, _index(columns.rate), None, RATE, "derived" if scenario is None else "input")
    else:
        put(ws, row, _index(columns.rate), f"={lay.rc('Expected rate', j)}", RATE, _style(scenario, None))
    by_outcome = scenario.group_rates.get(outcome.name) if scenario else None
    for group, letter in columns.group_rates.items():
        rate = by_group(by_outcome, group)
        value = follow_unless_given(f"${columns.rate}{row}", lay.rc(group_rate_header(group), j))
        put(ws, row, _index(letter), value if rate is None else rate, RATE, _style(scenario, rate))


def _share_cells(ws, lay: Layout, row: int, j: int, outcome: Outcome, scenario: Scenario | None) -> None:
    columns = lay.sc_inputs[j]
    given = scenario.band_shares.get(outcome.name) if scenario else None
    for b, letter in enumerate(columns.shares, start=1):
        if given is not None:
            put(ws, row, _index(letter), given[b - 1], RATE, "input")
        elif lay.groups:
            put(ws, row, _index(letter), None, RATE, "derived" if scenario is None else "input")
        else:
            put(ws, row, _index(letter), f"={lay.rc(band_headers(b)[2], j)}", RATE, _style(scenario, None))
    by_outcome = scenario.group_band_shares.get(outcome.name) if scenario else None
    for group, letters in columns.group_shares.items():
        shares = by_group(by_outcome, group)
        for b, letter in enumerate(letters, start=1):
            own = f"${columns.shares[b - 1]}{row}"
            follows = follow_unless_given(own, lay.rc(group_share_header(b, group), j))
            value = follows if shares is None else shares[b - 1]
            put(ws, row, _index(letter), value, RATE, _style(scenario, shares))
