"""Callbacks of the ranking robustness: grid columns, map stars, summary line, CSV download.

After every change of the designer's weights or constraints (its ``design-state`` store)
and of N or the concentration, the ranking rows gain their top-N probability and rank
interval, and the "Robust top N" map layer its stars.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from dash import Dash, Input, Output, State, dcc, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.designer_service import DesignerService
from dashboard.errors import panel_errors, problems_box
from dashboard.i18n import translator
from dashboard.robustness_view import (
    ranking_export,
    robust_markers,
    robustness_message,
    robustness_problems,
    with_robustness,
)
from layers.io import write_csv
from processing.exports import slug
from processing.robustness import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    RobustnessSettings,
    model_robustness,
    rank_robustness,
    unit_memberships,
)

MAX_CACHED = 16  # mean-membership tables kept (one per intervention and constraint set)


class RobustnessService:
    """The robustness of the designer's community ranking, for one app.

    A community's mean memberships depend on the intervention and the constraints only, so
    they are computed once per pair and every change of weights, N or concentration costs
    one set of draws.
    """

    def __init__(self, designer: DesignerService) -> None:
        self.designer = designer
        self._members: dict[tuple[str, tuple[str, ...] | None], np.ndarray] = {}
        self._lock = threading.Lock()

    def table(
        self,
        intervention_id: str,
        weights: Sequence[float],
        constraints: Collection[str] | None,
        top_n: int,
        concentration: float,
    ) -> pd.DataFrame:
        """``unit_id`` and the robustness columns of every community (engine order)."""
        eng = self.designer.planner.engine
        model = eng.model(intervention_id)
        settings = RobustnessSettings(concentration, DEFAULT_DRAWS, top_n, DEFAULT_SEED)
        if model.profile.method == "sum":
            key = (intervention_id, None if constraints is None else tuple(sorted(constraints)))
            with self._lock:
                if key not in self._members:
                    if len(self._members) >= MAX_CACHED:
                        self._members.pop(next(iter(self._members)))
                    self._members[key] = unit_memberships(model, constraints)
                members = self._members[key]
            table = rank_robustness(
                members, weights, concentration, DEFAULT_DRAWS, top_n, DEFAULT_SEED
            )
        else:
            table = model_robustness(model, weights, settings, constraints)
        table.insert(0, "unit_id", eng.unit_ids["communities"].astype(str))
        return table

    def points(self) -> dict[str, tuple[float, float]]:
        """(lat, lon) of a point inside each community, by id."""
        return self.designer.community_points()

    def names(self) -> dict[str, str]:
        """Community names by id."""
        eng = self.designer.planner.engine
        return {
            str(i): str(n)
            for i, n in zip(eng.unit_ids["communities"], eng.unit_names["communities"], strict=True)
        }


def _weights_of(state: dict[str, Any] | None) -> tuple[str, list[float], list[str] | None]:
    """Intervention, weights and constraints of the designer's state (PreventUpdate: none)."""
    iv = (state or {}).get("intervention")
    weights = (state or {}).get("weights")
    if not isinstance(iv, str) or not isinstance(weights, list) or (state or {}).get("crop"):
        raise PreventUpdate
    constraints = (state or {}).get("constraints")
    return iv, [float(w) for w in weights], constraints if isinstance(constraints, list) else None


def robustness_update(
    robust: RobustnessService,
    state: dict[str, Any] | None,
    rows: list[dict[str, Any]] | None,
    top_n: Any,
    concentration: Any,
    lang: str | None,
) -> tuple[Any, Any, Any]:
    """Ranking rows with the robustness columns, the map's stars and the summary line."""
    t = translator(lang)
    if (state or {}).get("crop"):
        return no_update, [], ""
    iv, weights, constraints = _weights_of(state)
    problems = robustness_problems(top_n, concentration, t)
    if problems:
        return no_update, no_update, problems_box(problems)
    n, c = int(float(top_n)), float(concentration)
    table = robust.table(iv, weights, constraints, n, c)
    markers = robust_markers(table, robust.points(), robust.names(), n, t)
    return with_robustness(rows or [], table, t), markers, robustness_message(table, n, c, t)


def ranking_csv(
    robust: RobustnessService, state: dict[str, Any] | None, top_n: Any, concentration: Any
) -> tuple[str, bytes]:
    """File name and content of the ranking with its robustness columns (CSV).

    Text cells a spreadsheet would run as formulas are neutralised (``write_csv``).
    """
    iv, weights, constraints = _weights_of(state)
    if robustness_problems(top_n, concentration, str):
        raise PreventUpdate  # the fields' messages are already shown
    n, c = int(float(top_n)), float(concentration)
    ranking = robust.designer.ranking(iv, weights, constraints)
    ranking["unit_id"] = ranking["unit_id"].astype(str)
    table = robust.table(iv, weights, constraints, n, c)
    region = robust.designer.service.region.name
    name = f"landwater_{slug(region)}_ranking_{slug(iv)}.csv"
    with tempfile.TemporaryDirectory(prefix="landwater-export-") as tmp:
        path = write_csv(ranking_export(ranking, table, n), Path(tmp) / name, for_spreadsheets=True)
        return name, path.read_bytes()


def register_robustness(app: Dash, designer: DesignerService) -> None:
    """Wire the robustness callbacks (their components are in the designer's section)."""
    robust = RobustnessService(designer)

    @app.callback(
        Output(ids.DESIGN_RANKING, "rowData", allow_duplicate=True),
        Output(ids.ROBUST_LAYER, "children"),
        Output(ids.ROBUST_MSG, "children"),
        Input(ids.DESIGN_STATE, "data"),
        Input(ids.ROBUST_TOP_N, "value"),
        Input(ids.ROBUST_CONCENTRATION, "value"),
        State(ids.DESIGN_RANKING, "rowData"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Ranking robustness", lambda m: (no_update, [], m))
    def _robustness(
        state: dict[str, Any] | None,
        top_n: Any,
        concentration: Any,
        rows: list[dict[str, Any]] | None,
        lang: str | None,
    ) -> tuple[Any, Any, Any]:
        return robustness_update(robust, state, rows, top_n, concentration, lang)

    @app.callback(
        Output(ids.ROBUST_DOWNLOAD, "data"),
        Input(ids.ROBUST_DOWNLOAD_BUTTON, "n_clicks"),
        State(ids.DESIGN_STATE, "data"),
        State(ids.ROBUST_TOP_N, "value"),
        State(ids.ROBUST_CONCENTRATION, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Ranking robustness", lambda m: no_update)
    def _download(
        n_clicks: int | None, state: dict[str, Any] | None, top_n: Any, concentration: Any
    ) -> Any:
        if not n_clicks:
            raise PreventUpdate
        name, data = ranking_csv(robust, state, top_n, concentration)
        return dcc.send_bytes(data, name)
