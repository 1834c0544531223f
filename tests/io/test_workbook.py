"""The budget workbook: evaluated by a formula engine, it must agree with obc_calc to the cent."""

from __future__ import annotations

from pathlib import Path

import formulas
import pytest
from openpyxl import load_workbook

from obc_calc.core.bases import BASES, RATE_TOLERANCE
from obc_calc.core.model import Scenario
from obc_calc.core.report import deal_report
from obc_calc.core.scenarios import all_scenarios, evaluate, expected
from obc_calc.core.schedule import fiscal_year_schedule, monthly_schedule
from obc_calc.io.dealfile import deal_from_dict, deal_to_dict, load_deal
from obc_calc.io.workbook import (
    SCHEDULE_HEADER_ROW,
    SCHEDULE_MONTHS,
    build_workbook,
    save_workbook,
    workbook_bytes,
)
from obc_calc.io.workbook_layout import SCHEDULE_FY_HEADER_ROW

ROOT = Path(__file__).resolve().parents[2]
DEALS = sorted((ROOT / "sample_data").glob("*.json")) + [ROOT / "tests" / "data" / "example_deal.json"]
CENT = 0.005
HYPERLINK = '=HYPERLINK("http://x","y")'


# Each optional outcome field a basis may read, as one generated outcome gives it; a basis reading a
# field not here fails every_basis_deal, so this table grows with the fields the bases read.
FIELD_EXAMPLES = {
    "target_rate": 0.5,
    "floor_rate": 0.2,
    "tiers": [{"min_rate": 0.3, "payout": 0.5}, {"min_rate": 0.5, "payout": 0.8},
              {"min_rate": 0.7, "payout": 1.0}],
    # The issue's bands: a quarter of the price taken back for a decline, half for 1.0, all for 1.5.
    "bands": [{"min_value": None, "payout": -0.25}, {"min_value": 0, "payout": 0.0},
              {"min_value": 1.0, "payout": 0.5}, {"min_value": 1.5, "payout": 1.0}],
    "expected_band_shares": [0.1, 0.3, 0.4, 0.2],
}
# Every edge the examples hold, a rate just inside the tolerance below it (pays as the edge) and one
# just outside (does not), the ends and a rate between edges.
EDGES = {0.2, 0.3, 0.5, 0.7}
EDGE_RATES = sorted({0.0, 0.37, 1.0} | EDGES | {e - RATE_TOLERANCE / 2 for e in EDGES}
                    | {e - 2 * RATE_TOLERANCE for e in EDGES})


def every_basis_outcomes() -> list[dict]:
    """One outcome of each basis in the table, with every field the basis reads."""
    outcomes = [{"name": f"{name} outcome", "basis": name, "weight": 1 / len(BASES), "expected_rate": 0.45}
                | {field: FIELD_EXAMPLES[field] for field in record.fields}
                for name, record in BASES.items()]
    outcomes[-1]["weight"] = 1 - sum(o["weight"] for o in outcomes[:-1])
    return outcomes


def at_rate(outcomes: list[dict], rate: float) -> dict:
    """A scenario's inputs with every outcome at `rate`: a banded outcome's students split so that
    `rate` of them are in its two paying bands and the rest in the two below."""
    banded = [o["name"] for o in outcomes if BASES[o["basis"]].banded]
    return {"rates": {o["name"]: rate for o in outcomes if o["name"] not in banded},
            "band_shares": {name: [(1 - rate) / 2, (1 - rate) / 2, rate / 2, rate / 2] for name in banded}}


def every_basis_deal():
    """One outcome of each basis in the table, every outcome at each edge rate in turn, one scenario
    serving fewer students and one with the commitments missed."""
    outcomes = every_basis_outcomes()
    scenarios = [{"name": f"at {rate!r}"} | at_rate(outcomes, rate) for rate in EDGE_RATES]
    scenarios += [{"name": "fewer served", "students_served": 70} | at_rate(outcomes, 0.6),
                  {"name": "missed", "commitments_met": False} | at_rate(outcomes, 0.1)]
    return deal_from_dict({"schema_version": 1, "name": "Every basis", "students": 100,
                           "total_cost": 250_000, "performance_share": 0.4,
                           "outcomes": outcomes, "scenarios": scenarios})


