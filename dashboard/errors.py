"""Failures of callbacks shown where they happen: a plain-text message in the callback's panel.

Every server callback is wrapped by :func:`panel_errors` or, when it only mirrors its inputs
(the URL, a link, a tile URL), by :func:`keep_on_bad_input`. An exception (other than Dash's own
``PreventUpdate``) is logged with its traceback and turned into the callback's answer built
by its ``on_error`` function: the message in the panel's message slot, stale results cleared.
The message is a text child of a ``div``, so Dash renders it as text, never as HTML.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from dash import ctx, html
from dash.exceptions import MissingCallbackContextException, PreventUpdate

from dashboard import ids
from dashboard.i18n import translator

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
GUARD_MARK = "answers_bad_input"  # set on every guarded callback (checked by the tests)
# what a value of the wrong type or shape (a crafted request) raises in a callback's own code
BAD_INPUT_ERRORS = (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError)
ERROR_CLASS = "panel-error"
MAX_DETAIL_CHARS = 300  # an exception's own text is cut to this length in the message


def error_detail(exc: BaseException) -> str:
    """An exception's own text, without KeyError's quotes, on one line."""
    text = str(exc.args[0]) if len(exc.args) == 1 else str(exc)
    text = " ".join(text.split()).strip("'\"")
    return text[:MAX_DETAIL_CHARS] or type(exc).__name__


def error_box(panel: str, exc: BaseException, lang: str | None = None) -> html.Div:
    """The message shown in a panel whose callback failed (plain text, ``role=alert``)."""
    t = translator(lang)
    text = (
        f"{t(panel)}: {t('this could not be updated')} ({error_detail(exc)}). "
        f"{t('Earlier results were cleared; check the inputs and try again.')}"
    )
    return html.Div(text, className=ERROR_CLASS, role="alert")


def problems_box(problems: list[str]) -> html.Div:
    """A form's problems, one per line, as an alert (plain text)."""
    return html.Div([html.P(p) for p in problems], className=ERROR_CLASS, role="alert")


def _request_lang() -> str | None:
    """The page's language, when the failed callback had it among its states."""
    try:
        value = ctx.states.get(f"{ids.LANG}.value")
    except MissingCallbackContextException:  # a direct call, outside a request
        return None
    return value if isinstance(value, str) else None


def panel_errors(panel: str, on_error: Callable[[html.Div], Any]) -> Callable[[F], F]:
    """Decorate a callback so that any exception shows in ``panel`` instead of an HTTP 500.

    Parameters
    ----------
    panel : str
        The panel's name as the user reads it (English; translated when shown).
    on_error : callable
        Builds the callback's whole answer from the message component: the message in the
        panel's message output, cleared values (``None``, ``[]``) for the results it shows.
    """

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except PreventUpdate:
                raise
            except Exception as exc:  # every failure reaches the user
                log.exception("callback %s (%s panel) failed", func.__name__, panel)
                return on_error(error_box(panel, exc, _request_lang()))

        setattr(guarded, GUARD_MARK, True)
        return guarded  # type: ignore[return-value]

    return wrap


def keep_on_bad_input(func: F) -> F:
    """Decorate a callback so that input it cannot read leaves its outputs as they are.

    For callbacks with no panel of their own (the shared URL, a link, a tile URL): a value no
    widget sends (a crafted request) is logged and answered with Dash's "no update" (HTTP
    204) instead of an HTTP 500.
    """

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BAD_INPUT_ERRORS as exc:
            log.warning("callback %s ignored bad input: %s", func.__name__, error_detail(exc))
            raise PreventUpdate from exc

    setattr(guarded, GUARD_MARK, True)
    return guarded  # type: ignore[return-value]
