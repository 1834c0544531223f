"""The Risk page (app_pages/risk.py) under streamlit.testing (AppTest), driven through app.py's navigation.

The page's figures must be obc_calc.core.simulate's for the same deal, trials and seed, so each test
runs the simulation itself and compares what the page displays (whole dollars, percents to one
decimal). Where a figure can be worked out by hand (a deal with nothing uncertain), it is.
"""

from __future__ import annotations

import math
import pickle

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import obc_calc.core.simulate as sim
from obc_calc.core.model import Risk
from obc_calc.core.risk_summary import MeanGap
from obc_calc.core.scenarios import expected
from obc_calc.io.dealfile import load_deal
from tests.app_support import LITERACY, MATH, act, button, edit_table, errors, go, money_box, start, warnings
from ui import risk_charts, risk_tables, state, widgets

RISK = "app_pages/risk.py"
SEED = 1  # the page's default seed
TRIALS = 100_000  # the page's default trials
FIGURES = {"Average (mean)": "mean", "Typical distance from the average (standard deviation)": "std",
           "Low: 1 year in 20 comes out below this (5th percentile)": "p5",
           "1 year in 4 comes out below this (25th percentile)": "p25",
           "Middle: half the years come out below this (median)": "p50",
           "1 year in 4 comes out above this (75th percentile)": "p75",
           "High: only 1 year in 20 comes out above this (95th percentile)": "p95"}
FIGURES_BY_NAME = {name: label for label, name in FIGURES.items()}


def table_with(at: AppTest, column: str):
    """The displayed table that has this column (None when the page shows no such table)."""
    return next((d.value for d in at.dataframe if column in d.value.columns), None)


def metric_starting(at: AppTest, text: str):
    return next(m for m in at.metric if m.label.startswith(text))


def assert_shows(at: AppTest, result: sim.SimulationResult) -> None:
    """The spread table and each outcome's expected payment are exactly the simulation's."""
    spread = table_with(at, "District total").set_index("Figure")
    for label, name in FIGURES.items():
        assert spread.loc[label, "District total"] == widgets.money(getattr(result.total, name)), label
        earnings = getattr(result.provider_earnings, name)
        assert spread.loc[label, "Provider's outcome earnings"] == widgets.money(earnings), label
    payments = table_with(at, "Expected payment (simulated average)").set_index("Outcome")
    for name, payment in result.expected_payments.items():
        assert payments.loc[name, "Expected payment (simulated average)"] == widgets.money(payment)
    assert f"{result.trials:,} simulated school years (trials), seed {result.seed}:" in captions(at)


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize("sample", list(state.SAMPLES))
def test_the_page_loads_and_runs_for_each_sample(sample):
    at = go(start(sample), RISK)
    deal = load_deal(state.SAMPLES[sample])
    assert not at.error, errors(at)
    assert_shows(at, sim.simulate(deal, TRIALS, SEED))
    assert at.session_state["deal"] == deal  # looking at the page changes nothing


def test_figures_follow_the_trials_and_seed():
    at = go(start(), RISK)
    at.select_slider(key="risk_trials").set_value(50_000)
    at.number_input(key="risk_seed").set_value(7)
    act(at)
    assert_shows(at, sim.simulate(load_deal(MATH), 50_000, 7))


def test_the_two_probabilities_are_the_simulations():
    at = go(start(), RISK)
    result = sim.simulate(load_deal(MATH), TRIALS, SEED)
    budget_key = f"risk_budget_{at.session_state['deal_version']}"
    money_box(at, budget_key).set_value("$1,500,000")
    at.number_input(key="risk_share").set_value(40.0)
    act(at)
    over = metric_starting(at, "Probability the district pays more than")
    assert over.label == "Probability the district pays more than $1,500,000"
    assert over.value == widgets.percent(sim.probability_total_exceeds(result, 1_500_000))
    under = metric_starting(at, "Probability the provider earns less than")
    # 40% of the math pool, 937,500 x 0.4 = 375,000
    assert under.label == "Probability the provider earns less than 40% of the pool ($375,000)"
    assert under.value == widgets.percent(sim.probability_earnings_below(result, 0.4))


