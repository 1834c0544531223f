"""`summary DEAL.json -o SUMMARY.pdf`: the deal's one-page board summary (landscape Letter)."""

from obc_calc.cli import add_file_command


def save(deal, path: str) -> None:
    from obc_calc.io.board_summary import save_board_summary  # fpdf2 and matplotlib load only here

    save_board_summary(deal, path)


def add_command(commands) -> None:
    add_file_command(commands, "summary", "board summary", "the summary to write (.pdf)", save)
