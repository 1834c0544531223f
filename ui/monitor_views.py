"""The Monitor page's tables and charts: each outcome on track or at risk, the commitments, the
ledger, the measured rates over time and the forecast against plan. Plain words: "likely to pay",
"could be as low as / as high as"."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from obc_calc.core.forecast import CommitmentStatus, Snapshot, Status
from obc_calc.core.ledger import RecordedInvoice, ledger_summary
from obc_calc.core.model import Deal
from obc_calc.core.sensitivity import expected_figure
from obc_calc.io.status_report import COMMITMENT_WORDS
from ui import charts, widgets

NOT_RECORDED = "Not recorded yet"
TRACK_HELP = {
    "Measured rate": "Achievers ÷ eligible students in the latest results recorded; — before any.",
    "Forecast rate": "The rate the outcome is likely to end the term at: the plan's expected rate, "
                     "moved towards the results measured so far (worth as many students as were "
                     "measured). Results measured at the end of term fix it exactly.",
    "Plan's rate": "The rate the plan expects.",
    "Status": "On track: the forecast rate is at least the plan's rate; at risk: it is below.",
    "Likely to pay": "The average payment over many simulated ends of term.",
    "As low as": "Could be as low as: 1 simulated end of term in 10 pays less.",
    "As high as": "Could be as high as: 1 simulated end of term in 10 pays more.",
    "Planned": "What the outcome pays at the plan's expected rate.",
}


def _money(value: float | None) -> str:
    return "—" if value is None else widgets.money(value)


def track_frame(deal: Deal, status: Status) -> pd.DataFrame:
    """One row per outcome: measured, forecast and planned rates, on track or at risk, the payments."""
    planned = {outcome.name: expected_figure(deal, outcome) for outcome in deal.outcomes}
    rows = []
    for line in status.outcomes:
        counted = "" if line.eligible is None else f"{line.achievers:,} of {line.eligible:,}"
        rows.append({
            "Outcome": line.name, "Measured rate": widgets.percent_or_dash(line.measured_rate),
            "Achievers": counted, "Forecast rate": widgets.percent(line.forecast_rate),
            "Plan's rate": widgets.percent(planned[line.name]),
            "Status": ("Measured: " if line.final else "") + ("on track" if line.on_track else "at risk"),
            "Likely to pay": widgets.money(line.payment_expected),
            "As low as": widgets.money(line.payment_p10), "As high as": widgets.money(line.payment_p90),
            "Planned": widgets.money(line.planned_payment),
        })
    rows.append({"Outcome": "Total (base and outcomes)",
                 "Likely to pay": widgets.money(status.total_expected),
                 "As low as": widgets.money(status.total_p10), "As high as": widgets.money(status.total_p90),
                 "Planned": widgets.money(status.total_planned)})
    return pd.DataFrame(rows, dtype=object).fillna("")


def commitments_frame(deal: Deal, records: list[CommitmentStatus]) -> pd.DataFrame:
    """Every commitment of the deal, then any other one recorded: its latest status, date and note."""
    by_name = {record.name.casefold(): record for record in records}
    names = [commitment.name for commitment in deal.commitments]
    known = {name.casefold() for name in names}
    names += [record.name for record in records if record.name.casefold() not in known]
    rows = []
    for name in names:
        record = by_name.get(name.casefold())
        rows.append({"Commitment": name,
                     "Status": COMMITMENT_WORDS.get(record.status, record.status) if record else NOT_RECORDED,
                     "As of": record.as_of.isoformat() if record else "",
                     "Note": record.note if record else ""})
    return pd.DataFrame(rows, columns=["Commitment", "Status", "As of", "Note"], dtype=object)


def invoices_frame(invoices: list[RecordedInvoice]) -> pd.DataFrame:
    rows = [{"Period": invoice.period, "Date": invoice.date.isoformat(), "Line": line.name,
             "Earned": widgets.money(line.earned, cents=True),
             "Invoiced before": widgets.money(line.invoiced_before, cents=True),
             "Due now": widgets.money(line.payment, cents=True)}
            for invoice in invoices for line in invoice.lines]
    return pd.DataFrame(rows, columns=["Period", "Date", "Line", "Earned", "Invoiced before", "Due now"],
                        dtype=object)


def summary_frame(deal: Deal, invoices: list[RecordedInvoice]) -> pd.DataFrame:
    rows = [{"Line": line["name"], "Paid so far": widgets.money(line["paid"], cents=True),
             "Not to exceed": "—" if line["not_to_exceed"] is None else widgets.money(line["not_to_exceed"],
                                                                                     cents=True),
             "Remaining": "—" if line["remaining"] is None else widgets.money(line["remaining"], cents=True)}
            for line in ledger_summary(deal, invoices)]
    return pd.DataFrame(rows, columns=["Line", "Paid so far", "Not to exceed", "Remaining"], dtype=object)


def rates_chart(deal: Deal, snapshots: list[Snapshot], key: str) -> None:
    """Each outcome's measured rate at each snapshot, with the plan's rate as a dotted line."""
    fig = go.Figure()
    ordered = sorted(snapshots, key=lambda snapshot: snapshot.as_of)
    dates = [snapshot.as_of for snapshot in ordered]
    for index, outcome in enumerate(deal.outcomes):
        rates = [next((c.rate for c in s.outcomes if c.name == outcome.name), None) for s in ordered]
        color = charts.colour(index)
        fig.add_trace(go.Scatter(x=dates, y=rates, mode="lines+markers", name=f"{outcome.name}: measured",
                                 line={"color": color}, hovertemplate="%{y:.1%}"))
        target = expected_figure(deal, outcome)
        fig.add_trace(go.Scatter(x=[dates[0], dates[-1]], y=[target, target], mode="lines",
                                 name=f"{outcome.name}: plan", line={"color": color, "dash": "dot"},
                                 hovertemplate="%{y:.1%}"))
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    charts.show_chart(fig, "Each outcome's measured rate over time, against the plan", "Results as of",
                      "Students achieving (share of eligible)", y_money=False, key=key)


def forecast_chart(status: Status, key: str) -> None:
    """What each outcome is likely to pay, its 10–90% range as a bar, and the planned payment."""
    names = [line.name for line in status.outcomes]
    expected = [line.payment_expected for line in status.outcomes]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=names, y=expected, name="Likely to pay",
        error_y={"type": "data", "symmetric": False,
                 "array": [line.payment_p90 - line.payment_expected for line in status.outcomes],
                 "arrayminus": [line.payment_expected - line.payment_p10 for line in status.outcomes]},
        hovertemplate="%{y:$,.0f}"))
    fig.add_trace(go.Scatter(x=names, y=[line.planned_payment for line in status.outcomes], mode="markers",
                             name="Planned", marker={"symbol": "diamond", "size": 12, "color": charts.INK},
                             hovertemplate="%{y:$,.0f}"))
    charts.show_chart(fig, "What each outcome is likely to pay (whiskers: as low as / as high as, 10–90%), "
                           "against the plan", "Outcome", "Payment", key=key)
