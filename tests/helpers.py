"""Small deals built in tests, so each test shows the figures it computes by hand."""

import json

import pytest

from obc_calc.core.errors import DealError
from obc_calc.io.dealfile import deal_from_dict


def deal_dict(**fields) -> dict:
    """A $100,000 deal for 100 students, 40% on one per-student outcome; fields override."""
    data = {
        "schema_version": 1,
        "name": "Test deal",
        "students": 100,
        "total_cost": 100_000,
        "performance_share": 0.4,
        "outcomes": [{"name": "Growth", "expected_rate": 0.5}],
    }
    data.update(fields)
    return data


def make_deal(**fields):
    return deal_from_dict(deal_dict(**fields))


def deal_problems(**fields) -> list[str]:
    """What deal_from_dict finds wrong with deal_dict(**fields): one 'path: message' line a problem."""
    with pytest.raises(DealError) as caught:
        deal_from_dict(deal_dict(**fields))
    return [str(p) for p in caught.value.problems]


# The worked examples of student groups and bands (issue 12), shared by the risk tests.
GROUPS = [{"name": "Students with disabilities", "students": 100, "price_multiplier": 1.5},
          {"name": "English learners", "students": 200, "price_multiplier": 1.25}]
GROUP_RATES = {"Students with disabilities": 0.4, "English learners": 0.5, "Other students": 0.6}
BANDS = [{"min_value": None, "payout": -0.25}, {"min_value": 0, "payout": 0},
         {"min_value": 1.0, "payout": 0.5}, {"min_value": 1.5, "payout": 1.0}]


def groups_example(**outcome):
    """$500,000 at 40% is a $200,000 pool on 1,000 students, a $300,000 base; one per-student outcome."""
    growth = {"name": "Growth", "group_expected_rates": GROUP_RATES} | outcome
    return make_deal(students=1_000, total_cost=500_000, student_groups=GROUPS, outcomes=[growth])


def banded_example(outcome: dict | None = None, **fields):
    """$250,000 at 40% is $100,000 over 500 students ($200 a student), a $150,000 base."""
    growth = {"name": "Growth", "basis": "per_student_banded", "bands": BANDS,
              "expected_band_shares": [0.1, 0.3, 0.4, 0.2]} | (outcome or {})
    return make_deal(students=500, total_cost=250_000, outcomes=[growth], **fields)


class CommandLine:
    """Commands run in process through obc_calc.cli.main against one database (`--db URL`, when given);
    each call returns what the command printed."""

    prefix: tuple[str, ...] = ()

    def __init__(self, capsys, url: str | None):
        self.capsys, self.url = capsys, url

    def run(self, *argv: str) -> tuple[int, str, str]:
        from obc_calc.cli import main

        database = ["--db", self.url] if self.url else []
        try:
            code = main([*self.prefix, *argv, *database])
        except SystemExit as stop:  # argparse refuses a bad option before main() runs the command
            code = stop.code
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *argv: str) -> str:
        code, out, err = self.run(*argv)
        assert code == 0, err
        return out

    def json(self, *argv: str):
        return json.loads(self.ok(*argv, "--format", "json"))

    def refused(self, *argv: str) -> str:
        """What a refusal wrote: exit 2, nothing on stdout's account, no traceback."""
        code, out, err = self.run(*argv)
        assert code == 2, out
        assert "Traceback" not in err
        return err

