"""Deal files (JSON, version 1): read with every problem reported by field path, and write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from obc_calc.errors import DealError, Problem
from obc_calc.model import Deal


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
        return f"this program reads deal files of version 1, not {error['input']!r}"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return f"{message[0].lower()}{message[1:]} (got {error['input']!r})"


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
    try:
        data = json.loads(text)
    except UnicodeDecodeError:
        raise DealError([Problem("", "this file is not text (is it a deal file?)")], source) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise DealError([Problem("", f"this is not valid JSON ({error.msg} at {where})")], source) from None
    return deal_from_dict(data, source)


def load_deal(path: str | Path) -> Deal:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DealError([Problem("", f"cannot read the file ({error.strerror})")], str(path)) from None
    return deal_from_json(raw, str(path))


def deal_to_dict(deal: Deal) -> dict:
    """The deal as the JSON format writes it: unset optional fields left out."""
    return deal.model_dump(mode="json", exclude_none=True)


def deal_to_json(deal: Deal) -> str:
    return json.dumps(deal_to_dict(deal), indent=2, ensure_ascii=False) + "\n"


def save_deal(deal: Deal, path: str | Path) -> None:
    Path(path).write_text(deal_to_json(deal), encoding="utf-8")
