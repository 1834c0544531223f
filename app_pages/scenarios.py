"""Scenarios: what the district pays if outcomes, enrollment or its own commitments turn out differently."""

import pandas as pd
import streamlit as st

from ui import charts, messages, state, tables, widgets

TABLE_FIELDS = ("name", "rates", "students_served", "commitments_met")  # the rest is carried over


def rate_column(name: str) -> str:
    return f"{name} (%)"


def build_frame() -> pd.DataFrame:
    deal = state.current()
    rows = []
    for scenario in deal.scenarios:
        row = {"Scenario": scenario.name, "Students served": scenario.students_served,
               "Commitments met": scenario.commitments_met, "original": scenario.name}
        for outcome in deal.outcomes:
            rate = scenario.rates.get(outcome.name)
            row[rate_column(outcome.name)] = None if rate is None else rate * 100
        rows.append(row)
    columns = ["Scenario", "Students served", "Commitments met"]
    columns += [rate_column(o.name) for o in deal.outcomes]
    frame = pd.DataFrame(rows, columns=[*columns, "original"])
    for column in columns[1:]:
        frame[column] = frame[column].astype("bool" if column == "Commitments met" else "float64")
    # Scenario fields this table does not show are carried over from the deal as it was.
    frame.attrs["scenarios"] = {s["name"]: s for s in state.deal_data().get("scenarios", [])}
    return frame


def scenarios_from(edited: pd.DataFrame, originals: dict) -> list[dict]:
    scenarios = []
    rate_columns = {rate_column(o.name): o.name for o in state.current().outcomes}
    for _, row in edited.iterrows():
        if all(tables.blank(row[c]) for c in ["Scenario", "Students served", *rate_columns]):
            continue  # a row just added and not filled in yet
        original = originals.get(row["original"], {}) if not tables.blank(row["original"]) else {}
        scenario = {k: v for k, v in original.items() if k not in TABLE_FIELDS}
        met = row["Commitments met"]
        scenario |= {"name": tables.text(row["Scenario"]),
                     "rates": {n: row[c] / 100 for c, n in rate_columns.items() if not tables.blank(row[c])},
                     "commitments_met": True if tables.blank(met) else bool(met)}
        if not tables.blank(row["Students served"]):
            scenario["students_served"] = tables.count(row["Students served"])
        scenarios.append(scenario)
    return scenarios


def unused_name(edited: pd.DataFrame, stem: str) -> str:
    taken = {tables.text(n) for n in edited["Scenario"]}
    number = 1
    while f"{stem} {number}".strip() in taken:
        number += 1
    return f"{stem} {number}".strip()


def replace(edited: pd.DataFrame, frame: pd.DataFrame) -> None:
    frame.attrs = dict(edited.attrs)
    tables.replace_frame("scenarios", frame)


def add_row(edited: pd.DataFrame) -> None:
    row = dict.fromkeys(edited.columns)
    row |= {"Scenario": unused_name(edited, "Scenario"), "Commitments met": True}
    replace(edited, pd.concat([edited, pd.DataFrame([row])], ignore_index=True))


def copy_row(edited: pd.DataFrame) -> None:
    source = st.session_state.get("scenario_pick")
    match = edited[edited["Scenario"] == source]
    if match.empty:
        return
    row = match.iloc[[0]].copy()
    row["Scenario"] = unused_name(edited, f"{source} copy")
    replace(edited, pd.concat([edited, row], ignore_index=True))


def remove_row(edited: pd.DataFrame) -> None:
    source = st.session_state.get("scenario_pick")
    replace(edited, edited[edited["Scenario"] != source].reset_index(drop=True))


def column_config(deal) -> dict:
    config = {
        "Scenario": st.column_config.TextColumn("Scenario", required=True, pinned=True,
                                                help="A unique name, such as 'Low' or 'Fewer students'."),
        "Students served": st.column_config.NumberColumn(
            "Students served", min_value=0, max_value=deal.students, step=1, format="%d",
            help=f"Students actually served; blank means all {deal.students:,} planned students."),
        "Commitments met": st.column_config.CheckboxColumn(
            "Commitments met", default=True,
            help="Did the district keep its commitments? If not, it pays the full contract value."),
    }
    for outcome in deal.outcomes:
        config[rate_column(outcome.name)] = st.column_config.NumberColumn(
            rate_column(outcome.name), min_value=0.0, max_value=100.0, step=0.1, format="%.1f%%",
            help=f"Achievement rate for {outcome.name}: the share of eligible students meeting the "
                 f"threshold. Blank means its expected rate ({widgets.percent(outcome.expected_rate)}).")
    return config


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
        "Scenario": st.column_config.TextColumn(pinned=True),
        "Served": right("Students served."),
        "Savings": right("What the district does not pay: the maximum minus this scenario's total."),
        "Pool earned": right("Share of the performance pool paid to the provider."),
        "Per student": right("Total divided by the students served."),
    }
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config=config)
    st.markdown("**Price per achieving student**, outcome by outcome (payment divided by the students who "
                "met the threshold; n/a when none did)")
    st.dataframe(pd.DataFrame(per_achiever), hide_index=True,
                 column_config={o.name: right() for o in deal.outcomes})


st.title("Scenarios")
deal = state.current()
st.caption(
    "Each row is a what-if: an achievement rate per outcome (blank = its expected rate), how many students "
    "were served, and whether the district kept its commitments. Edit cells directly, or use the buttons."
)
frame = tables.base_frame("scenarios", build_frame)
edited = st.data_editor(frame, key=tables.editor_key("scenarios"), num_rows="dynamic", hide_index=True,
                        column_config=column_config(deal), column_order=list(frame.columns[:-1]),
                        placeholder="")
edited.attrs = dict(frame.attrs)
scenarios = scenarios_from(edited, frame.attrs.get("scenarios", {}))
if scenarios != state.deal_data().get("scenarios", []):
    candidate = state.deal_data()
    candidate["scenarios"] = scenarios
    messages.show_problems(state.apply(candidate))

columns = st.columns([1, 2, 1, 1])
columns[0].button("Add scenario", on_click=add_row, args=(edited,), icon=":material/add:",
                  help="Add a row with every outcome at its expected rate, to edit.")
names = [tables.text(n) for n in edited["Scenario"] if not tables.blank(n)]
columns[1].selectbox("Scenario to copy or remove", names, key="scenario_pick", label_visibility="collapsed",
                     placeholder="No scenarios yet", help="Pick a scenario for the Copy and Remove buttons.")
columns[2].button("Copy", on_click=copy_row, args=(edited,), icon=":material/content_copy:",
                  disabled=not names, help="Add a copy of the picked scenario under a new name.")
columns[3].button("Remove", on_click=remove_row, args=(edited,), icon=":material/delete:",
                  disabled=not names, help="Remove the picked scenario.")

deal = state.current()
results = charts.scenario_results(deal)
st.subheader("Results")
st.caption("Maximum: everything paid (what to encumber). Expected: every outcome at its expected rate. "
           "Floor: no outcome reached, the base alone.")
results_table(results)
charts.stacked_chart(deal, results, key="stacked")
st.subheader("How the split changes the district's exposure")
charts.grid_chart(deal, key="grid")
