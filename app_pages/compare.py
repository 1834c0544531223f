"""Compare: two to four deals side by side, for a workshop's "which would you sign?".

Deals come from saved variants of the current deal (snapshots kept in the non-widget key
`variants`, so they survive moving between pages), the current deal itself, the sample deals and
uploaded deal files (kept in `compare_uploads`). The chosen columns are kept with the other kept
widget values (state.kept_values) under the multiselect's key; none kept, or None, means the default,
which shows the saved variants as soon as there are two.
"""

from __future__ import annotations

import string

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import obc_calc.core.simulate as sim
from obc_calc.core import compare
from obc_calc.core.errors import DealError
from obc_calc.core.flags import deal_flags
from obc_calc.core.limits import MAX_UPLOAD_MB
from obc_calc.core.model import Deal
from obc_calc.io.dealfile import deal_from_json, deal_to_json, load_deal
from obc_calc.store.library import LibraryError
from ui import charts, library_state, messages, state, widgets

CURRENT = "Current deal"  # the current deal's key among the deals on offer; shown by its name
PICK = state.COMPARE_PICK  # the multiselect of the deals to compare
MAX_DEALS = 4
SIM_TRIALS = 20_000
SIM_SEED = 1
SIMULATED_ROWS = ("Simulated median", "Simulated 95th percentile")
WARNING_WORDS = {
    "performance_share_low": "share below 5%",
    "performance_share_high": "share above 60%",
}
HIGHLIGHT = "background-color: #fff3c4; font-weight: 600"
# Far apart in hue and dash, so the lines stay apart on a projector and in grey print.
LINE_COLORS = charts.PALETTE[:4]
LINE_DASHES = ("solid", "dash", "dot", "dashdot")


# ---- the deals on offer ----------------------------------------------------------------------

def variants() -> dict[str, Deal]:
    return st.session_state.setdefault(state.VARIANTS, {})


def uploads() -> dict[str, Deal]:
    return st.session_state.setdefault(state.COMPARE_UPLOADS, {})


@st.cache_data(show_spinner=False)
def sample_deal(name: str) -> Deal:
    return load_deal(state.SAMPLES[name])


def sources() -> dict[str, Deal]:
    """Every deal that can be a column, by the name it is shown under."""
    deals = dict(variants())
    deals[CURRENT] = state.current()
    deals.update({name: sample_deal(name) for name in state.SAMPLES})
    deals.update(uploads())
    deals.update(st.session_state.get(state.COMPARE_LIBRARY, {}))
    return deals


def label(key: str) -> str:
    """How a deal on offer is shown: by its key, the current deal by its name."""
    if key != CURRENT:
        return key
    return compare.current_column(state.current().name, [name for name in sources() if name != CURRENT])


def default_pick() -> list[str]:
    """The saved variants once there are two; else the current deal beside a variant or the samples."""
    saved = list(variants())
    if len(saved) >= 2:
        return saved[-MAX_DEALS:]
    if saved:
        return [saved[0], CURRENT]
    others = [name for name in state.SAMPLES if sample_deal(name) != state.current()]
    return ([CURRENT] + others)[:MAX_DEALS]


def picked() -> list[str]:
    chosen = state.kept_values().get(PICK)
    on_offer = sources()
    return default_pick() if chosen is None else [name for name in chosen if name in on_offer]


def choose(names: list[str] | None) -> None:
    state.kept_values()[PICK] = names


# ---- variants: save, rename, remove ----------------------------------------------------------

def next_variant_name() -> str:
    taken = set(sources())
    return next(f"Variant {letter}" for letter in string.ascii_uppercase if f"Variant {letter}" not in taken)


def save_variant() -> None:
    name = next_variant_name()
    variants()[name] = state.current()
    choose(None)  # back to the default: the saved variants
    state.flash(f"Saved the current deal as {name}.")


def rename_variant(old: str, key: str) -> None:
    new = st.session_state[key].strip()
    if new == old:
        return
    if not new:
        state.set_problems(state.VARIANTS, [f"{old}: a variant needs a name."])
        return
    if new in sources():
        state.set_problems(state.VARIANTS, [f"{old}: another deal on offer is already called '{new}'."])
        return
    saved = variants()
    st.session_state[state.VARIANTS] = {new if name == old else name: deal for name, deal in saved.items()}
    chosen = state.kept_values().get(PICK)
    if chosen is not None:
        choose([new if name == old else name for name in chosen])
    state.set_problems(state.VARIANTS, [])


def remove_variant(name: str) -> None:
    variants().pop(name, None)
    chosen = state.kept_values().get(PICK)
    if chosen is not None:
        choose([n for n in chosen if n != name])


def describe(deal: Deal) -> str:
    return (f"{deal.name}: {widgets.money(deal.total_cost)} for {deal.students:,} students, "
            f"{widgets.percent(deal.performance_share)} on outcomes")


