"""Settle-up by student group and by band, computed by hand: per-student prices by group, banded
payments with a penalty band, the max_penalty limit, missed commitments, the missing-values rule on
a banded outcome, an unknown group and a missing group column."""

import json
from datetime import date

import pytest

from obc_calc.cli import main
from obc_calc.core.errors import DealError
from obc_calc.core.report import invoice_text, invoice_to_dict
from obc_calc.core.settle import SettleOptions, settle
from obc_calc.io.dealfile import deal_to_dict
from obc_calc.io.results_file import ReadOptions, read_results
from tests.helpers import make_deal

DAY = date(2027, 6, 30)
BANDS = [{"min_value": None, "payout": -0.5}, {"min_value": 0, "payout": 0},
         {"min_value": 1, "payout": 0.5}, {"min_value": 2, "payout": 1}]
GROUPS = [{"name": "SWD", "students": 2, "price_multiplier": 1.5},
          {"name": "EL", "students": 3, "price_multiplier": 2}]


def grouped_deal(**fields):
    """$28,000 for 10 students, 50% performance: pool $14,000, base $14,000 (fixed). Two outcomes of
    weight 0.5, so $7,000 each. Groups SWD 2 x 1.5 and EL 3 x 2, so Other students 5 x 1:
    Σ multiplier x students = 3 + 6 + 5 = 14 and u = 7,000 / 14 = $500; prices SWD $750, EL $1,000,
    Other students $500 (per achiever for Reading, per student for Growth)."""
    data = {"students": 10, "total_cost": 28_000, "performance_share": 0.5, "student_groups": GROUPS,
            "outcomes": [{"name": "Reading", "weight": 0.5},
                         {"name": "Growth", "weight": 0.5, "basis": "per_student_banded", "bands": BANDS}]}
    return make_deal(**(data | fields))


# Ten served students and one not served. Group names match ignoring case and spacing; blank is
# Other students. Growth bands: below 0 pays -50%, 0 to 1 pays 0, 1 to 2 pays 50%, 2 or more 100%.
RESULTS = """student_id,served,group,Reading,Growth
S1,1,SWD,1,2.5
S2,1,  swd ,0,-1
S3,1,EL,1,1.2
S4,1,el,1,0.5
S5,1,EL,0,
S6,1,,1,2
S7,1,Other students,0,1
S8,1,,1,-0.2
S9,1,,0,0
S10,1,,1,3
X1,0,,1,5
"""


def settle_text(deal, text, read=None, **options):
    results = read_results(text.encode("utf-8"), "results.csv", deal, read or ReadOptions())
    return settle(deal, results, SettleOptions(period="End of year", invoice_date=DAY, **options))


def test_per_student_pays_each_achiever_the_price_of_the_group():
    reading = settle_text(grouped_deal(), RESULTS).outcomes[0]
    # Achievers: SWD S1; EL S3, S4; Other students S6, S8, S10 (X1 is not served).
    assert [(g.name, g.served, g.achievers) for g in reading.groups] == [
        ("SWD", 2, 1), ("EL", 3, 2), ("Other students", 5, 3)]
    assert [g.price for g in reading.groups] == [500 * 1.5, 500 * 2, 500 * 1]
    assert [g.payment for g in reading.groups] == [750 * 1, 1_000 * 2, 500 * 3]
    assert (reading.achievers, reading.price) == (6, 500)
    assert reading.payment == 750 + 2_000 + 1_500 == 4_250


def test_banded_pays_each_student_price_times_the_band_payout():
    invoice = settle_text(grouped_deal(), RESULTS)
    growth = invoice.outcomes[1]
    # Bands (by group SWD, EL, Other): below 0: S2 (SWD), S8 (Other); 0 to 1: S4 (EL), S9 (Other);
    # 1 to 2: S3 (EL), S7 (Other, at the edge 1); 2 or more: S1 (SWD), S6 (Other, at 2), S10 (Other).
    assert [b.by_group for b in growth.bands] == [(1, 0, 1), (0, 1, 1), (0, 1, 1), (1, 0, 2)]
    assert [b.students for b in growth.bands] == [2, 2, 2, 3]
    assert [b.payment for b in growth.bands] == [
        (750 + 500) * -0.5,  # -625: a penalty band
        (1_000 + 500) * 0.0,
        (1_000 + 500) * 0.5,  # 750
        (750 + 500 * 2) * 1.0,  # 1,750
    ]
    # By group: SWD 750 x (-0.5 + 1) = 375; EL 1,000 x (0 + 0.5) = 500;
    # Other students 500 x (-0.5 + 0 + 0.5 + 2) = 1,000.
    assert [g.payment for g in growth.groups] == [375, 500, 1_000]
    assert [g.achievers for g in growth.groups] == [1, 1, 3]  # in the bands that pay more than 0
    # S5 has no value: excluded, so 9 counted; 5 in paying bands.
    assert (growth.missing, growth.eligible, growth.achievers, growth.rate) == (1, 9, 5, 5 / 9)
    assert growth.payment == -625 + 0 + 750 + 1_750 == 1_875
    assert invoice.penalty_relief == 0
    assert invoice.total_due == 14_000 + 4_250 + 1_875 == 20_125