def test_a_deal_with_nothing_uncertain_pays_the_expected_total_in_every_trial():
    at = go(start("Start blank"), RISK)
    assert "Nothing in this deal is uncertain yet" in "\n".join(w.value for w in at.warning)
    # Blank deal: $100,000, 30% on one per-student outcome expected at 50%.
    # Base 70,000; pool 30,000; every trial pays 70,000 + 30,000 x 0.5 = 85,000, earnings 15,000.
    spread = table_with(at, "District total").set_index("Figure")
    for label, name in FIGURES.items():
        spread_only = name == "std"
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
    at = go(start("Start blank"), RISK)
    edit_table(at, "risk_ranges", {0: {"Low (%)": 40.0, "High (%)": 60.0}})
    assert not at.error, errors(at)
    outcome = at.session_state["deal"].outcomes[0]
    assert (outcome.rate_low, outcome.rate_high) == (0.4, 0.6)
    # A range symmetric about a 50% mean is drawn from exactly as given.
    assert table_with(at, "Range drawn").loc[0, "Range drawn"] == "40.0% to 60.0%"
    assert_shows(at, sim.simulate(at.session_state["deal"], TRIALS, SEED))
    edit_table(at, "risk_ranges", {0: {"Low (%)": None, "High (%)": None}})
    outcome = at.session_state["deal"].outcomes[0]
    assert (outcome.rate_low, outcome.rate_high) == (None, None)


def test_an_untouched_range_keeps_the_deals_exact_rates():
    at = go(start(), RISK)
    edit_table(at, "risk_ranges", {1: {"High (%)": 70.0}})  # Math growth only
    outcomes = at.session_state["deal"].outcomes
    assert [(o.rate_low, o.rate_high) for o in outcomes] == [(0.6, 0.8), (0.43, 0.7), (0.65, 0.85)]


def test_a_low_end_above_the_expected_rate_is_explained_and_the_deal_kept():
    at = go(start(), RISK)
    edit_table(at, "risk_ranges", {0: {"Low (%)": 75.0}})  # Dosage is expected at 70%
    assert "Rate ranges, Dosage, low: 75.0% is above the expected rate (70.0%)." in errors(at)
    assert at.session_state["deal"] == load_deal(MATH)
    edit_table(at, "risk_ranges", {0: {"Low (%)": 65.0}})  # fixed: applied, and the message goes
    assert not at.error, errors(at)
    assert at.session_state["deal"].outcomes[0].rate_low == 0.65


def test_an_impossible_width_is_explained():
    at = go(start(), RISK)
    edit_table(at, "risk_ranges", {0: {"Low (%)": 0.0, "High (%)": 100.0}})
    assert "Rate ranges, Dosage, high: A range 100.0% wide is impossible" in errors(at)
    assert at.session_state["deal"] == load_deal(MATH)


def test_the_deal_wide_settings_go_into_the_deal():
    at = go(start("Start blank"), RISK)
    at.slider(key="risk_correlation").set_value(0.8)
    act(at)
    at.number_input(key="risk_miss").set_value(10.0)
    act(at)
    at.toggle(key="risk_vary_served").set_value(True)
    act(at)
    risk = at.session_state["deal"].risk
    # Switching served on starts at 90% to 100% of the 100 planned students.
    assert (risk.correlation, risk.commitments_miss_probability) == (0.8, 0.1)
    assert (risk.students_served_low, risk.students_served_high) == (90, 100)
    at.number_input(key="risk_served_low").set_value(95)
    act(at)
    assert at.session_state["deal"].risk.students_served_low == 95
    assert "95 to 100 students served" in "\n".join(i.value for i in at.info)
    at.toggle(key="risk_vary_served").set_value(False)
    act(at)
    assert at.session_state["deal"].risk.students_served_low is None


def test_fewest_above_most_served_is_explained_and_the_deal_kept():
    at = go(start(), RISK)  # math: 1,100 to 1,250 served
    at.number_input(key="risk_served_low").set_value(1200)
    at.number_input(key="risk_served_high").set_value(1150)
    act(at)
    assert "Students served, low end: 1200 is above the high end (1150)." in errors(at)
    assert at.session_state["deal"] == load_deal(MATH)


def test_a_refused_served_range_shows_the_deals_range_again():
    at = go(start(), RISK)  # math: 1,100 to 1,250 served
    at.number_input(key="risk_served_low").set_value(1200)
    at.number_input(key="risk_served_high").set_value(1150)
    act(at)
    assert "Students served, low end: 1200 is above the high end (1150)." in errors(at)
    assert at.number_input(key="risk_served_low").value == 1100
    assert at.number_input(key="risk_served_high").value == 1250
    assert at.number_input(key="risk_miss").value == pytest.approx(5.0)  # the deal's 0.05, in percent


