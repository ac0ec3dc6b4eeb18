"""The warm start (ui/warm_start.py): `streamlit run dashboard.py` serves dashboard.py's ``app``, which
warms the server up before it takes its first request, and nothing in the warm-up can keep the
server from starting: a broken setting or an unreachable warehouse is logged, and the first page
shows the problem as it always did (a clear message, no traceback).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.typing import Origin, Subprotocol

from tests.fixtures import FixtureWarehouse
from tests.servers import StreamlitLauncher, free_port, in_own_thread
from tests.test_pages_apptest import app_env
from ui import warm_start

ROOT = Path(__file__).resolve().parent.parent


# --- without a server -----------------------------------------------------------------------------


def test_streamlit_run_finds_the_app_in_dashboard_py() -> None:
    """`streamlit run dashboard.py` serves ``app`` (so the lifespan runs) only when it finds it."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "dashboard.py")
    assert found.is_asgi_app and found.import_string == "dashboard:app"


def test_the_warm_up_imports_the_first_run_but_no_other_page() -> None:
    modules = warm_start.first_run_modules()
    assert {"ui.context", "ui.server_load", "ui.overview_figures"} <= set(modules)
    assert not any(m.split(".")[0] in {"altair", "scipy", "great_expectations", "review"} for m in modules)


def test_a_failing_step_is_logged_and_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(today: object) -> None:
        raise RuntimeError("warehouse on fire")

    monkeypatch.setattr(warm_start, "open_context", broken)
    monkeypatch.setattr(warm_start, "freeze_long_lived_objects", lambda: None)  # not this process's heap
    done = warm_start.warm_up(warm_start.dt.date.today())
    assert list(done) == ["imports", "icons", "freeze"]


def test_a_slow_warm_up_does_not_hold_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warm_start, "WARM_START_TIMEOUT_S", 0.2)
    monkeypatch.setattr(warm_start, "warm_up", lambda today: time.sleep(2) or {})

    async def start() -> float:
        started = time.perf_counter()
        async with warm_start.lifespan(None):
            return time.perf_counter() - started

    assert in_own_thread(asyncio.run, start()) < 1.5


# --- a real `streamlit run dashboard.py` -----------------------------------------------------------


@pytest.fixture(scope="module")
def launcher() -> Iterator[StreamlitLauncher]:
    """Servers of this module only: each test reads its own server's log."""
    servers = StreamlitLauncher()
    try:
        yield servers
    finally:
        servers.close()


async def _first_run(base: str) -> dict[str, Any]:
    """Open a session as the browser does and run the default page: how it ended, the texts it
    showed and any exception element (a traceback on the page)."""
    uri = base.replace("http://", "ws://", 1) + "/_stcore/stream"
    async with websockets.connect(uri, subprotocols=[Subprotocol("streamlit")], origin=Origin(base),
                                  max_size=None) as ws:
        request = BackMsg()
        request.rerun_script.page_name = ""
        await ws.send(request.SerializeToString())
        texts: list[str] = []
        exceptions: list[str] = []
        while True:
            message = ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(ws.recv(), 120))
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    exceptions.append(f"{element.exception.type}: {element.exception.message}")
                elif which in {"markdown", "alert", "heading"}:
                    texts.append(getattr(element, which).body)
            elif kind == "script_finished":
                return {"finished": message.script_finished, "texts": texts, "exceptions": exceptions}


def first_run(base: str) -> dict[str, Any]:
    return in_own_thread(asyncio.run, _first_run(base))


def _warm_start_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if "Warm start" in line]


def test_the_server_is_ready_warm_and_the_first_page_works(
    launcher: StreamlitLauncher,
    fixture_warehouse_duckdb: FixtureWarehouse,
    tmp_path: Path,
) -> None:
    fx = fixture_warehouse_duckdb
    base = launcher(app_env(fx.url, fx.mapping_path, tmp_path))
    log = launcher.log(base)
    lines = _warm_start_lines(log)
    # Ready (healthy) only after the warm start finished, every step of it.
    assert any("ready in" in line and "context" in line and "imports" in line for line in lines), log
    assert not any("failed" in line for line in lines), log
    assert "No runtime found" not in log  # nothing with st.cache_data imported before the runtime
    run = first_run(base)
    assert run["finished"] == ForwardMsg.FINISHED_SUCCESSFULLY
    assert run["exceptions"] == []
    assert "Journey health overview" in run["texts"]
    assert "Traceback" not in launcher.log(base)


@pytest.mark.parametrize(
    ("env", "title"),
    [
        ({"MOT_WAREHOUSE_URL": f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"},
         "The warehouse cannot be reached"),
        ({"MOT_LANGUAGE": "klingon"}, "A setting is wrong"),
    ],
    ids=["unreachable-warehouse", "bad-setting"],
)
def test_a_broken_configuration_still_starts_and_the_page_says_what_is_wrong(
    launcher: StreamlitLauncher, tmp_path: Path, env: dict[str, str], title: str
) -> None:
    base = launcher({"MOT_DATA_DIR": str(tmp_path), **env})
    log = launcher.log(base)
    assert any("context failed" in line for line in _warm_start_lines(log)), log
    assert "Traceback" not in log
    run = first_run(base)
    assert run["finished"] == ForwardMsg.FINISHED_SUCCESSFULLY
    assert run["exceptions"] == []
    assert any(title in text for text in run["texts"]), run["texts"]