def test_banded_missing_value_counted_as_not_achieved_pays_nothing():
    invoice = settle_text(grouped_deal(), RESULTS, missing="not_achieved")
    growth = invoice.outcomes[1]
    # S5 stays in the rate (10 counted, 5 in paying bands) but is in no band: no payout, no penalty.
    assert (growth.eligible, growth.achievers, growth.rate) == (10, 5, 0.5)
    assert sum(b.students for b in growth.bands) == 9
    assert growth.payment == 1_875
    assert any("they are in no band and pay nothing" in note for note in invoice.notes)


def test_missed_commitments_pay_the_full_total_cost():
    invoice = settle_text(grouped_deal(), RESULTS, commitments_met=False)
    assert [line.payment for line in invoice.outcomes] == [7_000, 7_000]
    assert invoice.total_due == 14_000 + 7_000 + 7_000 == 28_000


def banded_only(max_penalty: float, extra=()):
    """$10,000 for 10 students, 40% performance: pool $4,000; Growth alone: $4,000 / 10 = $400 a student."""
    outcomes = [{"name": "Growth", "basis": "per_student_banded", "bands": BANDS, "weight": 1.0}]
    return make_deal(students=10, total_cost=10_000, max_penalty=max_penalty, outcomes=outcomes + list(extra))


DECLINE = "student_id,served,Growth\nA,1,-1\nB,1,-2\nC,1,-0.5\nD,1,0.5\n"


@pytest.mark.parametrize(("max_penalty", "relief", "performance"), [
    # Three students below 0: 3 x $400 x -0.5 = -$600 (D, 0 to 1, pays nothing).
    (0, 600, 0),  # penalties only offset: all $600 relieved, the base of $6,000 is paid in full
    (500, 100, -500),  # a clawback of at most $500: $100 relieved
    (1_000, 0, -600),  # the whole penalty fits under the limit
])
def test_max_penalty_limits_what_penalties_take_back(max_penalty, relief, performance):
    invoice = settle_text(banded_only(max_penalty), DECLINE)
    assert invoice.outcomes[0].payment == 3 * 400 * -0.5 == -600
    assert invoice.outcomes[0].below == 0  # the first band holds any value
    assert invoice.penalty_relief == relief
    assert invoice.performance_due == performance
    assert invoice.total_due == 6_000 + performance
    out = invoice_to_dict(invoice)
    assert (out["max_penalty"], out["penalty_relief"]) == (max_penalty, relief)
    assert ("Penalty relief" in invoice_text(invoice)) == (relief > 0)


def test_penalties_offset_what_other_outcomes_earn():
    # Growth weight 0.5: $2,000 / 10 = $200 a student; 3 below 0 = 3 x 200 x -0.5 = -$300.
    # Met weight 0.5, cohort at 50%: 2 of 4 flags -> all $2,000. Sum $1,700 >= 0: no relief.
    deal = make_deal(students=10, total_cost=10_000, outcomes=[
        {"name": "Growth", "basis": "per_student_banded", "bands": BANDS, "weight": 0.5},
        {"name": "Met", "basis": "cohort_threshold", "target_rate": 0.5, "weight": 0.5}])
    text = "student_id,served,Growth,Met\nA,1,-1,1\nB,1,-2,1\nC,1,-0.5,0\nD,1,0.5,0\n"
    invoice = settle_text(deal, text)
    assert [line.payment for line in invoice.outcomes] == [-300, 2_000]
    assert invoice.penalty_relief == 0
    assert invoice.total_due == 6_000 - 300 + 2_000 == 7_700


