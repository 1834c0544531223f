"""The Rate card page's editors of student groups and bands, with what each prices.

Each editor starts from the deal and edits one part of it; a change any table on the page makes
starts every one of these editors again from the new deal (`refresh`), so that no table keeps
showing, or writing back, what another table has since changed.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from obc_calc.core.bases import BASES
from obc_calc.core.groups import OTHER_STUDENTS, groups
from ui import band_tables, charts, group_tables, messages, state, tables, widgets

GROUPS_HELP = (
    "Students priced apart, such as students with disabilities or English learners. A per-student "
    "outcome pays more for each achiever in a group with a price multiplier above 1, so the provider "
    f"gains by serving harder-to-serve students well rather than picking the easiest ones. "
    f"{OTHER_STUDENTS!r} are the deal's students no group names, at a multiplier of 1. Everyone "
    "achieving still costs exactly the outcome's allocation: the prices are spread so that they add up "
    "to it.")
GROUP_RATES_HELP = (
    "The share of each group you expect to meet each outcome's threshold; blank means the outcome's "
    "expected rate. Outcomes other than per student pay on the groups' overall rate.")
BANDS_HELP = (
    "A banded outcome pays each student by how much they grew: a student whose measured value is at "
    "least a band's 'From value' (and below the next band's) earns that band's payout times the price "
    "per student. More growth pays more; a negative payout takes money back when a student declines "
    "(a penalty). Below the first band pays nothing; a blank 'From value' on the first band means any "
    "value. Payouts may not fall from one band to the next, and the last band pays 100%. The expected "
    "shares say how many of the outcome's students you expect in each band (they add up to at most 100%).")
MAX_PENALTY_HELP = (
    "How much the penalties of banded outcomes may take back from the district's payments in all. At 0 "
    "they only offset what other outcomes earned and never cut into the base; set it to the clawback "
    "the contract allows.")


def rows_of(frame: pd.DataFrame) -> list[list]:
    """The cells as plain values (blank as None): to tell whether the user changed an editor."""
    return [[None if tables.blank(v) else v for v in row] for row in frame.itertuples(index=False)]


def editor(name: str, build, to_deal, **editor_args) -> None:
    """A data editor of one part of the deal: a change is checked by the core and kept if valid."""
    frame = tables.base_frame(name, build)
    edited = st.data_editor(frame, key=tables.editor_key(name), hide_index=True, placeholder="",
                            **editor_args)
    edited.attrs = dict(frame.attrs)
    if rows_of(edited) != rows_of(frame):
        candidate = to_deal(edited, state.deal_data())
        if candidate != state.deal_data():
            messages.show_problems(state.apply(candidate))


def refresh(names: list[str], builds: list) -> None:
    """Start the editors again from the deal as it is now, and show them so (after a change)."""
    for name, build in zip(names, builds, strict=True):
        tables.replace_frame(name, build())
    st.rerun()


def outcome_data(name: str) -> dict:
    """The outcome's JSON form; an outcome just renamed or removed has no bands left to show."""
    return next((o for o in state.deal_data()["outcomes"] if o["name"] == name), {"name": name})


# ---- student groups -----------------------------------------------------------------------------

def groups_section() -> tuple[list[str], list]:
    """The groups' editor, their prices, and each outcome's expected rates by group; the editors shown."""
    st.header("Student groups", help=GROUPS_HELP)
    deal = state.current()
    st.caption(f"Name each group, its number of students and its price multiplier. {OTHER_STUDENTS} are the "
               f"rest of the deal's {deal.students:,} students (set on the Deal & split page), at 1.")
    names, builds = [state.GROUPS_TABLE], [lambda: group_tables.groups_frame(state.deal_data())]
    editor(state.GROUPS_TABLE, builds[0], group_tables.groups_from_frame, num_rows="dynamic",
           column_order=group_tables.GROUP_COLUMNS, column_config={
               "Group": st.column_config.TextColumn("Group", help="A unique name, such as "
                                                    "'English learners'."),
               "Students": st.column_config.NumberColumn("Students", min_value=1, step=1, format="%d",
                                                         help="How many of the deal's students are in it."),
               "Price multiplier": st.column_config.NumberColumn(
                   "Price multiplier", min_value=0.01, step=0.05, format="%.2f", default=1.0,
                   help="Its price per achiever relative to other students: 1.5 pays half as much again.")})
    deal = state.current()
    if not deal.student_groups:
        return names, builds
    st.markdown("**Price by group** (unit price × multiplier)")
    prices = group_tables.group_prices_frame(deal)
    st.dataframe(prices, hide_index=True, column_config=widgets.right_aligned(prices.columns[1:]))
    if any(not BASES[o.basis].banded for o in deal.outcomes):
        names.append(state.GROUP_RATES_TABLE)
        builds.append(lambda: group_tables.group_rates_frame(state.current()))
        group_rates_editor(deal, builds[-1])
    return names, builds


