"""The Risk page (pages/risk.py) under streamlit.testing (AppTest), driven through app.py's navigation.

The page's figures must be obc_calc.simulate's for the same deal, trials and seed, so each test
runs the simulation itself and compares what the page displays (whole dollars, percents to one
decimal). Where a figure can be worked out by hand (a deal with nothing uncertain), it is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import obc_calc.simulate as sim
import ui
from obc_calc.dealfile import load_deal

ROOT = Path(__file__).resolve().parent.parent
RISK = "pages/risk.py"
MATH = ROOT / "sample_data" / "math_tutoring.json"
SEED = 1  # the page's default seed
TRIALS = 100_000  # the page's default trials
FIGURES = {"Mean": "mean", "Standard deviation": "std", "5th percentile": "p5", "25th percentile": "p25",
           "Median (50th percentile)": "p50", "75th percentile": "p75", "95th percentile": "p95"}


def risk_page(sample: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if sample is not None:
        next(b for b in at.button if b.label == sample).click().run()
    return rerun(at.switch_page(RISK))


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def table_with(at: AppTest, column: str):
    """The displayed table that has this column (None when the page shows no such table)."""
    return next((d.value for d in at.dataframe if column in d.value.columns), None)


def metric_starting(at: AppTest, text: str):
    return next(m for m in at.metric if m.label.startswith(text))


def edit_ranges(at: AppTest, edited_rows: dict) -> AppTest:
    counters = at.session_state.get("editor_counters", {})
    key = f"risk_ranges_editor_{at.session_state['deal_version']}_{counters.get('risk_ranges', 0)}"
    at.session_state[key] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    return rerun(at)


def assert_shows(at: AppTest, result: sim.SimulationResult) -> None:
    """The spread table and each outcome's expected payment are exactly the simulation's."""
    spread = table_with(at, "District total").set_index("Figure")
    for label, name in FIGURES.items():
        assert spread.loc[label, "District total"] == ui.money(getattr(result.total, name)), label
        earnings = getattr(result.provider_earnings, name)
        assert spread.loc[label, "Provider's outcome earnings"] == ui.money(earnings), label
    payments = table_with(at, "Expected payment (simulated average)").set_index("Outcome")
    for name, payment in result.expected_payments.items():
        assert payments.loc[name, "Expected payment (simulated average)"] == ui.money(payment)
    assert f"{result.trials:,} trials, seed {result.seed}." in "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize("sample", list(ui.SAMPLES))
def test_the_page_loads_and_runs_for_each_sample(sample):
    at = risk_page(sample)
    deal = load_deal(ui.SAMPLES[sample])
    assert not at.error, errors(at)
    assert_shows(at, sim.simulate(deal, TRIALS, SEED))
    assert at.session_state["deal"] == deal  # looking at the page changes nothing


def test_figures_follow_the_trials_and_seed():
    at = risk_page()
    at.select_slider(key="risk_trials").set_value(50_000)
    at.number_input(key="risk_seed").set_value(7)
    rerun(at)
    assert_shows(at, sim.simulate(load_deal(MATH), 50_000, 7))


def test_the_two_probabilities_are_the_simulations():
    at = risk_page()
    result = sim.simulate(load_deal(MATH), TRIALS, SEED)
    budget_key = f"risk_budget_{at.session_state['deal_version']}"
    at.number_input(key=budget_key).set_value(1_500_000.0)
    at.number_input(key="risk_share").set_value(40.0)
    rerun(at)
    over = metric_starting(at, "Probability the district pays more than")
    assert over.label == "Probability the district pays more than $1,500,000"
    assert over.value == ui.percent(sim.probability_total_exceeds(result, 1_500_000))
    under = metric_starting(at, "Probability the provider earns less than")
    # 40% of the math pool, 937,500 x 0.4 = 375,000
    assert under.label == "Probability the provider earns less than 40% of the pool ($375,000)"
    assert under.value == ui.percent(sim.probability_earnings_below(result, 0.4))


def test_a_deal_with_nothing_uncertain_pays_the_expected_total_in_every_trial():
    at = risk_page("Start blank")
    assert "Nothing in this deal is uncertain yet" in "\n".join(w.value for w in at.warning)
    # Blank deal: $100,000, 30% on one per-student outcome expected at 50%.
    # Base 70,000; pool 30,000; every trial pays 70,000 + 30,000 x 0.5 = 85,000, earnings 15,000.
    spread = table_with(at, "District total").set_index("Figure")
    for label in FIGURES:
        spread_only = label == "Standard deviation"
        assert spread.loc[label, "District total"] == ("$0" if spread_only else "$85,000"), label
        assert spread.loc[label, "Provider's outcome earnings"] == ("$0" if spread_only else "$15,000"), label
    # The budget line starts at the expected total, and nothing is paid above it; 15,000 is
    # exactly half the pool, which is not less than half.
    assert metric_starting(at, "Probability the district pays more than").value == "0.0%"
    assert metric_starting(at, "Probability the provider earns less than").value == "0.0%"
    drawn = table_with(at, "Range drawn").set_index("Outcome")
    assert drawn.loc["Outcome 1", "Range drawn"] == "Not set: always 50.0%"
    captions = "\n".join(c.value for c in at.caption)
    assert "Not set, the default: every planned student (100) is served" in captions


def test_changing_a_range_updates_the_deal_and_the_run():
    at = risk_page("Start blank")
    edit_ranges(at, {0: {"Low (%)": 40.0, "High (%)": 60.0}})
    assert not at.error, errors(at)
    outcome = at.session_state["deal"].outcomes[0]
    assert (outcome.rate_low, outcome.rate_high) == (0.4, 0.6)
    # A range symmetric about a 50% mean is drawn from exactly as given.
    assert table_with(at, "Range drawn").loc[0, "Range drawn"] == "40.0% to 60.0%"
    assert_shows(at, sim.simulate(at.session_state["deal"], TRIALS, SEED))
    edit_ranges(at, {0: {"Low (%)": None, "High (%)": None}})
    outcome = at.session_state["deal"].outcomes[0]
    assert (outcome.rate_low, outcome.rate_high) == (None, None)


def test_an_untouched_range_keeps_the_deals_exact_rates():
    at = risk_page()
    edit_ranges(at, {1: {"High (%)": 70.0}})  # Math growth only
    outcomes = at.session_state["deal"].outcomes
    assert [(o.rate_low, o.rate_high) for o in outcomes] == [(0.6, 0.8), (0.43, 0.7), (0.65, 0.85)]


def test_a_low_end_above_the_expected_rate_is_explained_and_the_deal_kept():
    at = risk_page()
    edit_ranges(at, {0: {"Low (%)": 75.0}})  # Dosage is expected at 70%
    assert "Rate ranges, Dosage, low: 75.0% is above the expected rate (70.0%)." in errors(at)
    assert at.session_state["deal"] == load_deal(MATH)
    edit_ranges(at, {0: {"Low (%)": 65.0}})  # fixed: applied, and the message goes
    assert not at.error, errors(at)
    assert at.session_state["deal"].outcomes[0].rate_low == 0.65


def test_an_impossible_width_is_explained():
    at = risk_page()
    edit_ranges(at, {0: {"Low (%)": 0.0, "High (%)": 100.0}})
    assert "Rate ranges, Dosage, high: A range 100.0% wide is impossible" in errors(at)
    assert at.session_state["deal"] == load_deal(MATH)


def test_the_deal_wide_settings_go_into_the_deal():
    at = risk_page("Start blank")
    at.slider(key="risk_correlation").set_value(0.8)
    rerun(at)
    at.number_input(key="risk_miss").set_value(10.0)
    rerun(at)
    at.toggle(key="risk_vary_served").set_value(True)
    rerun(at)
    risk = at.session_state["deal"].risk
    # Switching served on starts at 90% to 100% of the 100 planned students.
    assert (risk.correlation, risk.commitments_miss_probability) == (0.8, 0.1)
    assert (risk.students_served_low, risk.students_served_high) == (90, 100)
    at.number_input(key="risk_served_low").set_value(95)
    rerun(at)
    assert at.session_state["deal"].risk.students_served_low == 95
    assert "95 to 100 students served" in "\n".join(i.value for i in at.info)
    at.toggle(key="risk_vary_served").set_value(False)
    rerun(at)
    assert at.session_state["deal"].risk.students_served_low is None


def test_fewest_above_most_served_is_explained_and_the_deal_kept():
    at = risk_page()  # math: 1,100 to 1,250 served
    at.number_input(key="risk_served_low").set_value(1200)
    at.number_input(key="risk_served_high").set_value(1150)
    rerun(at)
    assert "Students served, low end: 1200 is above the high end (1150)." in errors(at)
    assert at.session_state["deal"] == load_deal(MATH)


def test_a_large_run_waits_for_its_button_then_stays():
    at = risk_page()
    at.select_slider(key="risk_trials").set_value(250_000)
    rerun(at)
    assert table_with(at, "District total") is None
    assert "Press Run to simulate 250,000 trials" in "\n".join(i.value for i in at.info)
    next(b for b in at.button if b.label == "Run 250,000 trials").click()
    rerun(at)
    assert_shows(at, sim.simulate(load_deal(MATH), 250_000, SEED))
    rerun(at)  # a rerun with the same inputs keeps the results without another press
    assert table_with(at, "District total") is not None


def test_reruns_and_moving_between_pages_use_the_cached_run(monkeypatch):
    calls = []
    simulate = sim.simulate

    def counted(*args, **kwargs):
        calls.append(args[1:3])
        return simulate(*args, **kwargs)

    monkeypatch.setattr(sim, "simulate", counted)
    st.cache_data.clear()
    at = risk_page()
    assert calls == [(TRIALS, SEED)]
    rerun(at)
    rerun(at.switch_page("pages/home.py"))
    rerun(at.switch_page(RISK))
    assert calls == [(TRIALS, SEED)]
    assert at.select_slider(key="risk_trials").value == TRIALS
    at.number_input(key="risk_seed").set_value(2)
    rerun(at)
    at.number_input(key="risk_seed").set_value(SEED)
    rerun(at)
    assert calls == [(TRIALS, SEED), (TRIALS, 2)]


def test_the_trials_and_seed_chosen_survive_leaving_the_page():
    at = risk_page()
    at.select_slider(key="risk_trials").set_value(25_000)
    at.number_input(key="risk_seed").set_value(9)
    rerun(at)
    rerun(at.switch_page("pages/home.py"))
    rerun(at.switch_page(RISK))
    assert at.select_slider(key="risk_trials").value == 25_000
    assert at.number_input(key="risk_seed").value == 9
    assert_shows(at, sim.simulate(load_deal(MATH), 25_000, 9))
