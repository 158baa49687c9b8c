"""The production server behind ``landwater serve`` (landwater/server.py), on a tiny WSGI app.

The server runs in the test's own main thread, as in ``landwater serve``, and stops on the
SIGTERM its client sends once done: the stop path a process manager (or a test) uses.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import types
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from landwater.cli import main
from landwater.server import ListenError, make_server, serve_until_stopped, server_url

# how long the slow request waits for the fast one before answering alone: with one thread
# the fast one cannot start meanwhile, so this only sets how long that case takes
ALONE_AFTER_S = 1.0
# the longest any request of these tests waits (a loaded machine); each ends at its condition
REQUEST_WAIT_S = 120.0


class SlowAndFast:
    """``/slow`` waits for a ``/fast`` request to run beside it; says whether one did."""

    def __init__(self, wait_s: float) -> None:
        self.wait_s = wait_s
        self.slow_started = threading.Event()
        self.fast_ran = threading.Event()

    def __call__(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/slow":
            self.slow_started.set()
            body = b"overlapped" if self.fast_ran.wait(self.wait_s) else b"alone"
        else:
            self.fast_ran.set()
            body = b"fast"
        start("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=REQUEST_WAIT_S) as resp:
        return str(resp.read().decode())


def _stop_test(signum: int, frame: types.FrameType | None) -> None:
    raise SystemExit("SIGTERM before the server ran")


def _serve_while(server: Any, client: Callable[[str], Any]) -> Any:
    """Serve until ``client(url)`` returns; its result (or its exception, raised)."""
    url = server_url(server)
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = client(url)
        except BaseException as exc:
            out["error"] = exc
        finally:
            os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, _stop_test)  # never the worker's default: death
    try:
        thread = threading.Thread(target=run)
        thread.start()
        serve_until_stopped(server)
        thread.join(REQUEST_WAIT_S)
    finally:
        signal.signal(signal.SIGTERM, previous)
    if "error" in out:
        raise out["error"]
    return out["value"]


def _slow_then_fast(app: SlowAndFast) -> Callable[[str], tuple[str, str]]:
    def client(url: str) -> tuple[str, str]:
        slow: dict[str, str] = {}
        thread = threading.Thread(target=lambda: slow.update(body=_get(f"{url}/slow")))
        thread.start()
        assert app.slow_started.wait(REQUEST_WAIT_S)
        fast = _get(f"{url}/fast")
        thread.join(REQUEST_WAIT_S)
        return slow["body"], fast

    return client


def test_a_second_request_is_answered_while_a_slow_one_runs() -> None:
    app = SlowAndFast(wait_s=REQUEST_WAIT_S)
    server = make_server(app, "127.0.0.1", 0, threads=2)
    assert _serve_while(server, _slow_then_fast(app)) == ("overlapped", "fast")


def test_one_thread_answers_one_request_at_a_time() -> None:
    """The control: with one thread the fast request waits for the slow one."""
    app = SlowAndFast(wait_s=ALONE_AFTER_S)
    server = make_server(app, "127.0.0.1", 0, threads=1)
    assert _serve_while(server, _slow_then_fast(app)) == ("alone", "fast")


def test_sigterm_stops_the_server_and_frees_the_port() -> None:
    server = make_server(SlowAndFast(wait_s=0), "127.0.0.1", 0)
    port = int(server.effective_port)
    assert _serve_while(server, lambda url: _get(f"{url}/fast")) == "fast"
    with socket.socket() as s:  # nothing listens on the port any more
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen()


def test_a_proxy_s_forwarded_scheme_reaches_the_app() -> None:
    """Behind an HTTPS proxy the app sees ``X-Forwarded-Proto`` (its session cookie is Secure)."""

    def echo(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        body = environ.get("HTTP_X_FORWARDED_PROTO", "none").encode()
        start("200 OK", [("Content-Length", str(len(body)))])
        return [body]

    def client(url: str) -> str:
        req = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(req, timeout=REQUEST_WAIT_S) as resp:
            return str(resp.read().decode())

    assert _serve_while(make_server(echo, "127.0.0.1", 0), client) == "https"


def test_a_port_in_use_is_named_with_the_fix() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ListenError) as err:
            make_server(SlowAndFast(0), "127.0.0.1", port)
    assert f"127.0.0.1:{port}" in str(err.value.strerror)
    assert "--port" in str(err.value.strerror)


@pytest.mark.parametrize("threads", ["0", "-2", "many"])
def test_threads_must_be_a_positive_whole_number(
    threads: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", str(tmp_path), "--threads", threads]) == 2
    assert f"'{threads}' is not a whole number of 1 or more" in capsys.readouterr().err


@pytest.mark.parametrize(("flags", "warmed"), [([], True), (["--no-warm-up"], False)])
def test_the_designer_is_built_at_start_unless_told_not_to(
    flags: list[str],
    warmed: bool,
    tiny: tuple[Path, dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``serve`` builds the designer's engine on a thread at start; ``--no-warm-up`` leaves
    it to the first designer visit."""
    from dashboard.designer_service import DesignerService
    from landwater import server

    root, _ = tiny
    built = threading.Event()
    monkeypatch.setattr(DesignerService, "warm_up", lambda self: built.set())
    monkeypatch.setattr(server, "serve_until_stopped", lambda wsgi: wsgi.close())
    assert main(["serve", str(root), "--port", "0", *flags]) == 0
    assert built.wait(timeout=60 if warmed else 1) is warmed