def test_the_assumptions_sentence_for_the_math_sample():
    at = go(start(), RISK)
    assert ("Each trial: Dosage, Math growth, Same tutor drawn from their ranges; outcomes moving together "
            "at 0.50 (correlation: 0 unrelated, 0.95 almost in step); 1,100 to 1,250 students served; the "
            "district misses its commitments in 5.0% of trials.") in [i.value for i in at.info]


def test_a_miss_chance_in_percent_is_kept_as_a_share():
    at = go(start("Start blank"), RISK)
    at.number_input(key="risk_miss").set_value(33.3)
    act(at)
    assert at.session_state["deal"].risk.commitments_miss_probability == 0.333
    assert "misses its commitments in 33.3% of trials" in "\n".join(i.value for i in at.info)


OUT_OF_DATE = "These results are for the settings before your change"


def test_a_large_run_waits_for_its_button_showing_the_last_results_as_out_of_date():
    at = go(start(), RISK)
    at.select_slider(key="risk_trials").set_value(250_000)
    act(at)
    assert "Press Run to simulate 250,000 trials" in "\n".join(i.value for i in at.info)
    # The default run's results stay on the page, marked as not those of the settings now.
    assert (f"{OUT_OF_DATE}: 100,000 simulated school years, seed 1. Press Run 250,000 trials to update "
            "them.") in warnings(at)
    assert_shows(at, sim.simulate(load_deal(MATH), TRIALS, SEED))
    button(at, "Run 250,000 trials").click()
    act(at)
    assert OUT_OF_DATE not in warnings(at)
    assert_shows(at, sim.simulate(load_deal(MATH), 250_000, SEED))
    act(at)  # a rerun with the same inputs keeps the results without another press
    assert OUT_OF_DATE not in warnings(at)
    assert_shows(at, sim.simulate(load_deal(MATH), 250_000, SEED))


def test_an_edit_while_a_large_run_waits_keeps_the_results_of_the_deal_before_it():
    at = go(start(), RISK)
    at.select_slider(key="risk_trials").set_value(250_000)
    act(at)
    act(button(at, "Run 250,000 trials").click())
    edit_table(at, "risk_ranges", {1: {"High (%)": 70.0}})  # Math growth
    assert (f"{OUT_OF_DATE}: 250,000 simulated school years, seed 1, and the deal as it was before your "
            "edits. Press Run 250,000 trials to update them.") in warnings(at)
    assert_shows(at, sim.simulate(load_deal(MATH), 250_000, SEED))  # the sample as it was
    # The Expected total is that deal's too: the sample's, not the edited deal's.
    assert metric_starting(at, "Expected total").value == widgets.money(expected(load_deal(MATH)).total)
    act(button(at, "Run 250,000 trials").click())
    assert OUT_OF_DATE not in warnings(at)
    assert_shows(at, sim.simulate(at.session_state["deal"], 250_000, SEED))


def test_another_deal_opened_shows_none_of_the_last_deals_results():
    at = go(start(), RISK)
    at.select_slider(key="risk_trials").set_value(250_000)
    act(at)
    go(at, "app_pages/home.py")
    act(button(at, "Literacy tutoring").click())
    go(at, RISK)
    assert at.session_state["deal"] == load_deal(LITERACY)
    assert table_with(at, "District total") is None
    assert OUT_OF_DATE not in warnings(at)


def test_reruns_and_moving_between_pages_use_the_cached_run(monkeypatch):
    calls = []
    simulate = sim.simulate

    def counted(*args, **kwargs):
        calls.append(args[1:3])
        return simulate(*args, **kwargs)

    monkeypatch.setattr(sim, "simulate", counted)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = go(start(), RISK)
    assert calls == [(TRIALS, SEED)]
    act(at)
    go(at, "app_pages/home.py")
    go(at, RISK)
    assert calls == [(TRIALS, SEED)]
    assert at.select_slider(key="risk_trials").value == TRIALS
    at.number_input(key="risk_seed").set_value(2)
    act(at)
    at.number_input(key="risk_seed").set_value(SEED)
    act(at)
    assert calls == [(TRIALS, SEED), (TRIALS, 2)]