SWD, EL = "Students with disabilities", "English learners"


def grouped_deal():
    """Every basis in a deal with two groups priced higher, rates given at every level of precedence,
    a banded outcome taking money back, and a max_penalty that stops it."""
    outcomes = every_basis_outcomes()
    by_basis = {o["basis"]: o for o in outcomes}
    by_basis["per_student"]["group_expected_rates"] = {SWD: 0.4, EL: 0.5}
    by_basis["cohort_threshold"]["group_expected_rates"] = {"Other students": 0.7}
    by_basis["per_student_banded"]["group_band_shares"] = {SWD: [0.3, 0.3, 0.3, 0.1]}
    names = {basis: o["name"] for basis, o in by_basis.items()}
    scenarios = [
        {"name": "groups given", "rates": {names["cohort_threshold"]: 0.55},
         "group_rates": {names["per_student"]: {EL: 0.7}, names["linear"]: {SWD: 0.9, "Other students": 0.2}},
         "group_band_shares": {names["per_student_banded"]: {EL: [0.5, 0.5, 0.0, 0.0]}}},
        {"name": "overall given"} | at_rate(outcomes, 0.45),
        {"name": "overall and groups", "group_rates": {names["tiered"]: {EL: 0.75}},
         "group_band_shares": {names["per_student_banded"]: {SWD: [0.0, 0.0, 0.0, 1.0]}}}
        | at_rate(outcomes, 0.3),
        {"name": "all decline", "rates": {n: 0.0 for b, n in names.items() if b != "per_student_banded"},
         "band_shares": {names["per_student_banded"]: [1.0, 0.0, 0.0, 0.0]}},
        {"name": "fewer served", "students_served": 600} | at_rate(outcomes, 0.6),
        {"name": "missed", "commitments_met": False} | at_rate(outcomes, 0.1),
    ]
    return deal_from_dict({"schema_version": 1, "name": "Groups and bands", "students": 1000,
                           "total_cost": 1_000_000, "performance_share": 0.5, "max_penalty": 20_000,
                           "student_groups": [{"name": SWD, "students": 100, "price_multiplier": 1.5},
                                              {"name": EL, "students": 200, "price_multiplier": 1.25}],
                           "outcomes": outcomes, "scenarios": scenarios})


def tricky_deal():
    """The example deal with formula-like names everywhere a user types text."""
    data = deal_to_dict(load_deal(ROOT / "tests" / "data" / "example_deal.json"))
    data["name"] = HYPERLINK
    data["district"] = "+1 district"
    data["outcomes"][0]["name"] = HYPERLINK
    data["outcomes"][1]["metric"] = "-2 months"
    data["outcomes"][2]["threshold"] = "@level 3"
    data["scenarios"][0]["name"] = "=1+1"
    for scenario in data["scenarios"]:
        scenario["rates"] = {HYPERLINK if k == "Dosage" else k: v for k, v in scenario["rates"].items()}
    data["commitments"][0]["name"] = "=SUM(A1:A9)"
    data["commitments"][0]["description"] = "-schedule"
    return deal_from_dict(data)


class Evaluated:
    """A saved workbook, its formula model, and the values the engine computed."""

    def __init__(self, deal, path: Path):
        self.deal, self.path = deal, path
        save_workbook(deal, path)
        self.wb = load_workbook(path)
        self.model = formulas.ExcelModel().loads(str(path)).finish()
        self.values = self.solve()

    def key(self, sheet: str, cell: str) -> str:
        return f"'[{self.path.name}]{sheet.upper()}'!{cell}"

    def solve(self, inputs: dict | None = None) -> dict:
        solution = self.model.calculate(inputs=inputs or {})
        return {k: v.value[0, 0] for k, v in solution.items() if ":" not in k and hasattr(v, "value")}

    def get(self, sheet: str, cell: str, values: dict | None = None):
        value = (values or self.values).get(self.key(sheet, cell))
        return None if value is None else value

    def column(self, sheet: str, header: str, header_row: int = 1) -> str:
        ws = self.wb[sheet]
        for cell in ws[header_row]:
            if cell.value == header:
                return cell.column_letter
        raise KeyError(header)

    def label_row(self, sheet: str, label: str) -> int:
        return next(c.row for c in self.wb[sheet]["A"] if c.value == label)


