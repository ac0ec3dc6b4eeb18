"""ui.server_load: the heap is frozen once per new set of modules; page runs are bounded."""

from __future__ import annotations

import gc
import sys
import threading
import types

import pytest

from ui.server_load import PAGE_RUNS_AT_ONCE, freeze_long_lived_objects, page_run_slot


def test_the_heap_is_frozen_again_only_after_new_imports() -> None:
    try:
        freeze_long_lived_objects()
        assert not freeze_long_lived_objects()  # nothing new imported since
        frozen = gc.get_freeze_count()
        marker = [types.SimpleNamespace()]  # a long-lived object made after the last freeze
        assert any(o is marker for o in gc.get_objects())  # collections still walk it
        sys.modules["_mot_test_module"] = types.ModuleType("_mot_test_module")  # a page's first import
        assert freeze_long_lived_objects()
        assert gc.get_freeze_count() > frozen
        assert not any(o is marker for o in gc.get_objects())  # frozen: collections skip it now
    finally:
        sys.modules.pop("_mot_test_module", None)
        gc.unfreeze()


def test_page_runs_beyond_the_slots_wait_their_turn() -> None:
    slots = page_run_slot()
    assert PAGE_RUNS_AT_ONCE >= 2  # a slow run must never hold up every viewer
    taken = [slots.acquire(blocking=False) for _ in range(PAGE_RUNS_AT_ONCE)]
    try:
        assert all(taken)
        waited = threading.Event()

        def another_run() -> None:
            with page_run_slot():
                waited.set()

        thread = threading.Thread(target=another_run)
        thread.start()
        assert not waited.wait(0.2)  # every slot is busy: the run waits
        slots.release()
        taken.pop()
        assert waited.wait(5)  # a slot came free: the run went ahead
        thread.join(5)
    finally:
        for _ in taken:
            slots.release()


def test_the_allocator_is_capped_and_trimmed_where_it_is_glibc() -> None:
    from ui import server_load

    if server_load._LIBC is None:  # not glibc: nothing to tune, and nothing fails
        assert not server_load.release_free_memory()
        return
    assert server_load.release_free_memory()
    assert server_load.MALLOC_ARENAS >= 1


def test_pyarrows_pool_hands_freed_buffers_back_at_a_page_runs_end() -> None:
    """mimalloc keeps what Arrow buffers freed until release_unused: 400 MB of freed arrays stayed
    resident before release_free_memory handed them back."""
    import re
    from pathlib import Path

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from ui import server_load

    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("resident memory is read from /proc (Linux)")

    def resident_mb() -> int:
        return int(re.search(r"VmRSS:\s+(\d+)", status.read_text()).group(1)) // 1024

    before = resident_mb()
    arrays = [pc.add(pa.array(np.arange(1_000_000)), 1) for _ in range(50)]  # 400 MB in the pool
    assert resident_mb() - before > 300
    del arrays
    server_load.release_free_memory()
    assert resident_mb() - before < 150
