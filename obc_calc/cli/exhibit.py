"""`exhibit DEAL.json -o EXHIBIT.docx`: the contract's payment terms exhibit (Word)."""

from obc_calc.cli import add_file_command
from obc_calc.io.exhibit import save_exhibit


def add_command(commands) -> None:
    add_file_command(commands, "exhibit", "exhibit", "the exhibit to write (.docx)", save_exhibit)