_BOOKS: dict[str, Evaluated] = {}  # the engine is slow: evaluate each workbook once per run


def evaluated(name: str, tmp_path_factory) -> Evaluated:
    if name not in _BOOKS:
        made = {"tricky": tricky_deal, "every_basis": every_basis_deal, "grouped": grouped_deal}
        deal = made[name]() if name in made else load_deal(next(p for p in DEALS if p.stem == name))
        _BOOKS[name] = Evaluated(deal, tmp_path_factory.mktemp("wb") / f"{name}.xlsx")
    return _BOOKS[name]


@pytest.fixture(scope="module", params=[p.stem for p in DEALS] + ["tricky", "every_basis", "grouped"])
def book(request, tmp_path_factory) -> Evaluated:
    return evaluated(request.param, tmp_path_factory)


def close(a, b) -> bool:
    return abs(float(a) - float(b)) < CENT


def scenario_values(book: Evaluated, row: int, values: dict | None = None) -> dict:
    deal = book.deal
    out = {h: book.get("Scenarios", f"{book.column('Scenarios', h)}{row}", values)
           for h in ("Base", "Performance", "Total", "Savings", "Cost per student served")}
    for o in deal.outcomes:
        out[o.name] = book.get("Scenarios", f"{book.column('Scenarios', o.name + ' payment')}{row}", values)
    return out


def assert_matches(result, got: dict) -> None:
    assert close(got["Base"], result.base)
    assert close(got["Performance"], result.performance)
    assert close(got["Total"], result.total)
    assert close(got["Savings"], result.district_savings)
    assert close(got["Cost per student served"], result.cost_per_student_served)
    for o in result.outcomes:
        assert close(got[o.name], o.payment), o.name


def test_every_scenario_matches_obc_calc(book):
    results = all_scenarios(book.deal)
    names = [book.wb["Scenarios"].cell(2 + i, 1).value for i in range(len(results))]
    assert names == [r.name for r in results]
    for i, result in enumerate(results):
        assert_matches(result, scenario_values(book, 2 + i))


def test_the_generated_deals_have_every_basis_of_the_table():
    assert [o.basis for o in every_basis_deal().outcomes] == list(BASES)
    assert [o.basis for o in grouped_deal().outcomes] == list(BASES)


def test_a_basis_the_table_does_not_know_pays_not_available(tmp_path_factory):
    book = evaluated("every_basis", tmp_path_factory)
    values = book.solve({book.key("Rate Card", f"{book.column('Rate Card', 'Basis')}2"): "bogus"})
    column = book.column("Scenarios", book.deal.outcomes[0].name + " payment")
    payment = book.get("Scenarios", f"{column}2", values)
    assert isinstance(payment, formulas.functions.XlError) and str(payment) == "#N/A"


def test_summary_figures_match_obc_calc(book):
    deal, report = book.deal, deal_report(book.deal)
    expected_figures = {
        "Performance pool": (deal.performance_pool, None),
        "Base (maximum)": (deal.base_max, None),
        "Maximum (contract value)": (report.maximum.total, report.per_pupil(report.maximum)),
        "Expected cost": (report.expected.total, report.per_pupil(report.expected)),
        "Floor (nothing achieved)": (report.floor.total, report.per_pupil(report.floor)),
        "Expected savings against the maximum": (report.expected.district_savings, None),
    }
    for label, (amount, per_pupil) in expected_figures.items():
        row = book.label_row("Summary", label)
        assert close(book.get("Summary", f"B{row}"), amount), label
        if per_pupil is not None:
            assert close(book.get("Summary", f"C{row}"), per_pupil), label


