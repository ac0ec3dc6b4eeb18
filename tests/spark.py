"""A throwaway Spark SQL warehouse for the tests: a Thrift server and a Parquet loader.

The server is Spark's own HiveThriftServer2 from the pyspark package, run by ``spark-submit`` in
``local-cluster`` mode (a real standalone master with two worker JVMs, so queries are planned and
shuffled across executors as on a cluster), listening on a loopback port. The app reaches it with
the ``hive://`` SQLAlchemy dialect of PyHive. Tables are loaded the way a lake is: Parquet files
plus ``CREATE TABLE ... USING parquet`` (PyHive cannot insert rows through ``to_sql``).

It needs Java 17+ (``java`` on PATH or JAVA_HOME) and uses about 1 GB of memory; start one per test
session (tests/conftest.py). Nothing here imports the project's own packages except the model.

Spark itself (the pyspark package: jars and ``bin/spark-submit``) is installed *outside* the app's
Python environment, in the folder MOT_SPARK_HOME names (default ``/opt/mot-spark``)::

    pip install --target /opt/mot-spark -r requirements-spark.txt

Installed next to the app it would be imported by Great Expectations on every check run (a third
of a second, a warning on stderr, and pyspark exits ``python -c`` scripts that import it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from metrics.model import COLUMN_KINDS, TABLES
from tests.servers import ServerUnavailable, free_port

#: Two workers with one core and 1 GB each: the smallest cluster that still has two executors
#: (Spark refuses less than 1024 MB per local-cluster worker).
SPARK_MASTER = "local-cluster[2,1,1024]"
SPARK_DRIVER_MEMORY = "512m"
SPARK_START_TIMEOUT_S = 300.0  # about 40 s alone; minutes on a machine busy with other work
THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"

_ARROW_TYPES: dict[str, pa.DataType] = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
}


#: Where requirements-spark.txt is installed (pip install --target) unless MOT_SPARK_HOME says.
DEFAULT_SPARK_TARGET = Path("/opt/mot-spark")


def _spark_home() -> Path:
    """The pyspark folder holding bin/spark-submit and jars/."""
    target = Path(os.environ.get("MOT_SPARK_HOME") or DEFAULT_SPARK_TARGET)
    for home in (target / "pyspark", target):
        if (home / "bin" / "spark-submit").is_file() and (home / "jars").is_dir():
            return home
    raise ServerUnavailable(
        f"Spark not found in {target} (install it there: pip install --target {target} "
        "-r requirements-spark.txt, or set MOT_SPARK_HOME)"
    )


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    found = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not found or not Path(found).is_file():
        raise ServerUnavailable("Java is not installed (apt-get install openjdk-17-jre-headless)")
    return found


class SparkThriftServer:
    """Spark's Thrift server on 127.0.0.1, its metastore and table files in a temporary folder."""

    def __init__(self) -> None:
        java = _java()
        self.home = _spark_home()
        self.tmpdir = Path(tempfile.mkdtemp(prefix="mot-spark-"))
        self.logfile = self.tmpdir / "spark.log"
        self.port = 0
        self._env = {
            **os.environ,
            "SPARK_HOME": str(self.home),
            "JAVA_HOME": str(Path(java).resolve().parent.parent),
            # Master, workers, executors and the driver talk over loopback only.
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_LOCAL_DIRS": str(self.tmpdir / "local"),
            "SPARK_WORKER_DIR": str(self.tmpdir / "work"),
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"hive://127.0.0.1:{self.port}/default"

    def _command(self) -> list[str]:
        return [
            str(self.home / "bin" / "spark-submit"),
            "--class",
            THRIFT_SERVER_CLASS,
            "--master",
            SPARK_MASTER,
            "--driver-memory",
            SPARK_DRIVER_MEMORY,
            "--name",
            "mot-test-warehouse",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.sql.shuffle.partitions=4",  # small data: 200 shuffle tasks would cost seconds
            "--conf",
            f"spark.sql.warehouse.dir={self.tmpdir / 'warehouse'}",
            "--conf",
            f"spark.driver.extraJavaOptions=-Dderby.system.home={self.tmpdir}",
            "--hiveconf",
            f"hive.server2.thrift.port={self.port}",
            "--hiveconf",
            "hive.server2.thrift.bind.host=127.0.0.1",
            "spark-internal",
        ]

    def start(self) -> None:
        self.port = free_port()
        with open(self.logfile, "wb") as log:
            # A new session (process group): stop() also ends the master, workers and executors.
            self.process = subprocess.Popen(
                self._command(),
                cwd=self.tmpdir,  # the embedded Derby metastore is created in the working folder
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._wait_listening()

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + SPARK_START_TIMEOUT_S
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise RuntimeError(f"spark-submit exited with {code} before it listened:\n{self.log_tail()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return
            time.sleep(0.5)
        waited = f"{SPARK_START_TIMEOUT_S:.0f} s"
        raise RuntimeError(f"Spark Thrift server not listening after {waited}:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop the driver and its cluster, remove the folder; never raises."""
        process = self.process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        # Workers and executors are children in the same process group; end any that linger.
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(self.tmpdir, ignore_errors=True)


@contextlib.contextmanager
def running_spark() -> Iterator[SparkThriftServer]:
    """Start a Spark Thrift server, yield it, stop it and delete its files afterwards."""
    server = SparkThriftServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --- loading tables --------------------------------------------------------------------------


def _arrow_table(canonical: str, frame: pd.DataFrame, columns: dict[str, str]) -> pa.Table:
    kinds = COLUMN_KINDS[canonical]
    arrays = []
    for column in TABLES[canonical]:
        series = frame[column]
        if kinds[column] == "date":
            values = pd.to_datetime(series).dt.date.astype(object)
        else:
            values = series.astype(object)
        arrays.append(pa.array(values.where(series.notna(), None).tolist(), type=_ARROW_TYPES[kinds[column]]))
    return pa.Table.from_arrays(arrays, names=[columns.get(c, c) for c in TABLES[canonical]])


def _quoted(name: str) -> str:
    """A Spark SQL identifier in backticks (our own fixed names; a backtick is doubled)."""
    return "`" + name.replace("`", "``") + "`"


def load_parquet_tables(
    cursor: object,
    folder: Path,
    frames: dict[str, pd.DataFrame],
    names: dict[str, tuple[str | None, str, dict[str, str]]],
) -> None:
    """Write each canonical frame as a Parquet file under ``folder`` and register it as a table.

    ``names`` maps each canonical table to (database or None, physical table, {canonical column:
    physical column}); ``cursor`` is a DB-API cursor on the Thrift server, which reads ``folder``
    from the same machine.
    """
    execute = cursor.execute  # type: ignore[attr-defined]
    for database in sorted({schema for schema, _, _ in names.values() if schema}):
        execute(f"CREATE DATABASE IF NOT EXISTS {_quoted(database)}")
    for canonical, frame in frames.items():
        schema, table, columns = names[canonical]
        location = folder / (f"{schema}.{table}" if schema else table)
        location.mkdir(parents=True, exist_ok=True)
        pq.write_table(_arrow_table(canonical, frame, columns), location / "part-0.parquet")
        qualified = f"{_quoted(schema)}.{_quoted(table)}" if schema else _quoted(table)
        execute(f"DROP TABLE IF EXISTS {qualified}")
        # The location is a folder we just made; Spark's SQL has no bind parameters for DDL.
        execute(f"CREATE TABLE {qualified} USING parquet LOCATION '{location.as_posix()}'")
