"""Thin callbacks of the programme view: import or enter records, show totals, download."""

from __future__ import annotations

import base64
import binascii
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, no_update

from dashboard import ids
from dashboard.errors import panel_errors, problems_box
from dashboard.i18n import Translate, number, translator
from dashboard.programme_service import ProgrammeService
from dashboard.programme_view import (
    households_figure,
    programme_charts,
    status_figure,
    table_view,
    totals_list,
    water_figure,
)
from layers.io import neutralise_formulas, write_xlsx
from layers.monitoring import (
    COUNT_COLUMNS,
    MAX_LISTED_PROBLEMS,
    WHERE_FILE,
    WHERE_ROW,
    MonitoringError,
    RecordProblem,
)
from processing.programme import GROUPINGS

PANEL = "Programme monitoring"


def _upload_bytes(contents: str) -> bytes:
    """The bytes of a ``dcc.Upload`` data URL."""
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error) as exc:
        raise ValueError("the upload could not be read; choose the file again") from exc


EDITS = (ids.PROG_UPLOAD, ids.PROG_SAVE)  # the triggers that change the records
FORM_KEYS = ("site_id", "date", "status", *COUNT_COLUMNS)


def problem_text(problem: RecordProblem, t: Translate) -> str:
    """One problem in ``t``'s language: its row and column, what is wrong and the fix.

    Counts are written in the language's number format; line numbers, column names and
    the cell text as typed stay as they are.
    """
    values = {
        k: number(v, 0, t) if isinstance(v, int) and not isinstance(v, bool) and k != "row" else v
        for k, v in problem.values.items()
    }
    message = t(problem.template).format(**values)
    fix = t(problem.fix_template).format(**values)
    if problem.line is None:
        return t(WHERE_FILE).format(column=problem.column, message=message, fix=fix)
    return t(WHERE_ROW).format(row=problem.line, column=problem.column, message=message, fix=fix)


def problem_lines(problems: Sequence[RecordProblem], from_form: bool, t: Translate) -> list[str]:
    """What an import or an entry that stored nothing says: a heading, then the problems.

    The heading says that nothing was stored and what to do; at most
    ``MAX_LISTED_PROBLEMS`` problems follow, then how many more. A record entered in the
    form has no row: its problems name the field only.
    """
    if from_form:
        head = t("The record was not stored: correct these fields and save again.")
        shown = [replace(p, line=None) for p in problems[:MAX_LISTED_PROBLEMS]]
    else:
        head = t(
            "{n} problem(s): nothing was imported. Correct the file and import it again."
        ).format(n=len(problems))
        shown = list(problems[:MAX_LISTED_PROBLEMS])
    more = len(problems) - len(shown)
    tail = [t("... and {n} more").format(n=more)] if more > 0 else []
    return [head, *(problem_text(p, t) for p in shown), *tail]


def programme_action(
    programme: ProgrammeService,
    refusal: str | None,
    trigger: object,
    contents: str | None,
    form: Sequence[Any],
    by: str | None,
    lang: str | None,
    chosen: str | None = None,
) -> tuple[Any, ...]:
    """Store what the trigger brings (an upload, the form), then the view's outputs.

    ``refusal`` (why this request may not edit, or None) refuses the import or entry; the
    totals are shown either way. ``chosen`` is the group (of the grouping ``by``) whose
    sites the status chart follows (None: every site). Outputs: message, region totals,
    table, the charts (:func:`programme_charts`; none without records), the groups to
    choose from and the one chosen.
    """
    t = translator(lang)
    group = by if by in GROUPINGS else "community"
    message: Any = None
    if trigger in EDITS and (contents or trigger == ids.PROG_SAVE):
        if refusal is not None:
            message = problems_box([t(refusal)])
        else:
            try:
                if trigger == ids.PROG_UPLOAD and contents:
                    stored = programme.import_csv(_upload_bytes(contents))
                else:
                    stored = programme.save_record(dict(zip(FORM_KEYS, form, strict=True)))
                message = t("{n} record(s) stored").format(n=stored)
            except MonitoringError as exc:
                lines = problem_lines(exc.problems, trigger == ids.PROG_SAVE, t)
                message = problems_box(lines)
    records = programme.records()
    if records.empty:
        return (message or t("No monitoring records yet."), None, None, [], [], None)
    table = programme.table(records, group)
    groups = [str(g) for g in table[group].iloc[:-1]]
    chosen = chosen if chosen in groups else None
    return (
        message,
        totals_list(table.iloc[-1], t),
        table_view(table, group, t),
        programme_charts(
            status_figure(programme.over_time(records, group, chosen), t, chosen),
            households_figure(table, group, t),
            water_figure(table, group, t),
        ),
        [{"label": g, "value": g} for g in groups],
        chosen,
    )


def register_programme(
    app: Dash, programme: ProgrammeService, refusal: Callable[[], str | None]
) -> None:
    """Import, entry and totals; downloads. ``refusal()`` says why editing is refused."""

    @app.callback(
        Output(ids.PROG_MSG, "children"),
        Output(ids.PROG_TOTALS, "children"),
        Output(ids.PROG_TABLE, "children"),
        Output(ids.PROG_CHARTS, "children"),
        Output(ids.PROG_GROUP, "options"),
        Output(ids.PROG_GROUP, "value"),
        Input(ids.PROG_UPLOAD, "contents"),
        Input(ids.PROG_SAVE, "n_clicks"),
        Input(ids.PROG_BY, "value"),
        Input(ids.LANG, "value"),
        Input(ids.PROG_GROUP, "value"),
        State(ids.PROG_SITE, "value"),
        State(ids.PROG_DATE, "value"),
        State(ids.PROG_STATUS, "value"),
        State(ids.PROG_HH, "value"),
        State(ids.PROG_WOMEN, "value"),
        State(ids.PROG_YOUTH, "value"),
    )
    @panel_errors(
        PANEL,
        lambda m: (m, None, None, [], no_update, no_update),
    )
    def _programme(
        contents: str | None,
        _save: int,
        by: str | None,
        lang: str | None,
        chosen: str | None,
        *form: Any,
    ) -> tuple[Any, ...]:
        why = refusal() if ctx.triggered_id in EDITS else None
        trigger = ctx.triggered_id
        return programme_action(programme, why, trigger, contents, form, by, lang, chosen)

    @app.callback(
        Output(ids.PROG_DOWNLOAD, "data"),
        Input(ids.PROG_DL_CSV, "n_clicks"),
        Input(ids.PROG_DL_XLSX, "n_clicks"),
        State(ids.PROG_BY, "value"),
        prevent_initial_call=True,
    )
    @panel_errors(PANEL, lambda m: no_update)
    def _download(_csv: int, _xlsx: int, by: str | None) -> Any:
        by = by if by in GROUPINGS else "community"
        records = programme.records()
        if ctx.triggered_id == ids.PROG_DL_XLSX:
            sheets = {k: neutralise_formulas(v) for k, v in programme.sheets(records).items()}
            with tempfile.TemporaryDirectory(prefix="landwater-programme-") as tmp:
                data = write_xlsx(sheets, Path(tmp) / "programme.xlsx").read_bytes()
            return dcc.send_bytes(data, "programme.xlsx")
        table = neutralise_formulas(programme.table(records, by))
        return dcc.send_data_frame(table.to_csv, f"programme_by_{by}.csv", index=False)