def test_schedule_matches_obc_calc(book):
    deal = book.deal
    monthly = monthly_schedule(deal, expected(deal))
    top = SCHEDULE_HEADER_ROW
    columns = ["Base", *(o.name for o in deal.outcomes), "Total", "Cumulative"]
    for i, month in monthly.iterrows():
        r = top + 1 + i
        assert book.get("Schedule", f"B{r}") == month["Month"]
        assert f"FY{book.get('Schedule', f'C{r}'):.0f}" == month["Fiscal year"]
        for name in columns:
            assert close(book.get("Schedule", f"{book.column('Schedule', name, top)}{r}"), month[name]), name
    for r in range(top + 1 + deal.term.months, top + 1 + SCHEDULE_MONTHS):
        assert book.get("Schedule", f"B{r}") == "" and book.get("Schedule", f"D{r}") == ""
    by_year = fiscal_year_schedule(deal, expected(deal))
    ws = book.wb["Schedule"]
    fy_top = SCHEDULE_FY_HEADER_ROW  # the fiscal years' table, above the months' in the same columns
    fy = next(c.column for c in ws[fy_top] if c.value == "Fiscal year")
    assert fy == 3 and [c.value for c in ws[fy_top]][3:5 + len(deal.outcomes)] == [
        "Base", *(o.name for o in deal.outcomes), "Total"]
    for i, year in by_year.iterrows():
        r = fy_top + 1 + i
        assert f"FY{book.get('Schedule', f'{ws.cell(r, fy).column_letter}{r}'):.0f}" == year["Fiscal year"]
        for j, name in enumerate(["Base", *(o.name for o in deal.outcomes), "Total"]):
            assert close(book.get("Schedule", f"{ws.cell(r, fy + 1 + j).column_letter}{r}"), year[name]), name
    after = fy_top + 1 + len(by_year)  # the first fiscal-year row past the term stays blank
    assert book.get("Schedule", f"{ws.cell(after, fy).column_letter}{after}") == ""


def test_example_deal_by_hand(tmp_path_factory):
    """The issue's example deal, worked by hand: pool $568,000 (40% of $1,420,000), base $852,000."""
    book = evaluated("example_deal", tmp_path_factory)
    got = scenario_values(book, 2)
    assert close(got["Dosage"], 568000 * 0.25 * 0.75)  # per student: 106,500
    assert close(got["Math growth"], 568000 * 0.45)  # 55% reaches the 50% target: 255,600
    assert close(got["Proficiency"], 568000 * 0.20 * 0.5)  # 25% is in the 20% tier: 56,800
    assert close(got["Same tutor"], 568000 * 0.10 * (0.7 - 0.5) / (0.9 - 0.5))  # 28,400
    assert close(got["Total"], 852000 + 106500 + 255600 + 56800 + 28400)  # 1,299,300
    fewer = scenario_values(book, 5)  # 800 of 1,000 students served, base paid per student
    assert close(fewer["Base"], 852000 / 1000 * 800)  # 681,600
    assert close(fewer["Dosage"], 142000 * 0.75 * 0.8)  # 85,200
    missed = scenario_values(book, 6)
    assert close(missed["Total"], 1420000)  # commitments missed: the full contract value
    # Schedule (months from row 16): 20% of the base upfront, the rest over ten months; Dosage paid in
    # month 5 (2027-01); above, the fiscal year 2027 holds the whole expected cost.
    assert close(book.get("Schedule", "D16"), 852000 * 0.2 + 852000 * 0.8 / 10)  # 238,560
    assert close(book.get("Schedule", "D17"), 852000 * 0.8 / 10)  # 68,160
    assert book.get("Schedule", "B20") == "2027-01" and close(book.get("Schedule", "E20"), 106500)
    assert book.get("Schedule", "C25") == 2027 and close(book.get("Schedule", "J25"), 1299300)
    assert book.get("Schedule", "C7") == 2027 and close(book.get("Schedule", "I7"), 1299300)
    # Change rate inputs: Low's Math growth to exactly its 50% target pays the whole allocation;
    # Low's Proficiency exactly at the 30% tier pays it all, High's just below pays half.
    values = book.solve({book.key("Scenarios", "C3"): 0.5, book.key("Scenarios", "D3"): 0.3,
                         book.key("Scenarios", "D4"): 0.2999})
    low, high = scenario_values(book, 3, values), scenario_values(book, 4, values)
    assert close(low["Math growth"], 568000 * 0.45) and close(low["Proficiency"], 568000 * 0.2)
    assert close(low["Total"], 852000 + 71000 + 255600 + 113600)  # 1,292,200
    assert close(high["Proficiency"], 568000 * 0.2 * 0.5)  # 56,800
    # The Schedule shows the scenario picked in B1: Low pays Dosage's $71,000 in January.
    values = book.solve({book.key("Schedule", "B1"): "Low"})
    assert close(book.get("Schedule", "E20", values), 568000 * 0.25 * 0.5)
    assert close(book.get("Schedule", "J25", values), 852000 + 71000)  # Low's cumulative total


