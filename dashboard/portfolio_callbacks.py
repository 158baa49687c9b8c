"""Callbacks of the budget portfolio: the cost model shown, the solve, the map, the downloads.

The portfolio is chosen by :class:`processing.portfolio_plan.PortfolioPlanner` over the
designer's results; bad input is answered in the section's message slot and clears the
last portfolio (its totals, chart, table and map markers), so nothing stale reads as the
answer to the new input.
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from dataclasses import asdict
from pathlib import Path
from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.designer_service import CROP_OPTION, DesignerService
from dashboard.errors import panel_errors, problems_box
from dashboard.i18n import Translate, language_of, translator
from dashboard.portfolio_view import (
    cost_model_note,
    error_text,
    portfolio_markers,
    portfolio_problems,
    request_from_form,
    result_panel,
)
from layers.config import InterventionConfig
from layers.io import write_csv, write_xlsx
from processing.exports import slug
from processing.portfolio import PortfolioError
from processing.portfolio_impacts import community_facts
from processing.portfolio_plan import (
    PortfolioPlanner,
    PortfolioRequest,
    PortfolioResult,
    export_sheets,
    export_table,
)

MAX_CACHED = 8  # portfolios kept (their downloads answer without solving again)
NO_RESULTS = "Suitability needs results: run `landwater process` on this region."


class PortfolioService:
    """Budget portfolios over the designer's region, for one app.

    The community facts are read once; the last few portfolios are kept by request, so a
    download sends the portfolio shown without solving it again.
    """

    def __init__(self, designer: DesignerService) -> None:
        self.designer = designer
        self._planner: PortfolioPlanner | None = None
        self._results: OrderedDict[PortfolioRequest, PortfolioResult] = OrderedDict()
        self._lock = threading.Lock()

    def planner(self) -> PortfolioPlanner:
        """The planner (built on first use; needs results)."""
        with self._lock:
            if self._planner is None:
                svc = self.designer.service
                if not self.designer.ready() or svc.results is None:
                    raise RuntimeError(NO_RESULTS)
                facts = community_facts(svc.results, svc.registry)
                self._planner = PortfolioPlanner(
                    facts,
                    list(svc.region.config.interventions),
                    lambda: self.designer.scenario.scenarios,
                )
            return self._planner

    def plan(self, request: PortfolioRequest) -> PortfolioResult:
        """The portfolio of a request (PortfolioError naming the fix when there is none)."""
        with self._lock:
            if request in self._results:
                self._results.move_to_end(request)
                return self._results[request]
        result = self.planner().plan(request)
        with self._lock:
            self._results[request] = result
            while len(self._results) > MAX_CACHED:
                self._results.popitem(last=False)
        return result

    def intervention(self, value: str | None) -> InterventionConfig | None:
        """The designer's chosen intervention (None: a crop or nothing chosen)."""
        if not value or value.startswith(CROP_OPTION):
            return None
        return self.designer.profile(value)


def intervention_view(
    portfolios: PortfolioService, value: str | None, lang: str | None
) -> tuple[Any, str]:
    """The note on the chosen intervention's cost model and the budget field's label."""
    t = translator(lang)
    return cost_model_note(portfolios.intervention(value), t)


def _refusal(message: Any) -> tuple[Any, ...]:
    """The answer of a portfolio not chosen: the message, the last portfolio cleared."""
    return None, [], None, message


def portfolio_run(
    portfolios: PortfolioService,
    value: str | None,
    impact: str | None,
    form: dict[str, Any],
    lang: str | None,
) -> tuple[Any, ...]:
    """Result panel, map markers, stored request and message for the form's portfolio."""
    t: Translate = translator(lang)
    if not portfolios.designer.ready():
        return _refusal(t(NO_RESULTS))
    iv = portfolios.intervention(value)
    if iv is None:
        return _refusal(t("Choose an intervention (not a crop) for a budget portfolio."))
    problems = portfolio_problems(form, t)
    if problems:
        return _refusal(problems_box(problems))
    request = request_from_form(iv.id, impact or "m3", form)
    try:
        result = portfolios.plan(request)
    except PortfolioError as exc:
        return _refusal(problems_box([error_text(exc, t)]))
    markers = portfolio_markers(result, portfolios.designer.community_points(), t)
    return result_panel(result, iv.name_in(language_of(t)), t), markers, asdict(request), ""


