"""Once per server process: load every module the pages use, then freeze them out of the garbage collector.

After every script run Streamlit collects garbage in full (runner.postScriptGC), walking every
object the process holds: about 280,000 once the pages' modules are loaded (plotly, pandas, the
app's own), some 0.1 s of a run that holds the interpreter for every other session meanwhile.
gc.freeze() moves the objects alive now out of the collector's reach for good: the collection
after a run then walks only what runs have made since, and still frees the cycles they left.
Imported by app.py; Python imports a module once, so this runs once, at the server's first run.
"""

import gc
import importlib
import pkgutil

import ui


def load_ui_modules() -> None:
    """Import every module of ui/ and, through them, the libraries and obc_calc modules pages use."""
    for module in pkgutil.walk_packages(ui.__path__, "ui."):
        importlib.import_module(module.name)


load_ui_modules()
gc.collect()  # what the imports left over is freed now, not frozen
gc.freeze()