def test_changed_inputs_match_obc_calc(book):
    """Type new rates and a new performance share into the workbook; obc_calc must follow."""
    deal = book.deal
    share_row = book.label_row("Summary", "Performance share")
    changes = {book.key("Summary", f"B{share_row}"): 0.5}
    rates = {}
    for outcome in deal.outcomes:
        if outcome.bands is not None:
            continue  # paid by band shares: no rate column
        edge = (outcome.tiers[-1].min_rate if outcome.tiers else outcome.target_rate) or 0.61
        rates[outcome.name] = edge  # a rate exactly at a target or top tier counts as reaching it
        changes[book.key("Scenarios", f"{book.column('Scenarios', outcome.name)}2")] = edge
    changed_deal = deal_from_dict(deal_to_dict(deal) | {"performance_share": 0.5})
    values = book.solve(changes)
    changed = evaluate(changed_deal, Scenario(name="Changed", rates=rates))
    assert_matches(changed, scenario_values(book, 2, values))
    for i, scenario in enumerate(changed_deal.scenarios):
        assert_matches(evaluate(changed_deal, scenario), scenario_values(book, 3 + i, values))


def test_derived_cells_hold_formulas(book):
    wb, deal = book.wb, book.deal
    n = len(deal.outcomes)
    first = wb["Scenarios"][f"{book.column('Scenarios', deal.outcomes[0].name + ' payment')}1"].column
    for row in range(2, 3 + len(deal.scenarios)):
        for column in range(first, first + n + 5):  # every payment, Base ... Cost per student served
            assert str(wb["Scenarios"].cell(row, column).value).startswith("="), (row, column)
    for label in ("Performance pool", "Base (maximum)", "Maximum (contract value)", "Expected cost"):
        assert str(wb["Summary"].cell(book.label_row("Summary", label), 2).value).startswith("=")
    allocation = book.column("Rate Card", "Allocation")
    for j in range(n):
        assert wb["Rate Card"][f"{allocation}{2 + j}"].value.startswith("=Pool*")
    for column in range(2, 7 + n):
        assert str(wb["Schedule"].cell(SCHEDULE_HEADER_ROW + 1, column).value).startswith("=")
    names = {"TotalCost", "PerformanceShare", "Students", "BaseBasis", "BaseMax", "Pool"}
    assert set(wb.defined_names) >= names


def test_scenario_headers_are_outcome_names(book):
    """An outcome's rate column is headed by its name; each group's by the outcome and group; a banded
    outcome has a share column per band instead (and per group and band)."""
    deal = book.deal
    headers = [c.value for c in book.wb["Scenarios"][1]]
    groups = [g.name for g in deal.student_groups] + (["Other students"] if deal.student_groups else [])
    inputs = []
    for o in deal.outcomes:
        bands = range(1, len(o.bands) + 1) if o.bands else ()
        inputs += [f"{o.name}: band {b} share" for b in bands] if bands else [o.name]
        inputs += ([f"{o.name}: {g}: band {b} share" for g in groups for b in bands] if bands
                   else [f"{o.name}: {g}" for g in groups])
    names = [o.name for o in deal.outcomes]
    assert headers == ["Scenario", *inputs, "Students served", "Commitments met",
                       *[f"{m} payment" for m in names],
                       "Base", "Performance", "Total", "Savings", "Cost per student served"]


