"""Run the response-curve tests under other scipy releases, each in its own virtual environment.

    python -m tests.scipy_versions                 # every release tests.test_budget_curve_agreement records
    python -m tests.scipy_versions 1.18.0          # a new release (pip picks a numpy it allows)
    python -m tests.scipy_versions 1.13.0:2.0.2    # a release with a given numpy

Each environment is made with --system-site-packages on top of the python running this, so only
scipy (and numpy where the release needs another) differ from the project's packages; pip fetches
them from PyPI. One line per release, in the form the agreement test's docstring records; exit
status 1 when any release failed. Environments live in a temporary folder and are removed after.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from pathlib import Path

from tests.test_budget_curve_agreement import recorded_releases

ROOT = Path(__file__).resolve().parent.parent
TESTS = ["tests/test_budget_curves.py", "tests/test_budget_curve_agreement.py"]


def run(spec: str, folder: Path) -> str:
    """Install scipy (and numpy) as ``spec`` says into a new environment and run TESTS there."""
    scipy, _, numpy = spec.partition(":")
    env = folder / spec.replace(":", "-")
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env)
    python = str(env / "bin" / "python")
    wanted = [f"scipy=={scipy}"] + ([f"numpy=={numpy}"] if numpy else [])
    install = subprocess.run([python, "-m", "pip", "install", "-q", "--only-binary=:all:", *wanted],
                             capture_output=True, text=True)
    if install.returncode:
        return f"    scipy {scipy:<7} install failed: {install.stderr.strip().splitlines()[-1:]}"
    versions = subprocess.run(
        [python, "-c", "import numpy, scipy; print(scipy.__version__, numpy.__version__)"],
        capture_output=True, text=True, check=True).stdout.split()
    # the check of requirements.txt against the record is about this checkout, not this scipy
    tests = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "not requirements",
                            *TESTS], cwd=ROOT, capture_output=True, text=True)
    outcome = "passed" if tests.returncode == 0 else "FAILED\n" + tests.stdout[-3000:]
    return f"    scipy {versions[0]:<7} numpy {versions[1]:<6} {outcome}"


def main(argv: list[str]) -> int:
    specs = argv or [f"{scipy}:{numpy}" for scipy, numpy in recorded_releases()]
    failed = False
    with tempfile.TemporaryDirectory(prefix="scipy-versions-") as folder:
        for spec in specs:
            line = run(spec, Path(folder))
            failed |= not line.endswith("passed")
            print(line, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
