"""Every limit on what the calculator reads, in one place (docs/limits.md says why each is set).

Limits are checked before the work they guard: a file's size before it is read, an archive's
entries before they are inflated, a link's length before it is decoded. Over a limit, the user
gets one plain sentence naming the limit and the value, and nothing else is read.
"""

from __future__ import annotations

import math
import re
import unicodedata

# Money and counts: every figure stays exact in cents as a float (2**53 cents is about $90 trillion).
MAX_MONEY = 10_000_000_000_000.0  # $10 trillion, exclusive
MAX_STUDENTS = 10_000_000  # exclusive
MAX_MIN_SESSIONS = 10_000  # sessions to count as served: a school year has about 180 days

# What grows in a deal.
MAX_OUTCOMES = 50
MAX_TIERS = 20
MAX_BANDS = 20
MAX_GROUPS = 20  # student groups priced apart; real rate cards have two or three
MAX_SCENARIOS = 100
MAX_COMMITMENTS = 50
MAX_NAME_CHARS = 200  # outcome, scenario, commitment and deal names
MAX_TEXT_CHARS = 32_767  # any other text: Excel's own limit for one cell
MAX_JSON_DEPTH = 32  # nesting of objects and lists in a deal file or link
MAX_DEAL_BYTES = 2_000_000  # a deal file, or a share link's JSON once inflated

# Share links.
MAX_LINK_CHARS = 200_000  # the query value, before decoding

# Uploaded and read files.
MAX_UPLOAD_MB = 50  # Streamlit's upload limit (server.maxUploadSize): a full 1,048,576-row results CSV fits
MAX_FILE_BYTES = MAX_UPLOAD_MB * 1024 * 1024  # any file read by the CLI or the app
MAX_ROWS = 1_048_576  # Excel's own row limit, header included
MAX_COLUMNS = 256  # a results file or rate card needs a handful
MAX_XLSX_ENTRIES = 2_000  # parts in an .xlsx archive
MAX_XLSX_INFLATED_BYTES = 1_000_000_000  # an .xlsx once inflated: a full 1,048,576-row sheet fits
MAX_XLSX_PART_BYTES = 100_000_000  # one .xlsx part kept whole (shared strings, styles), inflated
MAX_WORKBOOK_CELLS = 1_000_000  # filled cells kept from a budget workbook's sheets: far more than any deal's

# Text a spreadsheet may run as a formula or a command when a CSV field or a cell begins with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Messages quote a bad value up to this many characters.
MAX_QUOTED_CHARS = 40

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(value) -> str:
    """A value quoted in a message: its repr, cut to a short prefix, with no control codes."""
    if isinstance(value, int) and value.bit_length() > 200:
        # Python refuses to print integers of over 4,300 digits; none is worth quoting whole.
        return f"a number of about {int(value.bit_length() * math.log10(2)):,} digits"
    text = repr(value) if isinstance(value, str) else str(value)
    text = _TERMINAL.sub("?", text)
    if len(text) > MAX_QUOTED_CHARS:
        return text[: MAX_QUOTED_CHARS - 1] + "…"
    return text


def has_control_characters(text: str) -> bool:
    """Characters no name should hold: control codes other than tab, newline and carriage return."""
    return bool(_CONTROL.search(text))


def terminal_safe(text: str) -> str:
    """Text for a terminal: escape and other control codes replaced, so output cannot drive it."""
    return _TERMINAL.sub("?", text)


def file_slug(text: str, separator: str) -> str:
    """Text as part of a file name: lowercase ASCII letters and digits joined by `separator`, so no
    name can hold a path or a character a file system refuses ('Math Tutoring 2026-27' ->
    'math-tutoring-2026-27'). Accented letters keep their base letter ('é' -> 'e'); may be empty."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", separator, plain).strip(separator)


def finite_number(text: str, what: str, low: float, high: float) -> float:
    """A typed number (CLI option, form field) as a float, or ValueError with one plain sentence.

    Refuses NaN, infinities and values outside [low, high]; `what` names the field for the message.
    """
    try:
        value = float(str(text).strip().replace(",", ""))
    except ValueError:
        raise ValueError(f"{what} must be a number, not {shown(text)}") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, not {shown(text)}")
    if not low <= value <= high:
        raise ValueError(f"{what} must be from {low:,.15g} to {high:,.15g}, not {shown(text)}")
    return value
