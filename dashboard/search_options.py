"""Long option lists (thousands of communities) searched on the server as the user types.

A dropdown with up to ``INLINE_OPTIONS`` options carries them all and filters in the browser.
A longer list would make the page's layout heavy (10,000 communities: 720 KB of options and
seconds of rendering before the map draws), so the page carries only the chosen options and
the dropdown's ``search_value`` asks the server for the first ``MATCHES`` that contain the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from dash import Dash, Input, Output, State, dcc
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.errors import panel_errors
from dashboard.i18n import Translate, translator

INLINE_OPTIONS = 1000
MATCHES = 50
SHOWN_CHARS = 60  # of a search text repeated in the "no match" message
Option = dict[str, str]


def _chosen(value: str | Sequence[str] | None) -> set[str]:
    if value is None:
        return set()
    return {value} if isinstance(value, str) else set(value)


def initial_options(options: Sequence[Option], value: str | Sequence[str] | None) -> list[Option]:
    """What the page carries: every option of a short list, else only the chosen ones."""
    if len(options) <= INLINE_OPTIONS:
        return list(options)
    chosen = _chosen(value)
    return [o for o in options if o["value"] in chosen]


def matches(label: str, text: str | None) -> bool:
    """Whether ``label`` contains every word of ``text`` (any case; no words: every label).

    At least as lenient as the dropdown's own filter and the server's search (the whole
    text), so a text said to match nothing shows no option.
    """
    folded = label.casefold()
    return all(word in folded for word in (text or "").casefold().split())


def matching_options(
    options: Iterable[Option], text: str | None, value: str | Sequence[str] | None
) -> list[Option]:
    """The chosen options, then up to ``MATCHES`` whose label contains ``text`` (any case)."""
    chosen = _chosen(value)
    needle = (text or "").strip().casefold()
    kept: list[Option] = []
    found: list[Option] = []
    for o in options:
        if o["value"] in chosen:
            kept.append(o)
        elif needle and len(found) < MATCHES and needle in o["label"].casefold():
            found.append(o)
    return kept + found


def dropdown_labels(t: Translate, no_match: str | None = None) -> dcc.Dropdown.Labels:
    """The texts of Dash's dropdown in ``t``'s language; ``no_match`` says a search found none."""
    return {
        "search": t("Search"),
        "clear_search": t("Clear search"),
        "clear_selection": t("Clear selection"),
        "no_options_found": no_match or t("No match"),
    }


def no_unit_message(options: Iterable[Option], text: str | None, t: Translate) -> str | None:
    """The message "No community or watershed matches 'X'." when no option matches ``text``.

    None when one does. The text is shown as typed (cut to ``SHOWN_CHARS``); Dash renders it
    as text.
    """
    typed = " ".join((text or "").split())
    if not typed or any(matches(o["label"], typed) for o in options):
        return None
    shown = typed if len(typed) <= SHOWN_CHARS else typed[: SHOWN_CHARS - 1] + "…"
    return t("No community or watershed matches '{text}'.").format(text=shown)


def register_search(
    app: Dash, component_id: str, options: Callable[[str], Sequence[Option]]
) -> None:
    """Answer the dropdown ``component_id``'s typing from ``options(lang)`` when the list is long.

    ``lang`` is the page's language (the labels may name the kind of unit in it).
    """

    @app.callback(
        Output(component_id, "options"),
        Input(component_id, "search_value"),
        State(component_id, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Search", lambda m: [{"label": m.children, "value": "", "disabled": True}])
    def _search(
        text: str | None, value: str | list[str] | None, lang: str | None = "en"
    ) -> list[Option]:
        every = options(lang or "en")
        if len(every) <= INLINE_OPTIONS or not text:
            raise PreventUpdate  # a short list is all in the page and filtered there
        return matching_options(every, text, value)


def register_no_match(
    app: Dash, component_id: str, options: Callable[[str], Sequence[Option]]
) -> None:
    """Make the dropdown ``component_id`` say which typed text matches no unit.

    Its "no options" line (:func:`dropdown_labels`) carries :func:`no_unit_message`.
    """

    @app.callback(
        Output(component_id, "labels"),
        Input(component_id, "search_value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Search", lambda m: dropdown_labels(str, str(m.children)))
    def _no_match(text: str | None, lang: str | None = "en") -> dcc.Dropdown.Labels:
        t = translator(lang)
        return dropdown_labels(t, no_unit_message(options(lang or "en"), text, t))
