"""Keep Streamlit's collection after every script run cheap: freeze what lives for the process.

Streamlit runs ``gc.collect(2)`` after each script run (``runner.postScriptGC``). A full collection
walks every tracked object, and most of them are long-lived: imported modules, Altair's and Great
Expectations' schemas, cached frames. Measured with py-spy on a warm Overview render of the 10 M-row
demo, that walk was 0.17 s of a 0.5 s server render, holding the GIL against every other session.
``gc.freeze()`` moves the objects alive now into a generation collections skip, so later runs
only walk what they created. It runs again whenever a run imported new modules (a page's first
visit), collecting first so that the run's own garbage is not frozen.
"""

from __future__ import annotations

import gc
import sys

_state = {"modules": 0}


def freeze_long_lived_objects() -> bool:
    """Freeze the heap if modules were imported since the last freeze; True if it froze."""
    if len(sys.modules) <= _state["modules"]:
        return False
    gc.collect()
    gc.freeze()
    _state["modules"] = len(sys.modules)
    return True
