"""A chart's text alternative: the data of its traces as a table and its marked lines as a sentence.

Read from the figure itself (as plotly's plain dict), so every chart shown through
ui.charts.show_chart gets one and no page has to build it. Dollars and percents are written as the
chart's axes show them.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from ui import widgets

# A curve of more points than LONG (1,001 achievement rates) is listed at MOST_ROWS evenly spaced
# points: every 5% of a 0% to 100% axis. Bars and shorter series are listed whole.
LONG = 100
MOST_ROWS = 21


def axis_format(axis: dict) -> Callable[[object], str]:
    """Dollars where the axis's ticks carry a $, percents where they are percents, else as it is."""
    if axis.get("tickprefix") == "$":
        return widgets.money
    if "%" in axis.get("tickformat", ""):
        return widgets.percent
    return str


def written(value, write: Callable[[object], str]) -> str:
    """One value as text: a dash where the trace has no value (a gap in a line)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, str):
        return value
    return write(value)


def values(array) -> list:
    """A trace's values as a list: plotly's dict holds a numeric array as base64 bytes and its type."""
    if array is None:
        return []
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def horizontal(spec: dict) -> bool:
    """Bars laid along the x axis: the categories are on the y axis and the amounts on the x axis."""
    return any(trace.get("orientation") == "h" for trace in spec["data"])


def points(trace: dict, across: bool) -> tuple[list, list]:
    """(where, how much) for each point: x and y, or y and x in a horizontal chart (`across`). A bar
    drawn from a base ends at base + length, its value: the tornado's totals, a band's upper end."""
    where, amount = (trace.get("y"), trace.get("x")) if across else (trace.get("x"), trace.get("y"))
    where, amount = values(where), values(amount)
    base = trace.get("base")
    if base is not None:
        bases = values(base) if isinstance(base, dict | list | tuple) else [base] * len(amount)
        amount = [b + a for b, a in zip(bases, amount, strict=True)]
    return where, amount


def thinned(count: int) -> list[int]:
    """The rows to list of `count`: all of them, or MOST_ROWS evenly spaced from first to last."""
    if count <= LONG:
        return list(range(count))
    return sorted({round(i * (count - 1) / (MOST_ROWS - 1)) for i in range(MOST_ROWS)})


def series(spec: dict) -> list[tuple[str, list, list]]:
    """Each trace with data as (name, where, how much), in drawing order; unnamed traces are numbered."""
    found = []
    across = horizontal(spec)
    for number, trace in enumerate(spec["data"], start=1):
        where, amount = points(trace, across)
        if amount:
            found.append((trace.get("name") or f"Series {number}", where, amount))
    return found


def chart_table(spec: dict, x_title: str, y_title: str) -> pd.DataFrame:
    """One row per point, one column per series when the series share their points (a bar chart, curves
    over the same rates); otherwise a row per point of each series. Every cell is text."""
    across = horizontal(spec)
    layout = spec["layout"]
    where_axis, amount_axis = ("yaxis", "xaxis") if across else ("xaxis", "yaxis")
    where_text = axis_format(layout.get(where_axis, {}))
    amount_text = axis_format(layout.get(amount_axis, {}))
    label = (y_title if across else x_title) or "Point"
    found = series(spec)
    if len({tuple(map(str, where)) for _, where, _ in found}) == 1:
        where = found[0][1]
        rows = thinned(len(where))
        table = {label: [written(where[i], where_text) for i in rows]}
        for name, _, amount in found:
            table[name] = [written(amount[i], amount_text) for i in rows]
        return pd.DataFrame(table, dtype=object)
    value = (x_title if across else y_title) or "Value"
    records = [{"Series": name, label: written(where[i], where_text), value: written(amount[i], amount_text)}
               for name, where, amount in found for i in thinned(len(where))]
    return pd.DataFrame(records, columns=["Series", label, value], dtype=object)


def is_thinned(spec: dict) -> bool:
    return any(len(where) > LONG for _, where, _ in series(spec))


def marks_sentence(spec: dict) -> str:
    """The chart's labelled lines and notes (the floor, the maximum, a budget line), as one sentence."""
    notes = [" ".join(str(note["text"]).replace("<br>", " ").split())
             for note in spec["layout"].get("annotations", []) if note.get("text")]
    return f"Marked on the chart: {'; '.join(notes)}." if notes else ""
