"""Real servers for the tests: a throwaway PostgreSQL, the Streamlit app, a static HTTP server.

Every server listens on 127.0.0.1 only, on a free port, and is stopped by whoever started it
(the fixtures in tests/conftest.py), also when a test fails. Nothing here imports our own code.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import http.server
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

REPO_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_OS_USER = "postgres"
POSTGRES_DATABASE = "mot_test"
STREAMLIT_START_TIMEOUT_S = 60.0


T = TypeVar("T")


def in_own_thread(func: Callable[..., T], *args: Any) -> T:
    """``func(*args)`` run in a thread of its own, for asyncio code (``asyncio.run`` and what calls
    it): once a browser test ran, Playwright's sync API leaves an event loop running in the tests'
    thread, where ``asyncio.run`` refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args).result()


class ServerUnavailable(RuntimeError):
    """A server cannot be started on this machine (missing binaries or user); tests may skip."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- PostgreSQL -------------------------------------------------------------------------------


def find_postgres_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl: PATH first, then the newest Debian install."""
    on_path = shutil.which("initdb")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parent.name.split(".")],
        reverse=True,
    )
    candidates += [Path(p) for p in debian]
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    return None


class PostgresServer:
    """A PostgreSQL cluster in a temporary directory, trust auth, loopback only.

    The server refuses to run as root, so as root every command runs as the `postgres` OS user
    through runuser; as any other user it runs as that user.
    """

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = 0
        self.tmpdir = Path(tempfile.mkdtemp(prefix="mot-pg-"))
        self.datadir = self.tmpdir / "data"
        self.logfile = self.tmpdir / "postgres.log"
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam(POSTGRES_OS_USER)
            except KeyError:
                shutil.rmtree(self.tmpdir, ignore_errors=True)
                raise ServerUnavailable(
                    f"running as root and there is no '{POSTGRES_OS_USER}' OS user to run PostgreSQL "
                    f"(create it: useradd --system {POSTGRES_OS_USER})"
                ) from None
            os.chown(self.tmpdir, owner.pw_uid, owner.pw_gid)
            self._as_user = ["runuser", "-u", POSTGRES_OS_USER, "--"]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{POSTGRES_DATABASE}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        cmd = [*self._as_user, str(self.bindir / args[0]), *args[1:]]
        result = subprocess.run(
            cmd, cwd=self.tmpdir, capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{args[0]} failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}"
                f"\n--- server log ---\n{_log_tail(self.logfile)}"
            )

    def start(self, attempts: int = 3) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.datadir),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        )
        for attempt in range(attempts):
            # Another process may grab the free port before the server binds it: retry on a new one.
            self.port = free_port()
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.tmpdir}"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                self._run(
                    "pg_ctl",
                    "-D",
                    str(self.datadir),
                    "-l",
                    str(self.logfile),
                    "-w",
                    "-t",
                    "30",
                    "-o",
                    options,
                    "start",
                )
                break
            except RuntimeError:
                if attempt == attempts - 1:
                    raise
        self._create_database()

    def _create_database(self) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{POSTGRES_DATABASE}"')  # constant name, no user input

    def stop(self) -> None:
        """Stop the server and remove its directory; never raises, so teardown always finishes."""
        if (self.datadir / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "-t", "30", "stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                self._kill_postmaster()
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    def _kill_postmaster(self) -> None:
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int((self.datadir / "postmaster.pid").read_text().splitlines()[0])
            os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    """Start a throwaway PostgreSQL, yield its SQLAlchemy URL, stop and delete it afterwards."""
    bindir = find_postgres_bindir()
    if bindir is None:
        raise ServerUnavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin; "
            "install PostgreSQL (apt-get install postgresql) or set MOT_TEST_POSTGRES_URL"
        )
    server = PostgresServer(bindir)
    try:
        server.start()
        yield server.url
    finally:
        server.stop()


# --- Streamlit --------------------------------------------------------------------------------


class StreamlitServer:
    """One `streamlit run` process on a loopback port, output captured in a log file."""

    def __init__(self, script: str, env: Mapping[str, str], cwd: Path, logdir: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.logfile = logdir / f"streamlit-{self.port}.log"
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            # Others edit the tree while tests run; a rerun on every save would make pages flicker.
            "--server.fileWatcherType",
            "none",
        ]
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", "GX_ANALYTICS_ENABLED": "false", **env}
        with open(self.logfile, "wb") as log:
            # A new session (process group) so that stop() also ends anything the app spawned.
            self.process = subprocess.Popen(
                cmd,
                cwd=cwd,
                env=full_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def wait_healthy(self, timeout_s: float = STREAMLIT_START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with {self.process.returncode} before it was healthy:\n"
                    f"{_log_tail(self.logfile)}"
                )
            try:
                with urllib.request.urlopen(f"{self.base_url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200 and resp.read().decode().strip() == "ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(
            f"streamlit at {self.base_url} not healthy after {timeout_s:.0f} s:\n{_log_tail(self.logfile)}"
        )

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


class StreamlitLauncher:
    """Starts Streamlit servers on demand and stops all of them in close().

    Calling it twice with the same env returns the same running server, so a test module can ask
    for "the app with the demo warehouse" without paying the start-up again.
    """

    def __init__(self, script: str = "dashboard.py", cwd: Path = REPO_ROOT) -> None:
        self.script = script
        self.cwd = cwd
        self.logdir = Path(tempfile.mkdtemp(prefix="mot-streamlit-"))
        self._servers: dict[tuple[tuple[str, str], ...], StreamlitServer] = {}

    def __call__(self, env: Mapping[str, str] | None = None) -> str:
        key = tuple(sorted((env or {}).items()))
        server = self._servers.get(key)
        if server is not None and server.process.poll() is None:
            return server.base_url
        for attempt in (1, 2):
            server = StreamlitServer(self.script, dict(key), self.cwd, self.logdir)
            self._servers[key] = server
            try:
                server.wait_healthy()
                return server.base_url
            except BaseException:
                server.stop()
                # Another process may take the free port before Streamlit binds it: one more try.
                if attempt == 2 or "already in use" not in _log_tail(server.logfile):
                    raise
        raise AssertionError("unreachable")

    def log(self, base_url: str) -> str:
        """The captured output of the server at base_url, for assertion messages."""
        for server in self._servers.values():
            if server.base_url == base_url:
                return server.logfile.read_text(errors="replace")
        raise KeyError(base_url)

    def close(self) -> None:
        for server in self._servers.values():
            server.stop()
        self._servers.clear()
        shutil.rmtree(self.logdir, ignore_errors=True)


# --- static files -----------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_http_server(directory: Path) -> Iterator[str]:
    """Serve `directory` on a loopback port from a thread; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, name="static-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
