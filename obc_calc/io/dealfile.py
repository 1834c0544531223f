"""Deal files (JSON, version 1): read with every problem reported by field path, and write.

JSON is parsed only within the limits: the file's size before it is read, and its nesting depth
(Python's parser recurses once a level, so a file nested 100,000 deep would otherwise exhaust the
stack) before it is validated as a deal.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from obc_calc.core.errors import DealError, Problem
from obc_calc.core.limits import MAX_DEAL_BYTES, MAX_JSON_DEPTH, shown
from obc_calc.core.model import Deal
from obc_calc.io.user_file import read_file, too_big

TOO_DEEP = Problem("", f"its objects and lists are nested more than {MAX_JSON_DEPTH} levels deep; the "
                       f"calculator reads at most {MAX_JSON_DEPTH}")


def field_path(loc: tuple) -> str:
    """('outcomes', 2, 'tiers', 1, 'min_rate') -> 'outcomes[2].tiers[1].min_rate'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _message(error: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return "this required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see docs/deal-format.md)"
    if kind == "literal_error" and error["loc"] == ("schema_version",):
        return f"this program reads deal files of version 1, not {shown(error['input'])}"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return f"{message[0].lower()}{message[1:]} (got {shown(error['input'])})"


def _is_validator_name(part) -> bool:
    return isinstance(part, str) and part.startswith(("function-", "literal["))


def _problems(error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        # pydantic names the failing member of a union or literal; users only need the field.
        loc = tuple(p for p in item["loc"] if not _is_validator_name(p))
        problems.append(Problem(field_path(loc), _message(item)))
    return problems


def deal_from_dict(data: Any, source: str | None = None) -> Deal:
    """Validate parsed JSON as a deal, raising DealError with every problem found."""
    if not isinstance(data, dict):
        raise DealError([Problem("", "a deal file must hold one JSON object {...}")], source)
    try:
        return Deal.model_validate(data)
    except ValidationError as error:
        raise DealError(_problems(error), source) from None
    except DealError as error:
        raise error.with_source(source) if source else error from None


def deal_from_json(text: str | bytes, source: str | None = None) -> Deal:
    return deal_from_dict(json_data(text, source), source)


def json_data(text: str | bytes, source: str | None = None, damaged: str | None = None) -> Any:
    """Parsed JSON within the size and depth limits, or DealError with one plain sentence.

    `damaged` stands for what is said of input that is not JSON text at all (a link's own words)."""
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_DEAL_BYTES:
        raise DealError([too_big(size, MAX_DEAL_BYTES, "deal file")], source)
    try:
        data = json.loads(text)
    except UnicodeDecodeError:
        message = damaged or "this file is not text (is it a deal file?)"
        raise DealError([Problem("", message)], source) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        message = damaged or f"this is not valid JSON ({error.msg} at {where})"
        raise DealError([Problem("", message)], source) from None
    except RecursionError:  # nested deeper than the parser recurses
        raise DealError([TOO_DEEP], source) from None
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        message = (f"a number in it has more than {sys.get_int_max_str_digits():,} digits; a deal's figures "
                   "need far fewer")
        raise DealError([Problem("", message)], source) from None
    if _deeper_than(data, MAX_JSON_DEPTH):
        raise DealError([TOO_DEEP], source)
    return data


def _deeper_than(data: Any, most: int) -> bool:
    """Whether objects and lists nest more than `most` deep, found without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > most:
            return True
        stack.extend((item, depth + 1) for item in value)
    return False


def load_deal(path: str | Path) -> Deal:
    return deal_from_json(read_file(path, str(path), MAX_DEAL_BYTES, "deal file"), str(path))


def deal_to_dict(deal: Deal) -> dict:
    """The deal as the JSON format writes it: unset optional fields left out."""
    return deal.model_dump(mode="json", exclude_none=True)


def deal_to_json(deal: Deal) -> str:
    return json.dumps(deal_to_dict(deal), indent=2, ensure_ascii=False) + "\n"


def save_deal(deal: Deal, path: str | Path) -> None:
    Path(path).write_text(deal_to_json(deal), encoding="utf-8")