def test_grouped_scenario_headers_spelled_out(tmp_path_factory):
    headers = [c.value for c in evaluated("grouped", tmp_path_factory).wb["Scenarios"][1]]
    assert headers[1:5] == ["per_student outcome", f"per_student outcome: {SWD}",
                            f"per_student outcome: {EL}", "per_student outcome: Other students"]
    banded = headers.index("per_student_banded outcome: band 1 share")
    assert headers[banded + 3: banded + 6] == ["per_student_banded outcome: band 4 share",
                                               f"per_student_banded outcome: {SWD}: band 1 share",
                                               f"per_student_banded outcome: {SWD}: band 2 share"]


def test_user_text_is_stored_as_text():
    deal = tricky_deal()
    wb = build_workbook(deal)
    texts = {
        ("Summary", "B5"): HYPERLINK, ("Summary", "B6"): "+1 district",
        ("Rate Card", "A2"): HYPERLINK, ("Rate Card", "B3"): "-2 months", ("Rate Card", "C4"): "@level 3",
        ("Scenarios", "B1"): HYPERLINK, ("Scenarios", "A3"): "=1+1",
    }
    for (sheet, cell), text in texts.items():
        assert wb[sheet][cell].value == text and wb[sheet][cell].data_type == "s", (sheet, cell)
    notes = [c for row in wb["Notes"].iter_rows() for c in row if c.value == "=SUM(A1:A9)"]
    assert notes and all(c.data_type == "s" for c in notes)
    # Formulas point at cells, never at the names themselves.
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    formulas_text = " ".join(str(c.value) for c in cells if c.data_type == "f")
    assert "HYPERLINK" not in formulas_text and "http://x" not in formulas_text


def test_reloaded_text_stays_text(tmp_path):
    path = tmp_path / "tricky.xlsx"
    path.write_bytes(workbook_bytes(tricky_deal()))
    ws = load_workbook(path)["Rate Card"]
    assert ws["A2"].value == HYPERLINK and ws["A2"].data_type == "s"


def test_number_formats_inputs_and_frozen_headers():
    deal = load_deal(ROOT / "tests" / "data" / "example_deal.json")
    wb = build_workbook(deal)
    scenarios = wb["Scenarios"]
    assert scenarios.freeze_panes == "B2" and wb["Rate Card"].freeze_panes == "B2"
    assert scenarios["B3"].number_format == "0.0%" and scenarios["B3"].font.color.rgb.endswith("0000FF")
    assert "$" in scenarios["N3"].number_format
    assert wb["Rate Card"]["G2"].number_format == "0.0%"
    rate_rules = [dv for dv in wb["Rate Card"].data_validations.dataValidation if dv.type == "decimal"]
    assert rate_rules and (rate_rules[0].formula1, rate_rules[0].formula2) == ("0", "1")
    assert "G2" in rate_rules[0].sqref



def test_allocations_split_the_pool_by_the_weights_sum(tmp_path):
    """Weights adding up to 1.0000009 (within the tolerance): the pool is split by weight over the
    weights' sum, so the workbook's Maximum is the total cost, as obc_calc's is, not $9,000,000 more."""
    weights = {"A": 0.3333336, "B": 0.3333336, "C": 0.3333337}
    deal = deal_from_dict({
        "schema_version": 1, "name": "Weights", "students": 100, "total_cost": 9_999_999_999_999.99,
        "performance_share": 1.0, "outcomes": [{"name": n, "weight": w} for n, w in weights.items()],
    })
    book = Evaluated(deal, tmp_path / "weights.xlsx")
    allocation = book.column("Rate Card", "Allocation")
    for j, outcome in enumerate(deal.outcomes):
        assert close(book.get("Rate Card", f"{allocation}{2 + j}"), deal.allocation(outcome)), outcome.name
    # A = B = 9,999,999,999,999.99 x 3,333,336 / 10,000,009; C likewise with 3,333,337: the pool.
    assert close(book.get("Rate Card", f"{allocation}2"), 3_333_333_000_000.2967)
    maximum_row = book.label_row("Summary", "Maximum (contract value)")
    assert close(book.get("Summary", f"B{maximum_row}"), 9_999_999_999_999.99)


