"""The session's state, and its one owner: every key the app keeps is named here.

The deal being edited lives in two non-widget keys that survive moving between pages:
`deal_dict` (the JSON form) and `deal` (the last valid Deal, which every figure uses). An edit
builds a candidate dict and validates it; a rejected candidate leaves both keys untouched.
Besides the keys, this module offers the helpers that read and write them: load a deal, edit it,
flash a message to show once, and keep a widget's value across pages.
"""

from __future__ import annotations

import copy
from pathlib import Path

import streamlit as st

from obc_calc.core.errors import DealError
from obc_calc.core.model import Deal
from obc_calc.io.dealfile import deal_from_dict, deal_to_dict, load_deal
from obc_calc.io.sharelink import decode_deal, encode_deal
from ui import messages

ROOT = Path(__file__).resolve().parents[1]  # the repository: the samples live in sample_data/


SAMPLES: dict[str, Path] = {
    "Math tutoring": ROOT / "sample_data" / "math_tutoring.json",
    "Literacy tutoring": ROOT / "sample_data" / "literacy_tutoring.json",
    "Edtech software": ROOT / "sample_data" / "edtech_intervention.json",
    "MAP growth, banded": ROOT / "sample_data" / "map_growth_banded.json",
    "Reading, priced by group": ROOT / "sample_data" / "student_groups_priced.json",
}


SAMPLE_NOTES = {
    "Math tutoring": "Middle-school math tutoring priced like Duval County's ($670 base + up to $750 per "
                     "student), paid per achieving student.",
    "Literacy tutoring": "K-3 literacy tutoring priced like Denver's ($900 base + up to $1,500 per student): "
                         "62.5% on outcomes, above the 60% guardrail.",
    "Edtech software": "An adaptive math licence with a cohort threshold, tiers and a graduated outcome.",
    "MAP growth, banded": "Math tutoring paid on NWEA MAP growth like Ector County's: more for more growth, "
                          "and a penalty band that takes money back when a student declines.",
    "Reading, priced by group": "Reading tutoring that pays more per achieving student with a disability "
                                "(1.5×) or learning English (1.25×), so no student is left behind.",
}


FIRST_SAMPLE = "Math tutoring"


BLANK_DEAL = {
    "schema_version": 1,
    "name": "New deal",
    "students": 100,
    "total_cost": 100000,
    "performance_share": 0.3,
    "outcomes": [{"name": "Outcome 1", "metric": "", "threshold": "", "basis": "per_student",
                  "weight": 1.0, "expected_rate": 0.5}],
}


# The deal and its editing (plain keys, kept while moving between pages).
DEAL = "deal"  # the last valid Deal
DEAL_DICT = "deal_dict"  # its JSON form, the base of every candidate edit
DEAL_VERSION = "deal_version"  # counts whole-deal loads: editors take a fresh key from it
FRAMES = "frames"  # the data editors' inputs, by table (ui.tables)
REPLACED_FRAMES = "replaced_frames"  # tables given a new input by an explicit action (ui.tables)
PROBLEMS = "problems"  # refused edits' sentences, by the widget or table they came from

# The app as a whole (app.py).
PAGE_SHOWN = "page_shown"  # the title of the page the last run showed
PRESENTING = "presenting"  # presentation mode on or off: the value the app goes by
PRESENTING_SWITCH = "presenting_switch"  # the sidebar toggle drawn from PRESENTING
PAGE_BEFORE_PRESENTING = "page_before_presenting"  # the url path to return to
LINK_PARAM = "deal"  # the query parameter holding the share link (not a session key)