def portfolio_file(
    portfolios: PortfolioService, stored: dict[str, Any] | None, fmt: str
) -> tuple[str, bytes]:
    """File name and content of the portfolio shown: its table (CSV) or workbook (Excel).

    Text cells a spreadsheet would run as formulas are neutralised (``write_csv``,
    ``write_xlsx``).
    """
    if not stored:
        raise PreventUpdate  # no portfolio shown
    request = PortfolioRequest(**stored)
    result = portfolios.plan(request)
    region = portfolios.designer.service.region.name
    name = f"landwater_{slug(region)}_portfolio_{slug(request.intervention)}.{fmt}"
    with tempfile.TemporaryDirectory(prefix="landwater-export-") as tmp:
        path = Path(tmp) / name
        if fmt == "csv":
            write_csv(export_table(result), path, for_spreadsheets=True)
        else:
            write_xlsx(export_sheets(result), path)
        return name, path.read_bytes()


def register_portfolio(app: Dash, designer: DesignerService) -> None:
    """Wire the portfolio's callbacks (their components are in the designer's section)."""
    portfolios = PortfolioService(designer)

    @app.callback(
        Output(ids.PORT_INTERVENTION, "children"),
        Output(ids.PORT_BUDGET_LABEL, "children"),
        Input(ids.DESIGN_IV, "value"),
        State(ids.LANG, "value"),
    )
    @panel_errors("Budget portfolio", lambda m: (m, no_update))
    def _intervention(value: str | None, lang: str | None) -> tuple[Any, str]:
        return intervention_view(portfolios, value, lang)

    @app.callback(
        Output(ids.PORT_RESULT, "children"),
        Output(ids.PORT_LAYER, "children"),
        Output(ids.PORT_STORE, "data"),
        Output(ids.PORT_MSG, "children"),
        Input(ids.PORT_RUN, "n_clicks"),
        State(ids.DESIGN_IV, "value"),
        State(ids.PORT_IMPACT, "value"),
        State(ids.PORT_BUDGET, "value"),
        State(ids.PORT_MAX, "value"),
        State(ids.PORT_SHARE, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Budget portfolio", _refusal)
    def _run(
        n_clicks: int | None,
        value: str | None,
        impact: str | None,
        budget: Any,
        max_units: Any,
        share: Any,
        lang: str | None,
    ) -> tuple[Any, ...]:
        if not n_clicks:
            raise PreventUpdate
        form = {"budget": budget, "max_units": max_units, "share": share}
        return portfolio_run(portfolios, value, impact, form, lang)

    @app.callback(
        Output(ids.PORT_DOWNLOAD, "data"),
        Output(ids.PORT_MSG, "children", allow_duplicate=True),
        Input(ids.PORT_CSV, "n_clicks"),
        Input(ids.PORT_XLSX, "n_clicks"),
        State(ids.PORT_STORE, "data"),
        prevent_initial_call=True,
    )
    @panel_errors("Budget portfolio", lambda m: (no_update, m))
    def _download(_csv: int | None, _xlsx: int | None, stored: dict[str, Any] | None) -> Any:
        if not (ctx.triggered and ctx.triggered[0].get("value")):
            raise PreventUpdate  # the buttons were drawn, not clicked
        fmt = "xlsx" if ctx.triggered_id == ids.PORT_XLSX else "csv"
        name, data = portfolio_file(portfolios, stored, fmt)
        return dcc.send_bytes(data, name), ""