def test_below_the_first_band_pays_nothing():
    # Bands from 1 (50%) and 2 (100%): 0.5 is below them all. $400 a student: 0.5 x 400 + 1 x 400 = $600.
    bands = [{"min_value": 1, "payout": 0.5}, {"min_value": 2, "payout": 1}]
    deal = make_deal(students=10, total_cost=10_000,
                     outcomes=[{"name": "Growth", "basis": "per_student_banded", "bands": bands}])
    invoice = settle_text(deal, "student_id,served,Growth\nA,1,0.5\nB,1,1\nC,1,2.5\n")
    line = invoice.outcomes[0]
    assert (line.below, line.achievers, line.payment) == (1, 2, 600)
    assert any("1 served student below the first band" in note for note in invoice.notes)


def test_issue_worked_example_by_group():
    # 1,000 students, $200,000 allocation; 100 x 1.5, 200 x 1.25, 700 x 1: Σ = 1,100.
    # Achievers 40, 100, 420: u x (1.5 x 40 + 1.25 x 100 + 420) = 200,000 x 605 / 1,100 = $110,000.
    deal = make_deal(students=1000, total_cost=500_000, student_groups=[
        {"name": "Students with disabilities", "students": 100, "price_multiplier": 1.5},
        {"name": "English learners", "students": 200, "price_multiplier": 1.25}])
    rows = [f"D{i},1,Students with disabilities,{int(i < 40)}" for i in range(100)]
    rows += [f"E{i},1,English learners,{int(i < 100)}" for i in range(200)]
    rows += [f"O{i},1,,{int(i < 420)}" for i in range(700)]
    line = settle_text(deal, "student_id,served,group,Growth\n" + "\n".join(rows) + "\n").outcomes[0]
    assert line.payment == 110_000
    assert line.rate == (40 + 100 + 420) / 1000


def test_an_unknown_group_names_the_row_and_value():
    text = RESULTS.replace("S3,1,EL,", "S3,1,Gifted,")
    with pytest.raises(DealError) as caught:
        settle_text(grouped_deal(), text)
    assert caught.value.lines() == ["results.csv: row 4, column group: 'Gifted' is not a student group of "
                                    "the deal (the groups are SWD, EL and Other students)"]


def test_a_blank_group_when_every_student_is_in_a_named_group():
    deal = grouped_deal(students=5)  # 2 + 3: no Other students
    with pytest.raises(DealError) as caught:
        settle_text(deal, "student_id,served,group,Reading,Growth\nA,1,SWD,1,1\nB,1,,1,1\n")
    assert caught.value.lines() == ["results.csv: row 3, column group: no group, and every student of the "
                                    "deal is in a named group (SWD and EL)"]


def test_a_deal_pricing_groups_apart_needs_the_group_column():
    text = "student_id,served,Reading,Growth\nA,1,1,1\n"
    with pytest.raises(DealError) as caught:
        settle_text(grouped_deal(), text)
    assert caught.value.lines() == [
        "results.csv: column group: there is no such column, and the deal prices student groups apart for "
        "Reading and Growth; add a group column naming each student's group (blank for Other students), or "
        "map one to group; the header has 'student_id', 'served', 'Reading', 'Growth'"]


def test_groups_on_rate_outcomes_only_need_no_group_column():
    # A cohort outcome pays on the overall measured rate: 1 of 2 = 50% reaches the target, all $40,000.
    deal = make_deal(student_groups=GROUPS, outcomes=[
        {"name": "Met", "basis": "cohort_threshold", "target_rate": 0.5}])
    invoice = settle_text(deal, "student_id,served,Met\nA,1,1\nB,1,0\n")
    assert invoice.outcomes[0].payment == 40_000 and invoice.outcomes[0].groups == ()


def test_a_mapped_group_column_and_the_cli(tmp_path, capsys):
    deal = tmp_path / "deal.json"
    deal.write_text(json.dumps(deal_to_dict(grouped_deal())), encoding="utf-8")
    results = tmp_path / "results.csv"
    results.write_text(RESULTS.replace(",group,", ",Subgroup,"), encoding="utf-8")
    assert main(["invoice", str(deal), str(results), "--format", "json", "--map", "Subgroup=group"]) == 0
    out = json.loads(capsys.readouterr().out)
    reading, growth = out["outcomes"]
    assert [g["payment"] for g in reading["groups"]] == [750, 2_000, 1_500]
    assert [b["band"] for b in growth["bands"]] == ["below 0", "0 to 1", "1 to 2", "2 or more"]
    assert [b["payment"] for b in growth["bands"]] == [-625, 0, 750, 1_750]
    assert growth["bands"][3]["by_group"] == {"SWD": 1, "EL": 0, "Other students": 2}
    assert out["total_due"] == 20_125
