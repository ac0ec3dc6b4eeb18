"""Run a module as ``python -m`` would and write the process's own peak resident memory to a file.

``python -m benchmarks.own_peak OUT MODULE ARGS...`` runs MODULE with ARGS and, however it ends
(a ``SystemExit`` from its command line included), writes its VmHWM in kB to OUT.

Why not ``os.wait4``'s ``ru_maxrss``: Linux keeps a process's peak across ``exec``, so a child forked
from the benchmark (itself a gigabyte at 100 M rows after the floor's reads) reported the parent's
peak, not its own: a full checks run that peaks at 772 MB measured 1,000 MB (#19). VmHWM belongs to
the address space that ``exec`` makes new, so it is the checks run's own.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from benchmarks.memory import status_kb


def main() -> None:
    out, module, *args = sys.argv[1:]
    sys.argv = [module, *args]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    finally:
        Path(out).write_text(str(status_kb("VmHWM")), encoding="utf-8")


if __name__ == "__main__":
    main()
