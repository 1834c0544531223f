"""ui.gc_freeze, imported by app.py: once the pages' modules are loaded they are frozen out of the
garbage collector, so the full collection Streamlit runs after every script run walks next to
nothing. Unfrozen it walked some 280,000 objects, 0.16 s of the server's processor time on every
run of every session (bench/cohort.py)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# In a process of its own: freezing this one would keep the tests' garbage for good.
CHECK = """
import gc
import app  # as `streamlit run` loads it; the pages then import modules already loaded
import ui.risk_charts, ui.charts, plotly.graph_objects, pandas
print(len(gc.get_objects()), gc.get_freeze_count())
"""


def test_the_pages_modules_are_out_of_the_collectors_way():
    out = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, check=True)
    walked, frozen = (int(number) for number in out.stdout.split())
    assert frozen > 200_000  # plotly, pandas, Streamlit and the app's modules
    assert walked < 1_000  # what a full collection still walks