def test_issue_worked_example_of_groups_by_hand(tmp_path):
    """1,000 students, a $200,000 allocation; disabilities 100 x 1.5, English learners 200 x 1.25, so
    Other students 700 x 1: 1,100 priced students and a unit price of 200,000 / 1,100."""
    deal = deal_from_dict({
        "schema_version": 1, "name": "Groups", "students": 1000, "total_cost": 200_000,
        "performance_share": 1.0,
        "student_groups": [{"name": SWD, "students": 100, "price_multiplier": 1.5},
                           {"name": EL, "students": 200, "price_multiplier": 1.25}],
        "outcomes": [{"name": "Reading", "expected_rate": 0.6, "group_expected_rates": {SWD: 0.4, EL: 0.5}}],
        "scenarios": [{"name": "Typed", "students_served": 500}],
    })
    book = Evaluated(deal, tmp_path / "groups.xlsx")
    assert book.get("Student Groups", "D2") == 700 and book.get("Student Groups", "B6") == 1100
    assert close(book.get("Rate Card", f"{book.column('Rate Card', 'Price per achieving student')}2"),
                 200_000 / 1100)  # $181.82
    assert close(book.get("Student Groups", "B10"), 200_000 / 1100 * 1.5)  # disabilities: $272.73
    # 40, 100 and 420 achievers: u x (1.5 x 40 + 1.25 x 100 + 420) = u x 605 = $110,000.
    assert close(scenario_values(book, 2)["Reading"], 110_000)
    assert close(scenario_values(book, 3)["Reading"], 110_000 * 500 / 1000)  # half the students served
    # A rate typed over the scenario's blank Reading cell: every group at 50%, u x 550 = $50,000 for 500.
    values = book.solve({book.key("Scenarios", f"{book.column('Scenarios', 'Reading')}3"): 0.5})
    assert close(scenario_values(book, 3, values)["Reading"],
                 200_000 / 1100 * (1.5 * 50 + 1.25 * 100 + 350) / 2)


def test_issue_worked_example_of_bands_by_hand(tmp_path):
    """$100,000 over 500 students is $200 a student; shares 10%, 30%, 40%, 20% of bands paying -25%, 0%,
    50% and 100% pay 200 x 500 x (-0.025 + 0 + 0.2 + 0.2) = $37,500; the base is $100,000."""
    deal = deal_from_dict({
        "schema_version": 1, "name": "Bands", "students": 500, "total_cost": 200_000,
        "performance_share": 0.5, "max_penalty": 10_000,
        "outcomes": [{"name": "MAP growth", "basis": "per_student_banded", "bands": FIELD_EXAMPLES["bands"],
                      "expected_band_shares": FIELD_EXAMPLES["expected_band_shares"]}],
        "scenarios": [{"name": "Decline", "band_shares": {"MAP growth": [1.0, 0.0, 0.0, 0.0]}}],
    })
    book = Evaluated(deal, tmp_path / "bands.xlsx")
    assert close(book.get("Rate Card", f"{book.column('Rate Card', 'Price per achieving student')}2"), 200)
    expected, decline = scenario_values(book, 2), scenario_values(book, 3)
    assert close(expected["MAP growth"], 37_500) and close(expected["Total"], 137_500)
    # Everyone declines: 200 x 500 x -0.25 = -$25,000, of which max_penalty lets $10,000 be taken.
    assert close(decline["MAP growth"], -25_000) and close(decline["Performance"], -10_000)
    assert close(decline["Total"], 90_000)
    floor = book.label_row("Summary", "Floor (nothing achieved)")
    assert close(book.get("Summary", f"B{floor}"), 90_000)
    # With max_penalty typed down to 0, penalties only offset: the decline pays the base alone.
    penalty = book.label_row("Summary", "Most penalties can take back")
    values = book.solve({book.key("Summary", f"B{penalty}"): 0})
    assert close(scenario_values(book, 3, values)["Total"], 100_000)
    assert close(book.get("Summary", f"B{floor}", values), 100_000)