# The deal library (app_pages/library.py, ui/library_state.py); see docs/library.md.
BASELINE = "baseline"  # the deal as last opened or saved: what differs from it is unsaved
LIB_DEAL = "lib_deal"  # the library identity of the deal being edited (library_state.LibraryDeal) or None
LIB_WORKSPACE = "lib_workspace"  # the open workspace (a store Workspace); the default one until joined
LIB_CONFLICT = "lib_conflict"  # a refused save waiting for the user's choice: (deal name, message)
LIB_PENDING = "lib_pending"  # an open waiting for the user to drop unsaved changes: (what, action, args)
LIB_NEW_CODE = "lib_new_code"  # a new workspace's (name, code), shown once
LIB_SIGNING = "lib_signing"  # (deal name, version) waiting for the signing confirmation
LIB_NOTE, LIB_AUTHOR = "lib_note", "lib_author"  # the save's note and the author's name (kept)
LIB_JOIN_NAME, LIB_JOIN_CODE, LIB_CREATE_NAME = "lib_join_name", "lib_join_code", "lib_create_name"
LIB_PICK, LIB_PICK_VERSION = "lib_pick", "lib_pick_version"  # the deal and version to open
LIB_DIFF_FROM, LIB_DIFF_TO, LIB_SIGN_VERSION = "lib_diff_from", "lib_diff_to", "lib_sign_version"
LIB_OVERVIEW_CSV, LIB_SIDEBAR_SAVE, LIB_SAVE = "lib_overview_csv", "lib_sidebar_save", "lib_save"
LIB_CONFIRM_OPEN, LIB_SAVE_FIRST, LIB_KEEP_EDITING = "lib_confirm_open", "lib_save_first", "lib_keep_editing"
LIB_OPEN_NEWER, LIB_SAVE_ON_TOP = "lib_open_newer", "lib_save_on_top"  # a stale save's two ways on
LIB_RESTORE = "lib_restore_"  # + the deal's name: its Restore button in the trash
COMPARE_LIBRARY = "compare_library"  # the open workspace's deals loaded on the Compare page, by label

# Messages and kept widget values.
FLASH = "flash"  # messages to show once, on the next run: (where, kind, text, icon)
KEPT = "kept_widgets"  # what the user last chose in widgets that outlive a visit to another page

# Home page.
UPLOAD = "upload"  # the deal file uploader

# Deal & split page: one widget per field of the deal.
F_NAME, F_PROGRAM, F_DISTRICT, F_PROVIDER = "f_name", "f_program", "f_district", "f_provider"
F_STUDENTS, F_TOTAL_COST, F_PER_PUPIL = "f_students", "f_total_cost", "f_per_pupil"
SHARE_SLIDER, SHARE_NUMBER = "share_slider", "share_number"
F_BASE_BASIS, F_START, F_MONTHS = "f_base_basis", "f_start", "f_months"
F_FY_START, F_UPFRONT = "f_fy_start", "f_upfront"
SHARE_BAND_CHART = "share_band"
COMMITMENTS = "commitments"  # the district commitments' table (ui.tables name)

# Budget page.
BUDGET_SCENARIO = "budget_scenario"
FY_CHART, MONTH_CHART = "fy_chart", "month_chart"
DOWNLOAD_WORKBOOK, DOWNLOAD_DEAL, DOWNLOAD_DOC = "download_workbook", "download_deal", "download_doc_"

# Presentation page.
PRESENT_STACKED, PRESENT_GRID = "present_stacked", "present_grid"

# Compare page.
VARIANTS = "variants"  # saved snapshots of the current deal, by name
COMPARE_UPLOADS = "compare_uploads"  # deals read from uploaded files, by label
COMPARE_SIMULATED = "compare_simulated"  # simulated (median, 95th percentile), by deal JSON
COMPARE_PICK = "compare_pick"  # the multiselect of the deals to compare (also kept in KEPT)
COMPARE_UPLOAD = "compare_upload"  # the file uploader
COMPARE_COSTS = "compare_costs"  # the cost chart
VARIANT_NAME, VARIANT_REMOVE = "variant_name_", "remove_"  # prefixes: one widget per variant

# Provider view page.
PROVIDER_FIXED, PROVIDER_PER_STUDENT = "provider_fixed", "provider_per_student"  # kept together
PP_BASE, PP_OUTCOMES, PP_STUDENTS = "pp_base", "pp_outcomes", "pp_students"  # per-pupil quote
PP_APPLY = "pp_apply"  # problems of applying the quote
PROVIDER_CASH_FLOW = "provider_cash_flow"  # the cash-flow chart


def init_state() -> None:
    """On a session's first run, open the deal in the page's link, or else the first sample deal."""
    if DEAL in st.session_state:
        return
    shared = st.query_params.get(LINK_PARAM)
    if shared is None:
        open_deal(load_deal(SAMPLES[FIRST_SAMPLE]))
        return
    try:
        open_deal(decode_deal(shared))
    except DealError as error:
        open_deal(load_deal(SAMPLES[FIRST_SAMPLE]))
        lines = messages.bullets([messages.sentence(problem, {}) for problem in error.problems])
        flash(f"The deal in this link could not be opened, so a sample deal is open instead: "
              f"{current().name}.\n\n{lines}", "warning", ":material/link_off:", where=APP)


