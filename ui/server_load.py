"""One server, many viewers: keep each page run cheap and bound how many run at once.

**Freezing the long-lived heap.** Streamlit runs ``gc.collect(2)`` after each script run
(``runner.postScriptGC``). A full collection walks every tracked object, and most of them are
long-lived: imported modules, Altair's schema classes, cached frames. Measured
with py-spy on a warm Overview render of the 10 M-row demo, that walk was 0.17 s of a 0.5 s server
render, holding the GIL against every other session. ``gc.freeze()`` moves the objects alive now
into a generation collections skip, so later runs only walk what they created. It runs again
whenever a run imported new modules (a page's first visit), collecting first so that the run's own
garbage is not frozen.

**Page runs at once.** Streamlit runs every session's script in its own thread, and Python runs
one thread at a time, so ten sessions rendering together take no less time than ten in a row, but
they each hold their working set (frames, chart specs) at the same moment and trade the GIL back
and forth. At most PAGE_RUNS_AT_ONCE page runs proceed together (one per core, at least two so a
slow run, such as a first Budget visit or "Run checks now", never holds up every viewer); the
others wait their turn. Measured with 10 protocol sessions on the 10 M-row demo (benchmarks
.sessions): p95 2.7 -> 2.0 s and app peak memory 640 -> 570 MB.

**Memory the allocator keeps.** glibc gives each thread that allocates concurrently its own malloc
arena (up to 8 per core), and Streamlit runs each session's script in a thread of its own; an
arena keeps what its runs freed for itself. With 30 protocol sessions on the 10 M-row demo
(benchmarks.server_memory) MALLOC_ARENA_MAX=2 lowered the app's peak RSS 839 -> 684 MB. So the
first page run caps the arenas at MALLOC_ARENAS (MALLOC_ARENA_MAX in the environment wins), and
every page run ends with malloc_trim, which hands the free pages back (microseconds when there are
none). pyarrow's memory pool (mimalloc) keeps what Arrow buffers freed too, until told to hand it
back: after My touchpoints' first run at 100 M rows, about 50 MB that no later page run of another
allocator could use. Every page run ends with its ``release_unused`` as well (#19: memory).
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys
import threading

import pyarrow as pa

_state = {"modules": 0}


def freeze_long_lived_objects() -> bool:
    """Freeze the heap if modules were imported since the last freeze; True if it froze."""
    if len(sys.modules) <= _state["modules"]:
        return False
    gc.collect()
    gc.freeze()
    _state["modules"] = len(sys.modules)
    return True


PAGE_RUNS_AT_ONCE = max(2, os.cpu_count() or 2)
_slots = threading.BoundedSemaphore(PAGE_RUNS_AT_ONCE)


def page_run_slot() -> threading.BoundedSemaphore:
    """Hold this (``with page_run_slot():``) around a page run; it waits while all slots are taken."""
    return _slots


# --- Memory the allocator keeps ------------------------------------------------------------------

#: glibc's mallopt parameter for the number of malloc arenas (malloc.h M_ARENA_MAX).
_M_ARENA_MAX = -8
#: Arenas for the whole process. glibc's default is 8 per core: every session's script thread may
#: get its own, and each keeps the memory its runs freed for itself.
MALLOC_ARENAS = 2


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:  # not glibc (macOS, musl): nothing to tune
        return None


_LIBC = _glibc()


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas (threads started later share them); False where not glibc.
    MALLOC_ARENA_MAX in the environment, when set, wins."""
    if _LIBC is None or os.environ.get("MALLOC_ARENA_MAX"):
        return False
    return bool(_LIBC.mallopt(_M_ARENA_MAX, arenas))


def release_free_memory() -> bool:
    """Hand the allocators' free pages back to the system: pyarrow's memory pool's and glibc's
    (malloc_trim); False where not glibc (pyarrow's are handed back anyway)."""
    pa.default_memory_pool().release_unused()
    if _LIBC is None:
        return False
    _LIBC.malloc_trim(0)
    return True


limit_malloc_arenas()  # once, at the first page run: before most session threads exist
