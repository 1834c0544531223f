"""`template DEAL.json -o TEMPLATE.xlsx`: the results data template for the deal, with its data
dictionary; filled in, it settles with `invoice` and no column map."""

from obc_calc.cli import add_file_command


def save(deal, path: str) -> None:
    from obc_calc.io.data_template import save_template

    save_template(deal, path)


def add_command(commands) -> None:
    add_file_command(commands, "template", "data template", "the template to write (.xlsx)", save)