def variants_section() -> None:
    st.header("Variants of the current deal")
    st.caption("Save the deal as it stands, change it on the other pages (the split on Deal & split, "
               "a threshold on Rate card), come back and save again: the saved variants are compared "
               "below.")
    st.button(f"Save current deal as {next_variant_name()}", on_click=save_variant, type="primary",
              icon=":material/bookmark_add:",
              help=f"Keeps a snapshot of the current deal ({state.current().name}) to compare with later "
                   "changes. Snapshots last until the browser tab is closed.")
    state.show_flash()
    for name, deal in variants().items():
        key = state.VARIANT_NAME + name
        state.seed(key, name)
        left, middle, right = st.columns([2, 5, 1], vertical_alignment="bottom")
        left.text_input("Variant name", key=key, on_change=rename_variant, args=(name, key),
                        label_visibility="collapsed", help="Type a new name and press Enter to rename.")
        middle.caption(describe(deal))
        right.button("Remove", key=state.VARIANT_REMOVE + name, on_click=remove_variant, args=(name,),
                     icon=":material/delete:")
    messages.show_problems(state.problems(state.VARIANTS))


# ---- uploads ---------------------------------------------------------------------------------

def upload_changed() -> None:
    """Add every readable uploaded deal to the columns; explain each file that is not one."""
    lines, added = [], []
    for upload in st.session_state.get(state.COMPARE_UPLOAD) or []:
        try:
            deal = deal_from_json(upload.getvalue(), upload.name)
        except DealError as error:
            details = " ".join(messages.sentence(problem, {}) for problem in error.problems[:5])
            lines.append(f"{upload.name} is not a deal this app can open. {details}")
            continue
        label = upload.name
        if label in sources() and uploads().get(label) != deal:
            label = f"{upload.name} ({deal.name})"
        uploads()[label] = deal
        added.append(label)
    state.set_problems(state.COMPARE_UPLOAD, lines)
    chosen = picked()
    new = [label for label in added if label not in chosen][:MAX_DEALS]
    if new:  # the new files join the columns, pushing out the last ones when there are four
        choose(chosen[:MAX_DEALS - len(new)] + new)


def load_library() -> None:
    """on_click: every deal of the library's open workspace (its newest version) joins the deals on offer."""
    try:
        deals = library_state.workspace_deals()
    except LibraryError as error:
        deals, lines = {}, [str(error)]
    else:
        lines = [] if deals else ["No deal is saved in the library's open workspace yet (Library page)."]
    st.session_state[state.COMPARE_LIBRARY] = deals
    state.set_problems(state.COMPARE_UPLOAD, lines)
    if deals:
        choose(list(deals)[:MAX_DEALS])


# ---- simulation ------------------------------------------------------------------------------

@st.cache_data(max_entries=32, show_spinner=False)
def simulated_spread(deal_json: str) -> tuple[float, float]:
    """The median and 95th percentile of what the district pays, keyed on the deal's JSON."""
    result = sim.simulate(deal_from_json(deal_json), SIM_TRIALS, SIM_SEED)
    return result.total.p50, result.total.p95


def simulate_deals(deal_jsons: list[str]) -> None:
    runs = st.session_state.setdefault(state.COMPARE_SIMULATED, {})
    with st.spinner(f"Simulating {len(deal_jsons)} deals, {SIM_TRIALS:,} trials each"):
        for deal_json in deal_jsons:
            runs[deal_json] = simulated_spread(deal_json)


def simulated_for(deals: dict[str, Deal]) -> dict[str, tuple[float, float]]:
    """The spreads already run for these deals as they stand now (an edited deal needs a new run)."""
    runs = st.session_state.get(state.COMPARE_SIMULATED, {})
    spreads = {name: runs.get(deal_to_json(deal)) for name, deal in deals.items()}
    return {name: spread for name, spread in spreads.items() if spread is not None}


# ---- the table and the chart -----------------------------------------------------------------

def cell(row: str, value) -> str:
    if row in SIMULATED_ROWS and value is None:
        return "not run"
    if row in compare.MONEY_ROWS:
        return widgets.money(value, cents="per pupil" in row)
    if row == "Performance share":
        return widgets.percent(value)
    if row == "Students":
        return f"{value:,}"
    if row == "Warnings":
        return ", ".join(WARNING_WORDS.get(code, code.replace("_", " ")) for code in value) or "none"
    return str(value)


def shown_table(table: pd.DataFrame, differing: list[str]) -> pd.DataFrame:
    shown = pd.DataFrame({name: [cell(row, v) for row, v in column.items()]
                          for name, column in table.items()}, index=table.index)
    shown["Differs"] = ["yes" if row in differing else "" for row in table.index]
    shown.index.name = "Figure"
    return shown.reset_index()