def test_the_trials_and_seed_chosen_survive_leaving_the_page():
    at = go(start(), RISK)
    at.select_slider(key="risk_trials").set_value(25_000)
    at.number_input(key="risk_seed").set_value(9)
    act(at)
    go(at, "app_pages/home.py")
    go(at, RISK)
    assert at.select_slider(key="risk_trials").value == 25_000
    assert at.number_input(key="risk_seed").value == 9
    assert_shows(at, sim.simulate(load_deal(MATH), 25_000, 9))


def test_a_banded_deal_with_nothing_uncertain_pays_its_expected_total():
    # sample_data/map_growth_banded.json with no ranges and no risk settings: every trial is the
    # Expected scenario, 450,000 + 60,000 × 0.75 + 90,000 × 0.4375 + 150,000 × 0.525 = 613,125.
    deal = load_deal(state.SAMPLES["MAP growth, banded"])
    deal = deal.model_copy(update={"risk": Risk(), "outcomes": [
        o.model_copy(update={"rate_low": None, "rate_high": None}) for o in deal.outcomes]})
    at = go(start(deal=deal), RISK)
    assert not at.error, errors(at)
    spread = table_with(at, "District total").set_index("Figure")
    low, high = FIGURES_BY_NAME["p5"], FIGURES_BY_NAME["p95"]
    assert spread.loc[low, "District total"] == spread.loc[high, "District total"] == "$613,125"
    ranges = table_with(at, "Range drawn").set_index("Outcome")
    # A banded outcome's figure is its share of students in paying bands: 25% + 35% at mid-year.
    assert ranges.loc["Mid-year MAP growth", "Range drawn"] == "Not set: always 60.0%"


# Each technical word the page uses, and plain words that must come with it wherever it appears.
PLAIN_WITH = {"percentile": "year", "beta": "8 years in 10", "seed": "same", "correlation": "together",
              "standard deviation": "distance from the average"}


def shown_texts(at: AppTest) -> list[str]:
    """Every text of the page a user reads: captions, headings and notes, each widget's and metric's
    label and help, and the tables' headings and cells."""
    texts = []
    texts += [element.value for element in (*at.info, *at.warning)]
    for element in (*at.caption, *at.markdown, *at.header):
        texts += [element.value, element.help or ""]
    for element in (*at.slider, *at.select_slider, *at.number_input, *at.toggle, *at.metric):
        texts += [element.label, element.help or ""]
    for frame in at.dataframe:
        texts += [*map(str, frame.value.columns), *map(str, frame.value.to_numpy().ravel())]
    return texts


def test_technical_words_always_come_with_plain_ones():
    at = go(start(), RISK)
    texts = shown_texts(at)
    for term, plain in PLAIN_WITH.items():
        assert any(term in text.lower() for text in texts), term  # the test would miss a renamed term
        for text in texts:
            assert term not in text.lower() or plain in text, (term, text)


def test_the_correlation_and_seed_say_what_they_mean_for_the_district():
    at = go(start(), RISK)
    correlation = at.slider(key="risk_correlation")
    assert correlation.label == "How closely the outcomes move together (correlation)"
    assert "0 means the outcomes are unrelated; 0.95 means they move almost together" in correlation.help
    assert "Higher means wider swings in what the district pays" in correlation.help
    # The math sample's 0.5, in words under the slider.
    assert "0.50: a bad year for one outcome is often a bad year for the others" in captions(at)
    seed = at.number_input(key="risk_seed")
    assert "The same number gives the same simulated years, so everyone in a room sees the same" in seed.help


def test_the_simulated_average_stands_next_to_expected_with_its_reason():
    at = go(start("Start blank"), RISK)
    at.number_input(key="risk_miss").set_value(10.0)
    act(at)
    result = sim.simulate(at.session_state["deal"], TRIALS, SEED)
    # Blank deal: a trial pays 85,000, or the full 100,000 when the district misses its commitments
    # (in a share m of trials): the average is 85,000 + 15,000 m, the long run 85,000 + 1,500.
    m = (result.totals == 100_000).sum() / TRIALS
    average = 85_000 + 15_000 * m
    assert [metric.label for metric in at.metric[:2]] == ["Expected total", "Simulated average total"]
    assert at.metric[0].value == "$85,000"
    assert at.metric[1].value == widgets.money(average)
    chance = average - 86_500
    band = 2 * 15_000 * math.sqrt(m * (1 - m)) / math.sqrt(TRIALS)  # two standard errors of the mean
    assert (f"The simulated average is {widgets.money(average - 85_000)} above Expected, which assumes the "
            "expected rates, every planned student served and the commitments kept: the 10.0% of years in "
            "which the district misses its commitments and pays the full $100,000 adds $1,500; chance "
            f"{'adds' if chance > 0 else 'takes off'} {widgets.money(abs(chance))} (100,000 simulated years "
            f"can move an average by chance alone by up to about {widgets.money(band)} either way)."
            ) in captions(at)