def group_rates_editor(deal, build) -> None:
    st.markdown("**Expected rates by group**", help=GROUP_RATES_HELP)
    percent = {"min_value": 0.0, "max_value": 100.0, "step": 0.1, "format": "%.1f%%"}
    config = {"Expected rate (%)": st.column_config.NumberColumn(
        "Expected rate (%)", format="%.1f%%", help="The outcome's own expected rate, for groups left blank.")}
    for group in groups(deal):
        column = group_tables.rate_column(group.name)
        config[column] = st.column_config.NumberColumn(
            column, **percent, help=f"The share of {group.name} expected to meet the threshold; blank: the "
                                    "outcome's rate.")
    editor(state.GROUP_RATES_TABLE, build, group_tables.group_rates_from_frame, num_rows="fixed",
           disabled=["Outcome", "Expected rate (%)"], column_config=config)


# ---- bands --------------------------------------------------------------------------------------

def bands_section() -> tuple[list[str], list]:
    """Each banded outcome's bands and expected shares, what each band pays, and the penalty limit."""
    deal = state.current()
    banded = [o for o in deal.outcomes if BASES[o.basis].banded]
    names, builds = [], []
    if not banded:
        return names, builds
    st.header("Bands", help=BANDS_HELP)
    st.caption("Edit each banded outcome's bands: where each starts, its payout and the share of students "
               "you expect in it. Add a band with the + under its table.")
    for outcome in banded:
        st.markdown(f"**{messages.markdown_text(outcome.name)}**")
        name = state.BANDS_TABLE + outcome.name
        names.append(name)
        builds.append(lambda n=outcome.name: band_tables.bands_frame(outcome_data(n)))
        editor(name, builds[-1], band_tables.bands_from_frame, num_rows="dynamic", column_config={
            "From value": st.column_config.NumberColumn(
                "From value", help="The lowest measured value in the band, in the metric's units; blank on "
                                   "the first band: any value."),
            "Payout (%)": st.column_config.NumberColumn(
                "Payout (%)", min_value=-100.0, max_value=100.0, step=1.0, format="%.0f%%",
                help="Share of the price per student paid for a student in this band; negative takes money "
                     "back (a penalty)."),
            "Expected share (%)": st.column_config.NumberColumn(
                "Expected share (%)", min_value=0.0, max_value=100.0, step=0.1, format="%.1f%%",
                help="Share of the outcome's students you expect in this band.")})
        band_prices(outcome.name)
    penalty_input()
    return names, builds


def band_prices(name: str) -> None:
    deal = state.current()
    outcome = deal.outcome_named(name)
    prices = band_tables.band_prices_frame(deal, outcome)
    st.dataframe(prices, hide_index=True,
                 column_config=widgets.right_aligned(["Payout", "Expected share", "Price per student"]))
    band_chart(deal, outcome)


PAYMENT_COLOUR, PENALTY_COLOUR = charts.PALETTE[0], charts.ALERT_RED


def band_chart(deal, outcome) -> None:
    """Payment per student by band: penalties in red, hatched and labelled, so not by colour alone."""
    bands = band_tables.band_prices(deal, outcome)
    penalty = [b.price < 0 for b in bands]
    fig = go.Figure(go.Bar(
        x=[b.label for b in bands], y=[b.price for b in bands], showlegend=False,
        marker={"color": [PENALTY_COLOUR if p else PAYMENT_COLOUR for p in penalty],
                "pattern": {"shape": ["/" if p else "" for p in penalty]}},
        text=[f"penalty −${-b.price:,.2f}" if b.price < 0 else f"${b.price:,.2f}" for b in bands],
        textposition="outside", cliponaxis=False))
    fig.add_hline(y=0, line_color=charts.INK, line_width=1)
    charts.show_chart(fig, f"{outcome.name}: payment per student by band (hatched red: penalty)",
                      "Band of the measured value", "Payment per student ($)",
                      key=state.BAND_CHART + outcome.name)


def penalty_input() -> None:
    deal = state.current()
    widgets.money_input(st, "Most the penalties may take back ($)", state.F_MAX_PENALTY,
                        float(deal.max_penalty), state.commit, (state.F_MAX_PENALTY, ("max_penalty",)),
                        MAX_PENALTY_HELP)
    messages.show_problems(state.problems(state.F_MAX_PENALTY))
