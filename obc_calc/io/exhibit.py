"""The contract's payment terms exhibit (Word, .docx), made from the deal so that it always agrees
with the calculator: the parties and term, the contract value, the base, the outcomes and their
prices (obc_calc.io.exhibit_outcomes), the district's commitments, how settle-up works and a worked
example at the expected rates. The Word pieces are in obc_calc.io.exhibit_docx; user text is
written as plain text there, never as fields or markup.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentType

from obc_calc.core.model import Deal
from obc_calc.core.money import money, percent
from obc_calc.core.report import DealReport, deal_report
from obc_calc.core.scenarios import ScenarioResult
from obc_calc.core.schedule import encumbrance_by_fiscal_year
from obc_calc.io.exhibit_docx import clause, heading, running_lines, set_up, table, title
from obc_calc.io.exhibit_outcomes import MONTHS, month_name, outcomes_section, paid_in

EXHIBIT_TITLE = "Exhibit B: Payment Terms"
NOT_NAMED = "(not named)"


def exhibit_document(deal: Deal) -> DocumentType:
    """The exhibit as a python-docx Document."""
    report = deal_report(deal)
    document = Document()
    set_up(document)
    running_lines(document, f"{EXHIBIT_TITLE} | {deal.name}")
    title(document, EXHIBIT_TITLE, [deal.name, f"to the agreement between {deal.district or 'the District'} "
                                               f"and {deal.provider or 'the Provider'}"])
    _parties(document, deal)
    _contract_value(document, report)
    _base(document, deal)
    outcomes_section(document, deal, 4)
    _commitments(document, deal)
    _settle_up(document, deal)
    _worked_example(document, report)
    return document


def exhibit_bytes(deal: Deal) -> bytes:
    buffer = io.BytesIO()
    exhibit_document(deal).save(buffer)
    return buffer.getvalue()


def save_exhibit(deal: Deal, path: str) -> None:
    with open(path, "wb") as file:
        file.write(exhibit_bytes(deal))


def term_text(deal: Deal) -> str:
    months = deal.term.months
    return (f"{months} month{'s' if months > 1 else ''}, {month_name(deal, 1)} through "
            f"{month_name(deal, months)}")


def _parties(document: DocumentType, deal: Deal) -> None:
    heading(document, 1, "Parties, Program and Term")
    rows = [["Agreement", deal.name], ["District", deal.district or NOT_NAMED],
            ["Provider", deal.provider or NOT_NAMED], ["Program", deal.program or NOT_NAMED],
            ["Students", f"{deal.students:,} students"], ["Term", term_text(deal)],
            ["Fiscal year", f"begins in {MONTHS[deal.term.fiscal_year_start_month - 1]}"]]
    table(document, ["Item", "Terms"], rows, [1.6, 4.9])


def value_rows(deal: Deal) -> list[list[str]]:
    per = deal.students
    return [["Base payment", money(deal.base_max), money(deal.base_max / per),
             percent(1 - deal.performance_share)],
            ["Performance pool (outcome payments)", money(deal.performance_pool),
             money(deal.performance_pool / per), percent(deal.performance_share)],
            ["Total contract value (not to exceed)", money(deal.total_cost), money(deal.total_cost / per),
             percent(1.0)]]


def _contract_value(document: DocumentType, report: DealReport) -> None:
    deal = report.deal
    heading(document, 2, "Contract Value")
    table(document, ["Component", "Amount", "Per pupil", "Share"], value_rows(deal), [3.1, 1.4, 1.1, 0.9],
          right={1, 2, 3}, bold_rows={2})
    clause(document, "2.1", f"The District's payments under this agreement shall not exceed "
           f"{money(deal.total_cost)} (the total contract value), {money(deal.total_cost / deal.students)} "
           f"per pupil for {deal.students:,} students.", bold_lead="Not to exceed.")
    clause(document, "2.2", f"The performance pool of {money(deal.performance_pool)} is paid only as the "
           "outcomes in Section 4 are achieved. If no outcome is achieved, the District pays "
           f"{money(report.floor.total)} with every student served.", bold_lead="Paid on outcomes.")


def base_schedule_text(deal: Deal) -> str:
    """How the base is spread over the term, at full enrollment (core.schedule.base_by_month's rule)."""
    term, base = deal.term, deal.base_max
    months = term.months
    upfront = base * term.base_upfront_share
    each = (base - upfront) / months
    spread = (f"{months} equal monthly payment{'s' if months > 1 else ''} of {money(each)}, "
              f"{month_name(deal, 1)} through {month_name(deal, months)}")
    if upfront > 0:
        return (f"{percent(term.base_upfront_share)} of the base ({money(upfront)}) is paid in "
                f"{month_name(deal, 1)}, the first month of the term, and the rest "
                f"({money(base - upfront)}) in {spread}.")
    return f"The base is paid in {spread}."


def _base(document: DocumentType, deal: Deal) -> None:
    heading(document, 3, "Base Payment")
    per = money(deal.base_max / deal.students)
    clause(document, "3.1", f"The base payment is {money(deal.base_max)} ({per} per pupil), "
           f"{percent(1 - deal.performance_share)} of the total contract value.", bold_lead="Amount.")
    if deal.base_basis == "per_student":
        basis = (f"The base is paid per student served: {per} for each student served, up to "
                 f"{deal.students:,} students. If fewer students are served, the base falls in proportion.")
    else:
        basis = "The base is a fixed amount, paid in full whatever the number of students served."
    clause(document, "3.2", basis, bold_lead="Basis.")
    clause(document, "3.3", base_schedule_text(deal) + (" These amounts are at full enrollment."
                                                        if deal.base_basis == "per_student" else ""),
           bold_lead="Schedule.")


def _commitments(document: DocumentType, deal: Deal) -> None:
    heading(document, 5, "District Commitments")
    n = 0
    for n, commitment in enumerate(deal.commitments, start=1):
        clause(document, f"5.{n}", commitment.description or "", bold_lead=f"{commitment.name}.")
    if not deal.commitments:
        n = 1
        clause(document, "5.1", "The deal lists no commitments of the District.", bold_lead="None listed.")
    clause(document, f"5.{n + 1}", "If the District does not meet a commitment above for a period, the full "
           f"price is due for it, whatever the results: the whole base ({money(deal.base_max)}) and every "
           f"outcome's full allocation ({money(deal.performance_pool)}), {money(deal.total_cost)} in all.",
           bold_lead="A missed commitment.")


def measurement_text(deal: Deal) -> str:
    by_month: dict[int, list[str]] = {}
    for outcome in deal.outcomes:
        by_month.setdefault(deal.paid_in_month(outcome), []).append(outcome.name)
    points = [f"{month_name(deal, m)} (month {m} of the term): {', '.join(names)}"
              for m, names in sorted(by_month.items())]
    return "Results are measured and paid at " + "; ".join(points) + "."


def penalty_text(deal: Deal) -> str:
    penalties = any(b.payout < 0 for o in deal.outcomes for b in o.bands or [])
    if not penalties:
        return "No outcome takes money back: the least an outcome pays is $0.00."
    if deal.max_penalty > 0:
        return (f"Penalties together never take back more than {money(deal.max_penalty)} in a settle-up; "
                "anything beyond that limit is relieved on a line of its own.")
    return ("Penalties may offset what the other outcomes earn, but the outcome payments together never "
            "fall below $0.00.")


def _settle_up(document: DocumentType, deal: Deal) -> None:
    heading(document, 6, "Settle-Up")
    clause(document, "6.1", measurement_text(deal), bold_lead="Measurement points.")
    clause(document, "6.2", "Each outcome is counted on the students served, from student-level results "
           "supplied by the outcome's data source in Section 4 and verified by the District.",
           bold_lead="Students counted.")
    clause(document, "6.3", "A served student with no result for an outcome is left out of that outcome's "
           "count: neither an achieving student nor one who did not achieve.", bold_lead="Missing data.")
    clause(document, "6.4", "Each line of an invoice is rounded to the cent, halves rounded away from zero; "
           "totals add the rounded lines. No outcome pays more than its allocation.",
           bold_lead="Rounding.")
    clause(document, "6.5", penalty_text(deal), bold_lead="Penalty limit.")


def example_rows(report: DealReport) -> list[list[str]]:
    deal, result = report.deal, report.expected
    rows = [["Base payment", "", f"{result.students_served:,} served", money(result.base),
             f"monthly, {term_text(deal)}"]]
    for outcome, paid in zip(deal.outcomes, result.outcomes, strict=True):
        rows.append([outcome.name, percent(paid.rate), _count(paid.achievers), money(paid.payment),
                     paid_in(deal, outcome)])
    if result.penalty_relief:
        rows.append(["Penalty relief (limit reached)", "", "", money(result.penalty_relief), ""])
    rows.append(["Total at the expected rates", "", "", money(result.total), ""])
    return rows


def _count(achievers: float) -> str:
    return f"{achievers:,.0f}" if abs(achievers - round(achievers)) < 1e-6 else f"{achievers:,.1f}"


def _worked_example(document: DocumentType, report: DealReport) -> None:
    deal, result = report.deal, report.expected
    heading(document, 7, "Worked Example at the Expected Rates")
    clause(document, "7.1", "For illustration only: what the District would pay if every outcome came in "
           f"at its expected rate and all {deal.students:,} students were served. Actual payments follow "
           "the results.", bold_lead="Illustration.")
    rows = example_rows(report)
    table(document, ["Line", "Rate", "Students", "Payment", "Paid in"], rows, [2.2, 0.7, 0.9, 1.2, 1.5],
          right={1, 2, 3}, bold_rows={len(rows) - 1})
    clause(document, "7.2", f"The expected total is {money(result.total)}, {money(report.per_pupil(result))} "
           f"per pupil and {percent(result.total / deal.total_cost)} of the not-to-exceed value; "
           f"{percent(result.pool_earned_share)} of the performance pool is earned.", bold_lead="Result.")
    _by_fiscal_year(document, deal, report.maximum, result)


def fiscal_year_rows(deal: Deal, maximum: ScenarioResult, expected: ScenarioResult) -> list[list[str]]:
    table_ = encumbrance_by_fiscal_year(deal, [maximum, expected])
    rows = [[str(r["Fiscal year"]), money(r[maximum.name]), money(r[expected.name])]
            for _, r in table_.iterrows()]
    if len(rows) > 1:
        rows.append(["Total", money(table_[maximum.name].sum()), money(table_[expected.name].sum())])
    return rows


def _by_fiscal_year(document: DocumentType, deal: Deal, maximum: ScenarioResult,
                    expected: ScenarioResult) -> None:
    clause(document, "7.3", "By fiscal year, the most the District may pay and the expected payments:",
           bold_lead="By fiscal year.")
    rows = fiscal_year_rows(deal, maximum, expected)
    table(document, ["Fiscal year", "Not to exceed", "Expected"], rows, [1.5, 1.8, 1.8], right={1, 2},
          bold_rows={len(rows) - 1} if len(rows) > 1 else set(), last=True)
