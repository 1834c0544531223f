"""Scenarios: what the district pays if outcomes, enrollment or its own commitments turn out differently."""

import pandas as pd
import streamlit as st

from obc_calc.core.groups import groups
from ui import band_tables, charts, converters, messages, state, tables, widgets


def replace(frame: pd.DataFrame | None) -> None:
    if frame is not None:
        tables.replace_frame(state.SCENARIOS_TABLE, frame)


def add_row(edited: pd.DataFrame) -> None:
    replace(converters.with_new_scenario(edited))


def copy_row(edited: pd.DataFrame) -> None:
    replace(converters.with_copied_scenario(edited, st.session_state.get(state.SCENARIO_PICK)))


def remove_row(edited: pd.DataFrame) -> None:
    replace(converters.without_scenario(edited, st.session_state.get(state.SCENARIO_PICK)))


def column_config(deal) -> dict:
    config = {
        "Scenario": st.column_config.TextColumn(
            "Scenario", pinned=True, width=tables.fit_width(s.name for s in deal.scenarios),
            help="A unique name, such as 'Low' or 'Fewer students'."),
        "Students served": st.column_config.NumberColumn(
            "Students served", min_value=0, max_value=deal.students, step=1, format="%d",
            help=f"Students actually served; blank means all {deal.students:,} planned students."),
        "Commitments met": st.column_config.CheckboxColumn(
            "Commitments met", default=True,
            help="Did the district keep its commitments? If not, it pays the full contract value."),
    }
    percent = {"min_value": 0.0, "max_value": 100.0, "step": 0.1, "format": "%.1f%%"}
    columns = converters.scenario_columns(state.deal_data(), group_names(deal))
    for column, (field, name, group) in columns.items():
        outcome = deal.outcome_named(name)
        if field == "band_shares":
            bands = ", ".join(band_tables.band_label(outcome, i) for i in range(len(outcome.bands)))
            config[column] = st.column_config.TextColumn(
                column, width="medium", help=f"{name} pays by bands ({bands}). {band_tables.SHARES_HELP}")
        elif group is None:
            config[column] = st.column_config.NumberColumn(column, **percent, help=(
                f"Achievement rate for {name}: the share of eligible students meeting the threshold. Blank "
                f"means its expected rate ({widgets.percent(outcome.expected_rate)})"
                + (", or each group's expected rate." if group_names(deal) else ".")))
        else:
            config[column] = st.column_config.NumberColumn(column, **percent, help=(
                f"Achievement rate of {group} on {name}. Blank means the scenario's rate for {name}, "
                "or else the group's expected rate on the Rate card."))
    return config


def group_names(deal) -> list[str]:
    return [g.name for g in groups(deal)]


def results_table(results) -> None:
    deal = state.current()
    rows, per_achiever = [], []
    for r in results:
        row = {"Scenario": r.name, "Served": f"{r.students_served:,}",
               "Commitments": "met" if r.commitments_met else "missed", "Base": widgets.money(r.base)}
        row |= {o.name: widgets.money(o.payment) for o in r.outcomes}
        row |= {"Total": widgets.money(r.total), "Savings": widgets.money(r.district_savings),
                "Pool earned": widgets.percent(r.pool_earned_share),
                "Per student": widgets.money(r.cost_per_student_served, cents=True)}
        rows.append(row)
        per_achiever.append({"Scenario": r.name} | {
            o.name: widgets.money(o.cost_per_achiever, cents=True) for o in r.outcomes})

    def right(help_text: str | None = None):
        return st.column_config.TextColumn(alignment="right", help=help_text)

    config = {c: right() for c in ["Base", *(o.name for o in deal.outcomes), "Total"]} | {
        "Scenario": name_column(results),
        "Served": right("Students served."),
        "Savings": right("What the district does not pay: the maximum minus this scenario's total."),
        "Pool earned": right("Share of the performance pool paid to the provider."),
        "Per student": right("Total divided by the students served."),
    }
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config=config)
    st.markdown("**Price per achieving student**, outcome by outcome (payment divided by the students who "
                "met the threshold; n/a when none did)")
    st.dataframe(pd.DataFrame(per_achiever), hide_index=True,
                 column_config={o.name: right() for o in deal.outcomes} | {"Scenario": name_column(results)})


def name_column(results):
    # Wide enough for the longest name: a table fitted to the page would cut long names short.
    return st.column_config.TextColumn(pinned=True, width=tables.fit_width(r.name for r in results))


def keep_pick(names: list[str]) -> None:
    """The picked scenario is one in the table: the first when none is (a blank deal's first added row,
    a removed or renamed one), so that Copy and Remove always act on the scenario shown."""
    if st.session_state.get(state.SCENARIO_PICK) not in names:
        st.session_state[state.SCENARIO_PICK] = names[0] if names else None


st.title("Scenarios")
deal = state.current()
st.caption(
    "Each row is a what-if: an achievement rate per outcome (blank = its expected rate), how many students "
    "were served, and whether the district kept its commitments. Edit cells directly, or use the buttons."
    + (" Columns named outcome: group set one student group's rate on that outcome."
       if deal.student_groups else "")
    + (" A banded outcome takes the share of its students in each band instead of a rate."
       if any(o.bands for o in deal.outcomes) else "")
)
frame = tables.base_frame(state.SCENARIOS_TABLE,
                          lambda: converters.scenarios_frame(state.deal_data(), group_names(deal)))
edited = st.data_editor(frame, key=tables.editor_key(state.SCENARIOS_TABLE), num_rows="dynamic",
                        hide_index=True, column_config=column_config(deal),
                        column_order=list(frame.columns[:-1]), placeholder="")
edited.attrs = dict(frame.attrs)
scenarios, parse_errors = converters.scenarios_from_frame(edited)
if parse_errors:
    messages.show_problems(parse_errors)
elif scenarios != state.deal_data().get("scenarios", []):
    candidate = state.deal_data()
    candidate["scenarios"] = scenarios
    messages.show_problems(state.apply(candidate))

columns = st.columns([1, 2, 1, 1])
columns[0].button("Add scenario", on_click=add_row, args=(edited,), icon=":material/add:",
                  help="Add a row with every outcome at its expected rate, to edit.")
names = converters.scenario_names(edited)
keep_pick(names)
columns[1].selectbox("Scenario to copy or remove", names, key=state.SCENARIO_PICK,
                     label_visibility="collapsed", placeholder="No scenarios yet",
                     help="Pick a scenario for the Copy and Remove buttons.")
columns[2].button("Copy", on_click=copy_row, args=(edited,), icon=":material/content_copy:",
                  disabled=not names, help="Add a copy of the picked scenario under a new name.")
columns[3].button("Remove", on_click=remove_row, args=(edited,), icon=":material/delete:",
                  disabled=not names, help="Remove the picked scenario.")

deal = state.current()
results = charts.scenario_results(deal)
st.header("Results")
st.caption("Maximum: everything paid (what to encumber). Expected: every outcome at its expected rate. "
           + ("Floor: no outcome reached (banded outcomes' students all in their lowest band), the base less "
              "what penalties may take back." if any(o.bands for o in deal.outcomes)
              else "Floor: no outcome reached, the base alone."))
results_table(results)
charts.stacked_chart(deal, results, key=state.SCENARIOS_STACKED)
st.header("How the split changes the district's exposure")
charts.grid_chart(deal, key=state.SCENARIOS_GRID)
