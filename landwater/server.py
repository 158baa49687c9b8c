"""The production WSGI server behind ``landwater serve``: waitress, pure Python.

waitress runs the same on Debian, macOS and Windows, needs no compiler and prints no
development-server warning. A team server with several processes uses gunicorn instead
(``dashboard.wsgi:server``, README "Deployment").
"""

from __future__ import annotations

import signal
import types
from collections.abc import Callable
from typing import Any

# request threads of one server: browsers open at most six connections to a host, so one
# user's page never waits for a thread; the GIL makes more threads no faster on numeric work
DEFAULT_THREADS = 8

WsgiApp = Callable[..., Any]


class ListenError(OSError):
    """The server cannot listen on the host and port asked for."""


def make_server(app: WsgiApp, host: str, port: int, threads: int = DEFAULT_THREADS) -> Any:
    """A waitress server bound to ``host:port``, not yet serving.

    Parameters
    ----------
    app : callable
        The WSGI application (a Dash app's ``server``).
    host : str
        Address to listen on (``127.0.0.1``: this machine only; ``0.0.0.0``: every interface).
    port : int
        TCP port; 0 picks a free one (read it from :func:`server_url`).
    threads : int
        Requests answered at the same time.

    Returns
    -------
    waitress.server.BaseWSGIServer
        The bound server; :func:`serve_until_stopped` runs it.

    Raises
    ------
    ListenError
        The address is in use, not an address of this machine, or needs privileges.

    """
    from waitress.server import create_server

    try:
        return create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            # X-Forwarded-Proto reaches the app, as under gunicorn: behind an HTTPS proxy it
            # makes the session cookie Secure (a forged one can only make it stricter)
            clear_untrusted_proxy_headers=False,
        )
    except OSError as exc:
        raise ListenError(
            exc.errno,
            f"cannot listen on {host}:{port} ({exc.strerror or exc}): another program may use"
            " the port (choose another with --port), or the host is not an address of this"
            " machine (--host 127.0.0.1 serves this machine only, 0.0.0.0 every interface)",
        ) from exc


def server_url(server: Any) -> str:
    """The ``http://host:port`` address a bound server answers at (the port it got for 0)."""
    return f"http://{server.effective_host}:{server.effective_port}"


def _stop(signum: int, frame: types.FrameType | None) -> None:
    raise SystemExit(0)


def serve_until_stopped(server: Any) -> None:
    """Answer requests until SIGINT (Ctrl+C) or SIGTERM; requests in flight get 5 s to finish.

    Parameters
    ----------
    server : waitress.server.BaseWSGIServer
        A server from :func:`make_server`.

    """
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.run()  # stops its request threads on SystemExit and KeyboardInterrupt
    finally:
        server.close()
        signal.signal(signal.SIGTERM, previous)