def load(deal: Deal) -> None:
    """Replace the whole deal (sample, upload, blank): every editor starts again from it."""
    st.session_state[DEAL] = deal
    st.session_state[DEAL_DICT] = deal_to_dict(deal)
    st.session_state[DEAL_VERSION] = st.session_state.get(DEAL_VERSION, 0) + 1
    st.session_state[FRAMES] = {}
    st.session_state[REPLACED_FRAMES] = set()
    st.session_state[PROBLEMS] = {}
    publish_link()


def open_deal(deal: Deal, identity=None) -> None:
    """Open another deal (a sample, a file, a library version): it is the new baseline of unsaved changes,
    and `identity` (a library_state.LibraryDeal) says which library version it is, None if none."""
    load(deal)
    st.session_state[BASELINE] = deal
    st.session_state[LIB_DEAL] = identity


def unsaved() -> bool:
    """Whether the deal differs from what was last opened or saved (its baseline)."""
    return current() != st.session_state.setdefault(BASELINE, current())


def current() -> Deal:
    return st.session_state[DEAL]


def deal_data() -> dict:
    """A copy of the deal's JSON form to build a candidate from."""
    return copy.deepcopy(st.session_state[DEAL_DICT])


def apply(candidate: dict) -> list[str]:
    """Adopt the candidate if it is a valid deal; otherwise return one sentence per problem."""
    try:
        deal = deal_from_dict(candidate)
    except DealError as error:
        return [messages.edit_sentence(problem, candidate) for problem in error.problems]
    st.session_state[DEAL] = deal
    st.session_state[DEAL_DICT] = deal_to_dict(deal)
    publish_link()
    return []


def set_problems(where: str, lines: list[str]) -> None:
    st.session_state.setdefault(PROBLEMS, {})[where] = lines


def problems(where: str) -> list[str]:
    return st.session_state.get(PROBLEMS, {}).get(where, [])


# ---- flash messages: said once, on the run after the action that caused them -----------------

PAGE, APP = "page", "app"  # where a flash is shown: at the page's own spot, or by app.py above the page
FLASH_KINDS = {"success": st.success, "info": st.info, "warning": st.warning}


def flash(text: str, kind: str = "success", icon: str | None = None, where: str = PAGE) -> None:
    """Keep a message to show once: the page shows it where it calls show_flash()."""
    st.session_state.setdefault(FLASH, []).append((where, kind, text, icon))


def show_flash(where: str = PAGE) -> None:
    """Show, and forget, the messages kept for this place."""
    waiting = st.session_state.get(FLASH, [])
    for _, kind, text, icon in [item for item in waiting if item[0] == where]:
        FLASH_KINDS[kind](text, icon=icon)
    st.session_state[FLASH] = [item for item in waiting if item[0] != where]


def publish_link() -> None:
    """Keep the current deal in the address bar, so the address is always a link to this deal.

    Setting a query parameter only rewrites the browser's address (no rerun); it is skipped when
    unchanged, and it puts the deal back when a move to another page has dropped it.
    """
    value = encode_deal(current())
    if st.query_params.get(LINK_PARAM) != value:
        st.query_params[LINK_PARAM] = value


def seed(key: str, value) -> None:
    """Give a widget its value from the deal when it is (re)created, e.g. on arriving at a page."""
    if key not in st.session_state:
        st.session_state[key] = value
        set_problems(key, [])


def set_field(path: tuple, value, where: str) -> list[str]:
    """Put one value at `path` in a candidate and keep it if the deal stays valid; the problems if not."""
    candidate = deal_data()
    target = candidate
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value
    lines = apply(candidate)
    set_problems(where, lines)
    return lines


def commit(key: str, path: tuple, scale: float = 1.0) -> None:
    """on_change callback: the widget at `key` sets the field at `path` (divided by `scale`).

    A refused value is taken back, so that the widget shows what the deal holds, next to the reason.
    """
    value = st.session_state[key]
    if scale != 1.0 and value is not None:
        value = value / scale
    if set_field(path, value, key):
        kept = current()
        for part in path:
            kept = getattr(kept, part)
        st.session_state[key] = kept * scale if scale != 1.0 else kept