def comparison_table(deals: dict[str, Deal]) -> None:
    spreads = simulated_for(deals)
    table = compare.compare_table(deals, spreads)
    if not spreads:
        table = table.drop(index=list(SIMULATED_ROWS))
    differing = compare.differing_rows(table)
    shown = shown_table(table, differing)
    styled = shown.style.apply(
        lambda row: [HIGHLIGHT if row["Differs"] else ""] * len(row), axis=1)
    columns = {name: st.column_config.TextColumn(name, alignment="right") for name in deals}
    columns["Figure"] = st.column_config.TextColumn("Figure", width="medium", pinned=True)
    columns["Differs"] = st.column_config.TextColumn(
        "Differs", width="small", help="Yes when the deals do not all agree on this figure (money to the "
                                       "cent). A figure not simulated yet for a deal is no difference.")
    st.dataframe(styled, hide_index=True, width="stretch", height=38 + 35 * len(shown), column_config=columns)
    st.caption(f"Shaded rows differ between the deals ({len(differing)} of {len(table)}). Per pupil: "
               "divided by each deal's planned students. Warnings: the flags that a deal should not go "
               "out with; all flags are listed below the chart.")
    if note := compare.p95_note(deals, spreads):
        st.caption(messages.markdown_text(note))


def simulation_controls(deals: dict[str, Deal]) -> None:
    spreads = simulated_for(deals)
    missing = [name for name in deals if name not in spreads]
    left, right = st.columns([1, 3], vertical_alignment="center")
    left.button("Simulate these deals", icon=":material/casino:", disabled=not missing,
                on_click=simulate_deals, args=([deal_to_json(deals[name]) for name in missing],),
                help=f"Runs {SIM_TRIALS:,} simulated school years of each deal (seed {SIM_SEED}) from its "
                     "rate ranges and risk settings, set on the Risk page, to add the median and 95th "
                     "percentile of what the district pays.")
    if spreads:
        right.caption(f"Simulated: {SIM_TRIALS:,} trials per deal, seed {SIM_SEED}. The 95th percentile is "
                      "exceeded in 1 simulated year in 20. An outcome without a rate range stays at its "
                      "expected rate.")
    else:
        right.caption("The simulated median and 95th percentile appear here once the deals are simulated.")


def cost_chart(deals: dict[str, Deal]) -> None:
    curves = compare.cost_curves(deals)
    fig = go.Figure()
    for name, color, dash in zip(deals, LINE_COLORS, LINE_DASHES, strict=False):
        fig.add_trace(go.Scatter(x=curves["Achievement rate"], y=curves[name], mode="lines", name=name,
                                 line={"width": 3, "color": color, "dash": dash},
                                 hovertemplate=f"{name}: $%{{y:,.0f}}<extra></extra>"))
    fig.update_layout(height=460)
    charts.show_chart(fig, "What the district pays as achievement rises",
                      "Achievement rate, every outcome (%)", "Total paid by the district ($)",
                      x_percent=True, key=state.COMPARE_COSTS)
    st.caption("Each line moves every outcome of a deal to the same achievement rate, with every planned "
               "student served. The left end is the floor (nothing achieved); the right end is the maximum.")


def flags_section(deals: dict[str, Deal]) -> None:
    st.header("Flags")
    for column, (name, deal) in zip(st.columns(len(deals)), deals.items(), strict=True):
        with column:
            st.markdown(f"**{name}**")
            widgets.show_flags(deal_flags(deal), "No flags.")


# ---- the page --------------------------------------------------------------------------------

st.title("Compare deals")
st.caption("Two to four deals side by side: the split, the maximum, floor and expected totals, per pupil, "
           "and what each pays as achievement rises.")
variants_section()

st.header("Deals to compare")
on_offer = sources()
# Drawn from the kept choice on every run, not only on arriving (state.kept): saving, renaming,
# removing and uploading change the choice too.
st.session_state[PICK] = picked()
st.multiselect(
    "Deals (two to four)", list(on_offer), key=PICK, max_selections=MAX_DEALS, format_func=label,
    on_change=state.keep, args=(PICK,),
    help=f"Saved variants, the current deal as it stands ({state.current().name}), the sample deals and any "
         "uploaded deal files.",
)
st.file_uploader("Add deal files (JSON)", type=["json"], accept_multiple_files=True, key=state.COMPARE_UPLOAD,
                 on_change=upload_changed, help="Deal files saved from this app (Budget page) or written "
                                                f"by hand; each becomes a deal you can compare. Up to "
                                                f"{MAX_UPLOAD_MB} MB each.")
st.button("Load every deal of the library workspace", on_click=load_library, icon=":material/folder_shared:",
          help="The newest version of each deal saved in the workspace open on the Library page; the first "
               f"{MAX_DEALS} become the columns, and the others can be picked above.")
upload_problems = state.problems(state.COMPARE_UPLOAD)
if upload_problems:
    st.error(messages.bullets(upload_problems))

chosen = {label(name): on_offer[name] for name in st.session_state[PICK]}
if len(chosen) < 2:
    st.info("Choose at least two deals to compare, or save two variants of the current deal above.",
            icon=":material/info:")
    st.stop()
simulation_controls(chosen)
comparison_table(chosen)
cost_chart(chosen)
flags_section(chosen)