def test_nothing_uncertain_says_the_average_is_the_expected_total():
    at = go(start("Start blank"), RISK)
    assert metric_starting(at, "Simulated average total").value == "$85,000"
    assert "The simulated average is the Expected total: nothing in this deal varies." in captions(at)


def test_a_rerun_replays_the_charts_without_building_them(monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    built = []
    def counted(name: str):
        draw = getattr(risk_charts, name)

        def drawn(*args):
            built.append(name)
            draw(*args)
        return drawn

    for name in ("histogram_chart", "cumulative_chart", "tornado_chart", "sweep_chart"):
        monkeypatch.setattr(risk_charts, name, counted(name))
    at = go(start(), RISK)
    assert sorted(built) == ["cumulative_chart", "histogram_chart", "sweep_chart", "tornado_chart"]
    built.clear()
    act(at)
    go(at, "app_pages/home.py")
    go(at, RISK)
    assert built == []
    assert len(at.get("plotly_chart")) == 4


def test_a_rerun_unpickles_no_trial_arrays(monkeypatch):
    at = go(start(), RISK)
    at.select_slider(key="risk_trials").set_value(250_000)
    act(at)
    act(button(at, "Run 250,000 trials").click())
    sizes = []
    loads = pickle.loads

    def measured(data, *args, **kwargs):
        sizes.append(len(data))
        return loads(data, *args, **kwargs)

    monkeypatch.setattr(pickle, "loads", measured)
    act(at)
    # 250,000 trials are two arrays of 2 MB each; the cached figures are a few kilobytes.
    assert sizes and max(sizes) < 200_000
    assert_shows(at, sim.simulate(load_deal(MATH), 250_000, SEED))


def a_gap(**parts) -> MeanGap:
    """A mean_gap result with nothing but chance, then the parts given: Expected $80,000, a $400 band."""
    gap = {"expected": 80_000.0, "uneven": {"Growth": 0.0, "Score": 0.0}, "served": 0.0,
           "average_served": 100, "missed": 0.0, "missed_total": 100_000.0, "penalty_limit": 0.0,
           "chance": 150.0, "chance_band": 400.0}
    gap |= parts
    gap["simulated"] = (gap["expected"] + sum(gap["uneven"].values()) + gap["served"] + gap["missed"]
                        + gap["penalty_limit"] + gap["chance"])
    return MeanGap(**gap)


def test_an_average_off_by_chance_alone_says_so():
    sentence = risk_tables.gap_sentence(a_gap(), load_deal(MATH), 50_000)
    assert sentence == ("The simulated average is $150 above Expected by chance alone: every outcome that "
                        "varies pays in a straight line, and 50,000 simulated years can move an average by "
                        "chance alone by up to about $400 either way.")


def test_each_reason_for_the_average_is_named_with_its_dollars():
    gap = a_gap(uneven={"Growth": -1_200.0, "Score": -300.0}, served=-2_000.4, average_served=1_174.5,
                penalty_limit=60.0, chance=-10.0)
    # 80,000 - 1,500 - 2,000.40 + 60 - 10 = 76,549.60: $3,450.40 below, shown in whole dollars.
    assert risk_tables.gap_sentence(gap, load_deal(MATH), TRIALS) == (
        "The simulated average is $3,450 below Expected, which assumes the expected rates, every planned "
        "student served and the commitments kept: Growth, Score paying unevenly as rates move (a threshold, "
        "steps, a cap or group prices: the average payment is not the payment at the average rate) takes off "
        "$1,500; an average of 1,174.5 students served instead of the 1,250 planned takes off $2,000; the "
        "limit on penalties (money given back when penalties would pass it) adds $60; chance takes off $10 "
        "(100,000 simulated years can move an average by chance alone by up to about $400 either way).")