def kept(key: str, default, *together: str) -> dict:
    """Widget arguments (key, on_change, args) for a value that survives visits to other pages.

    Streamlit forgets a widget's value when a page without it runs, so each change is copied to a
    plain session key and given back when the widget is drawn again. `together` names widgets
    whose values are kept along with this one's, as one entry.
    """
    if key not in st.session_state:
        st.session_state[key] = kept_values().get(key, default)
    return {"key": key, "on_change": keep, "args": (key, *together)}


def keep(*keys: str) -> None:
    """on_change callback: copy these widgets' values to the plain session key."""
    values = kept_values()
    for key in keys:
        values[key] = st.session_state[key]


def kept_values() -> dict:
    """The values kept so far, by widget key; a widget not yet changed has none."""
    return st.session_state.setdefault(KEPT, {})


def uploader_key(name: str) -> str:
    # A new key empties the uploader, so that it stops showing a file once the page is done with it.
    return f"{name}_{st.session_state.get(name + '_uploads', 0)}"


def empty_uploader(name: str) -> None:
    st.session_state[name + "_uploads"] = st.session_state.get(name + "_uploads", 0) + 1


# ---- keys of the rate card, scenarios, risk and settle-up pages -------------------------------
RATE_CARD_TABLE = "outcomes"  # the rate card's editor (tables.base_frame's name)
RATE_CARD_UPLOADER = "card_upload"
RATE_CARD_MESSAGE = "card_message"  # what an imported card replaced, to say once
RATE_CARD_REPLACE = "card_replace"
RATE_CARD_EXAMPLE = "card_example"
RATE_CARD_CURVES = "curves"
GROUPS_TABLE = "student_groups"  # the student groups' editor (tables.base_frame's name)
GROUP_RATES_TABLE = "group_expected_rates"  # each outcome's expected rate by group (same)
BANDS_TABLE = "bands_"  # + the outcome's name: its bands' editor (same)
BAND_CHART = "band_chart_"  # + the outcome's name
F_MAX_PENALTY = "f_max_penalty"
SCENARIOS_TABLE = "scenarios"  # the scenarios' editor (tables.base_frame's name)
SCENARIO_PICK = "scenario_pick"
SCENARIOS_STACKED = "stacked"
SCENARIOS_GRID = "grid"
RISK_RANGES = "risk_ranges"  # the ranges' editor (tables.base_frame's name) and its problems
RISK_CORRELATION = "risk_correlation"
RISK_MISS = "risk_miss"
RISK_VARY_SERVED = "risk_vary_served"
RISK_SERVED_LOW = "risk_served_low"
RISK_SERVED_HIGH = "risk_served_high"
RISK_TRIALS = "risk_trials"
RISK_SEED = "risk_seed"
RISK_RUNS = "risk_runs"  # the runs done, so a large run stays once its button was pressed
RISK_BUDGET = "risk_budget"  # + "_<deal version>": the budget line starts again with each deal
RISK_SHARE = "risk_share"
RISK_HISTOGRAM = "risk_histogram"
RISK_CUMULATIVE = "risk_cumulative"
RISK_TORNADO = "risk_tornado"
RISK_SWEEP = "risk_sweep"
SETTLE_FILE = "settle_file"  # {"name", "data", "token"}: the results file being settled
SETTLE_TOKEN = "settle_token"  # counts the files taken, so each file's column choices are its own
SETTLE_UPLOADER = "settle_upload"
SETTLE_COLUMN = "settle_column"  # + "_<file token>_<role>": the column chosen for a role
SETTLE_SAMPLE = "settle_sample"
SETTLE_TEMPLATE = "settle_template"
SETTLE_CLEAR = "settle_clear"
SETTLE_ID_HEADER = "settle_id_header"
SETTLE_SESSIONS = "settle_sessions"
SETTLE_MIN_SESSIONS = "settle_min_sessions"
SETTLE_MISSING = "settle_missing"
SETTLE_COMMITMENTS = "settle_commitments"
SETTLE_PERIOD = "settle_period"
SETTLE_DATE = "settle_date"
SETTLE_XLSX = "settle_xlsx"
SETTLE_CSV = "settle_csv"
# Monitor page (app_pages/monitor.py): its keys all start with MON and are named in ui/monitor_keys.py.
MON = "mon_"
