"""`provider DEAL.json --cost-fixed X --cost-per-student Y`: margins, break-even and cash flow."""

from __future__ import annotations

import argparse

from obc_calc.cli import number_option, print_json
from obc_calc.core.limits import MAX_MONEY, terminal_safe
from obc_calc.core.provider import DeliveryCost, break_even_rate, max_shortfall, provider_scenarios
from obc_calc.core.report import money, percent
from obc_calc.io.dealfile import load_deal


def provider_view(deal, cost: DeliveryCost) -> dict:
    return {
        "deal": deal.name,
        "cost_fixed": cost.fixed,
        "cost_per_student": cost.per_student,
        "break_even_rate": break_even_rate(deal, cost),
        "max_shortfall": max_shortfall(deal, cost),
        "scenarios": [s.to_dict() for s in provider_scenarios(deal, cost)],
    }


def view_text(view: dict) -> str:
    """The view for a terminal: the deal's and scenarios' names are user text, so control codes go."""
    rate = view["break_even_rate"]
    lines = [
        f"{view['deal']}: the provider's view",
        f"Delivery cost: {money(view['cost_fixed'])} fixed"
        f" + {money(view['cost_per_student'])} per student served",
        "Break-even achievement rate (every outcome): "
        + (percent(rate, 2) if rate is not None else "none: even full achievement does not cover the cost"),
        f"Largest cash shortfall to finance (expected case): {money(view['max_shortfall'])}",
        "",
    ]
    width = max(len(s["name"]) for s in view["scenarios"])
    lines.append(f"{'Scenario'.ljust(width)}  {'Revenue':>15}  {'Cost':>15}  {'Margin':>15}")
    for s in view["scenarios"]:
        lines.append(f"{s['name'].ljust(width)}  {money(s['revenue']):>15}  {money(s['cost']):>15}  "
                     f"{money(s['margin']):>15}")
    return terminal_safe("\n".join(lines))


def run(args: argparse.Namespace) -> None:
    view = provider_view(load_deal(args.deal), DeliveryCost(args.cost_fixed, args.cost_per_student))
    if args.format == "json":
        print_json(view)
    else:
        print(view_text(view))


def add_command(commands) -> None:
    command = commands.add_parser("provider", help="the provider's margin, break-even rate and cash flow")
    command.add_argument("deal", help="the deal file (JSON)")
    command.add_argument("--cost-fixed", type=number_option("the fixed delivery cost", 0.0, MAX_MONEY),
                         default=0.0, help="fixed delivery cost, dollars")
    command.add_argument("--cost-per-student", default=0.0,
                         type=number_option("the delivery cost per student", 0.0, MAX_MONEY),
                         help="delivery cost per student served, dollars")
    command.add_argument("--format", choices=["table", "json"], default="table")
    command.set_defaults(run=run)
