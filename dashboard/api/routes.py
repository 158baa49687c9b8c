"""The routes of the JSON API: thin, each calls the services the dashboard's pages use.

Every request is validated by its pydantic model (:mod:`dashboard.api.models`), every answer
is built from one, and :data:`dashboard.api.operations.OPERATIONS` is the table both Flask and
the OpenAPI document are made from. Writing (shortlists, scenarios) follows the dashboard's rules
(:mod:`dashboard.access`): refused on a read-only server (403), and behind the editors' login
when one is set (401: ``GET /login`` with the password, then send its session cookie).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import orjson
import pandas as pd
import shapely.geometry
from flask import Blueprint, Flask, Response, abort, request, url_for
from pydantic import BaseModel, ValidationError
from shapely.errors import GEOSException

from dashboard.access import LOGIN_MESSAGE, READ_ONLY_MESSAGE
from dashboard.api import models as m
from dashboard.api.docs import register_docs
from dashboard.api.errors import ApiError, register_errors, validation_message
from dashboard.api.openapi import openapi_document
from dashboard.api.operations import API_ROOT, API_VERSION, OPERATIONS
from dashboard.designer_service import CONSTRAINT_NAMES, DesignerService, error_message
from dashboard.service import RegionService
from layers.workspace import ConflictError
from processing.exports import FORMATS, TABLES
from processing.output_spec import describe
from processing.sites import SiteEvaluation

MAX_BODY_BYTES = 1_000_000  # a full shortlist with notes is about 200 kB
MONTHLY_UNITS = "mm"
SUMMARY_GROUPS = {"communities": "summary", "watersheds": "summary"}
Model = TypeVar("Model", bound=BaseModel)


# -- conversions ---------------------------------------------------------------------------
def plain(value: Any) -> m.Value:
    """A table cell as JSON: numbers as float or int, missing values as None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.integer | int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, np.floating | float):
        return None if not np.isfinite(value) else float(value)
    if pd.isna(value):
        return None
    return str(value)


def columns(names: list[str], group: str) -> list[m.Column]:
    """The declared units and meaning of each column (plain names for undeclared ones)."""
    out = []
    for name in names:
        try:
            info = describe(name, group)
        except KeyError:
            info = {"units": "", "meaning": name, "method": ""}
        out.append(m.Column(name=name, **info))
    return out


def site_out(ev: SiteEvaluation) -> m.SiteOut:
    """The API's view of a site evaluation."""
    return m.SiteOut.model_validate(ev.to_dict())


def utc(moment: dt.datetime) -> dt.datetime:
    """A workspace time in UTC (SQLite gives it back without its zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parse_query(model: type[Model]) -> Model:
    """The query string validated by ``model`` (422 naming each bad parameter)."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise ApiError(422, validation_message(exc, "query")) from exc


def parse_body(model: type[Model]) -> Model:
    """The JSON body validated by ``model`` (400 when not JSON, 422 naming each bad field)."""
    if not request.is_json:
        raise ApiError(400, "send the body as JSON with 'Content-Type: application/json'")
    data = request.get_data(cache=False)  # 413 past MAX_BODY_BYTES
    try:
        return model.model_validate_json(data)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise ApiError(400, f"the body is not valid JSON: {exc.errors()[0]['msg']}") from exc
        raise ApiError(422, validation_message(exc, "body")) from exc


def json_response(model: BaseModel, status: int = 200) -> Response:
    """A model as the JSON answer."""
    return Response(model.model_dump_json(), status, mimetype="application/json")


def page_of(items: list[Any], query: m.PageQuery) -> list[Any]:
    """The items of the query's page."""
    return items[query.offset : query.offset + query.limit]


# -- routes --------------------------------------------------------------------------------
class Api:
    """The API's handlers over the dashboard's services (one per app, no module state)."""

    def __init__(self, service: RegionService, designer: DesignerService) -> None:
        self.service = service
        self.designer = designer

    # region ----------------------------------------------------------------------------
    def region(self) -> Response:
        """``GET /region``: name, grid, extent, levels, interventions, crops."""
        svc = self.service
        (s, w), (n, e) = svc.map_view()[1]
        section = svc.region.config.region
        levels = [lv for lv in ("communities", "watersheds") if svc.units(lv)[0] is not None]
        return json_response(
            m.RegionOut(
                api_version=API_VERSION,
                name=svc.region.name,
                crs=svc.registry.crs.to_string(),
                resolution_m=section.resolution_m,
                bounds=[w, s, e, n],
                levels=levels,
                has_results=svc.ensure_results(),
                interventions=[m.Named(id=i, name=nm) for i, nm in self.designer.interventions],
                crops=[m.Named(id=i, name=nm) for i, nm in svc.crops()],
                constraints=list(CONSTRAINT_NAMES),
                links={
                    "openapi": f"{API_ROOT}/openapi.json",
                    "docs": f"{API_ROOT}/docs",
                    "layers": f"{API_ROOT}/layers",
                    **{lv: f"{API_ROOT}/units/{lv}" for lv in levels},
                },
            )
        )

    def layers(self) -> Response:
        """``GET /layers``: input layers with provenance, result rasters with units."""
        svc = self.service
        svc.ensure_results()
        return json_response(
            m.LayersOut(
                layers=[m.LayerOut(**info.__dict__) for info in svc.layer_infos()],
                results=[
                    m.ResultLayerOut(
                        key=key,
                        label=label,
                        subject=subject,
                        units=units,
                        tiles=f"/tiles/{key}/{{z}}/{{x}}/{{y}}.png",
                    )
                    for key, (label, subject, units) in svc.result_layers().items()
                ],
            )
        )

    # units -----------------------------------------------------------------------------
    def _summary(self, level: str) -> pd.DataFrame:
        if level not in ("communities", "watersheds"):
            raise ApiError(404, f"unknown level '{level}': use communities or watersheds")
        if not self.service.ensure_results():
            raise ApiError(404, "no results yet: run `landwater process` on this region")
        table = self.service.summary(level)
        if table is None:
            raise ApiError(404, f"this region has no {level}")
        return table

    def _unit_row(self, level: str, unit_id: str) -> pd.Series:
        table = self._summary(level)
        rows = table[table["id"] == unit_id]
        if rows.empty:
            raise ApiError(
                404, f"no {level} unit '{unit_id}': list them at {API_ROOT}/units/{level}"
            )
        return rows.iloc[0]

    @staticmethod
    def _unit_summary(row: pd.Series) -> m.UnitSummary:
        values = {k: plain(v) for k, v in row.items() if k not in ("id", "name")}
        return m.UnitSummary(id=str(row["id"]), name=str(row["name"]), values=values)

    def units(self, level: str) -> Response:
        """``GET /units/{level}``: a page of units with their summary figures."""
        query = parse_query(m.PageQuery)
        table = self._summary(level)
        names = [c for c in table.columns if c not in ("id", "name")]
        rows = page_of(list(range(len(table))), query)
        return json_response(
            m.UnitPage(
                level=level,
                total=len(table),
                offset=query.offset,
                limit=query.limit,
                columns=columns(names, SUMMARY_GROUPS[level]),
                items=[self._unit_summary(table.iloc[i]) for i in rows],
            )
        )

    def unit(self, level: str, unit_id: str) -> Response:
        """``GET /units/{level}/{unit_id}``: one unit's figures and attributes."""
        row = self._unit_row(level, unit_id)
        summary = self._unit_summary(row)
        units, id_field = self.service.units(level)
        attributes: dict[str, m.Value] = {}
        if units is not None:
            hit = units[units[id_field].astype(str) == unit_id]
            for key in ("population", "households"):
                if key in hit and not hit.empty:
                    attributes[key] = plain(hit[key].iloc[0])
        base = f"{API_ROOT}/units/{level}/{unit_id}"
        return json_response(
            m.UnitOut(
                **summary.model_dump(),
                level=level,
                columns=columns(list(summary.values), SUMMARY_GROUPS[level]),
                attributes=attributes,
                links={
                    "monthly": f"{base}/monthly",
                    "suitability": f"{base}/suitability",
                    "brief": f"/brief/{level}/{unit_id}.html",
                },
            )
        )

    def monthly(self, level: str, unit_id: str) -> Response:
        """``GET /units/{level}/{unit_id}/monthly``: the monthly balance, mm."""
        self._unit_row(level, unit_id)
        rows = self.service.monthly_mm(level)
        rows = rows[rows["unit_id"] == unit_id]
        # a monthly series gives one value per year: the month's mean over the years
        means = rows.groupby(["month", "variable"], sort=True)["value"].mean().unstack()
        variables = [str(v) for v in means.columns]
        months = [
            m.MonthValues(
                month=int(month), values={v: plain(means.loc[month, v]) for v in variables}
            )
            for month in means.index
        ]
        return json_response(
            m.MonthlyOut(
                level=level,
                id=unit_id,
                units=MONTHLY_UNITS,
                variables=[
                    c.model_copy(update={"units": MONTHLY_UNITS})
                    for c in columns(variables, "variables")
                ],
                months=months,
            )
        )

    def suitability(self, level: str, unit_id: str) -> Response:
        """``GET /units/{level}/{unit_id}/suitability``: one row per intervention."""
        self._unit_row(level, unit_id)
        profile = self.service.profile(unit_id, level)
        table = profile.suitability if profile is not None else pd.DataFrame()
        names = [c for c in table.columns if c not in ("unit_id", "intervention", "name")]
        return json_response(
            m.SuitabilityOut(
                level=level,
                id=unit_id,
                columns=columns(names, "suitability"),
                interventions=[
                    m.SuitabilityRow(
                        intervention=str(r["intervention"]),
                        name=str(r.get("name", r["intervention"])),
                        values={k: plain(r[k]) for k in names},
                    )
                    for _, r in table.iterrows()
                ],
            )
        )

    # sites -----------------------------------------------------------------------------
    def _design_checks(self, body: m.EvaluateIn | m.RecommendIn) -> None:
        try:
            n = len(self.designer.profile(body.intervention).criteria)
        except KeyError as exc:
            known = ", ".join(i for i, _ in self.designer.interventions)
            raise ApiError(
                404, f"unknown intervention '{body.intervention}': choose one of {known}"
            ) from exc
        if body.weights is not None and (len(body.weights) != n or sum(body.weights) <= 0):
            raise ApiError(
                422,
                f"weights: give {n} non-negative numbers, not all zero, one per criterion of "
                f"'{body.intervention}' (or omit them for the profile's own)",
            )
        if not self.designer.ready():
            raise ApiError(404, "no results yet: run `landwater process` on this region")

    def evaluate(self) -> Response:
        """``POST /sites/evaluate``: a point's score, criteria and context."""
        body = parse_body(m.EvaluateIn)
        self._design_checks(body)
        try:
            ev = self.designer.planner.evaluate_site(
                body.intervention,
                body.lon,
                body.lat,
                weights=body.weights,
                constraints=body.constraints,
            )
        except ValueError as exc:
            raise ApiError(
                422, f"lon/lat ({body.lon}, {body.lat}): {error_message(exc)}", "outside_region"
            ) from exc
        return json_response(site_out(ev))

    def recommend(self) -> Response:
        """``POST /sites/recommend``: the best sites, best first."""
        body = parse_body(m.RecommendIn)
        self._design_checks(body)
        within = None
        if body.within is not None:
            try:
                within = shapely.geometry.shape(body.within)
            except (KeyError, TypeError, ValueError, AttributeError, GEOSException) as exc:
                raise ApiError(422, f"within: not a GeoJSON geometry ({exc})") from exc
            if within.geom_type not in ("Polygon", "MultiPolygon") or not within.is_valid:
                raise ApiError(422, "within: give a valid GeoJSON Polygon or MultiPolygon")
        try:
            picks = self.designer.planner.recommend_sites(
                body.intervention,
                body.count,
                body.min_spacing_m,
                max_per_community=body.max_per_community,
                min_distance_from_existing_m=body.min_distance_from_existing_m,
                within=within,
                weights=body.weights,
                constraints=body.constraints,
            )
        except ValueError as exc:
            raise ApiError(422, error_message(exc)) from exc
        items = [site_out(p) for p in picks]
        return json_response(m.SitesOut(count=len(items), items=items))

    # workspace -------------------------------------------------------------------------
    def _may_edit(self) -> None:
        refusal = self.designer.access.refusal()
        if refusal == READ_ONLY_MESSAGE:
            raise ApiError(403, refusal)
        if refusal == LOGIN_MESSAGE:
            raise ApiError(
                401,
                "editing needs a login: GET /login with the editors' password (HTTP Basic), "
                "then send the session cookie it sets with this request",
            )
        if refusal is not None:
            raise ApiError(403, refusal)

    @staticmethod
    def _item_id(item_id: str, what: str) -> int:
        if not (item_id.isascii() and item_id.isdigit() and len(item_id) <= 18):
            raise ApiError(404, f"no {what} '{item_id}': ids are whole numbers from the list")
        return int(item_id)

    @staticmethod
    def _shortlist_info(rec: Any) -> dict[str, Any]:
        return {
            "id": rec.id,
            "name": rec.name,
            "author": rec.author,
            "notes": rec.notes,
            "intervention": rec.intervention,
            "site_count": len(rec.sites),
            "created_at": utc(rec.created_at),
            "updated_at": utc(rec.updated_at),
            "version": rec.version,
            "links": {
                "self": f"{API_ROOT}/shortlists/{rec.id}",
                "brief": f"/brief/shortlist/{rec.id}.html",
            },
        }

    def shortlists(self) -> Response:
        """``GET /shortlists``: a page of the saved shortlists."""
        query = parse_query(m.PageQuery)
        records = self.designer.workspace.list_shortlists()
        return json_response(
            m.ShortlistPage(
                total=len(records),
                offset=query.offset,
                limit=query.limit,
                items=[m.ShortlistInfo(**self._shortlist_info(r)) for r in page_of(records, query)],
            )
        )

    def shortlist(self, item_id: str) -> Response:
        """``GET /shortlists/{item_id}``: one shortlist with its sites."""
        try:
            rec = self.designer.workspace.get_shortlist(self._item_id(item_id, "shortlist"))
        except KeyError as exc:
            raise ApiError(404, f"no shortlist {item_id} (deleted, or never saved)") from exc
        return json_response(m.ShortlistOut(**self._shortlist_info(rec), sites=rec.sites))

    def save_shortlist(self) -> Response:
        """``POST /shortlists``: save a new shortlist (editors)."""
        self._may_edit()
        body = parse_body(m.ShortlistIn)
        try:
            rec = self.designer.workspace.save_shortlist(
                body.name,
                [s.model_dump() for s in body.sites],
                intervention=body.intervention,
                author=body.author,
                notes=body.notes,
            )
        except ValueError as exc:
            raise ApiError(422, error_message(exc)) from exc
        return json_response(m.ShortlistOut(**self._shortlist_info(rec), sites=rec.sites), 201)

    def edit_shortlist(self, item_id: str) -> Response:
        """``PATCH /shortlists/{item_id}``: change what the body gives (editors)."""
        self._may_edit()
        number = self._item_id(item_id, "shortlist")
        body = parse_body(m.ShortlistEdit)
        sites = None if body.sites is None else [s.model_dump() for s in body.sites]
        try:
            rec = self.designer.workspace.update_shortlist(
                number, body.version, name=body.name, notes=body.notes, sites=sites
            )
        except ConflictError as exc:
            raise ApiError(409, str(exc)) from exc
        except KeyError as exc:
            raise ApiError(404, f"no shortlist {item_id} (deleted, or never saved)") from exc
        except ValueError as exc:
            raise ApiError(422, error_message(exc)) from exc
        return json_response(m.ShortlistOut(**self._shortlist_info(rec), sites=rec.sites))

    def delete_shortlist(self, item_id: str) -> Response:
        """``DELETE /shortlists/{item_id}`` (editors)."""
        self._may_edit()
        number = self._item_id(item_id, "shortlist")
        try:
            self.designer.workspace.delete_shortlist(number)
        except KeyError as exc:
            raise ApiError(404, f"no shortlist {item_id} (deleted, or never saved)") from exc
        return json_response(m.Deleted(id=number, deleted=True))

    @staticmethod
    def _scenario_info(rec: Any) -> dict[str, Any]:
        keys = ("id", "name", "author", "notes", "version")
        times = {k: utc(getattr(rec, k)) for k in ("created_at", "updated_at")}
        return {k: getattr(rec, k) for k in keys} | times

    def scenarios(self) -> Response:
        """``GET /scenarios``: a page of the saved scenarios."""
        query = parse_query(m.PageQuery)
        records = self.designer.workspace.list_scenarios()
        return json_response(
            m.ScenarioPage(
                total=len(records),
                offset=query.offset,
                limit=query.limit,
                items=[m.ScenarioInfo(**self._scenario_info(r)) for r in page_of(records, query)],
            )
        )

    def scenario(self, item_id: str) -> Response:
        """``GET /scenarios/{item_id}``: definition and saved totals."""
        try:
            rec = self.designer.workspace.get_scenario(self._item_id(item_id, "scenario"))
        except KeyError as exc:
            raise ApiError(404, f"no scenario {item_id} (deleted, or never saved)") from exc
        return json_response(
            m.ScenarioOut(**self._scenario_info(rec), spec=rec.spec, results=rec.results)
        )

    def save_scenario(self) -> Response:
        """``POST /scenarios``: run a scenario and save it with its totals (editors)."""
        self._may_edit()
        body = parse_body(m.ScenarioIn)
        if not self.designer.ready():
            raise ApiError(404, "no results yet: run `landwater process` on this region")
        sc = body.scenario
        try:
            result = self.designer.scenario.run(sc)
            rec = self.designer.workspace.save_scenario(
                sc.name, sc.model_dump(), {"totals": result.totals}, body.author, body.notes
            )
        except (KeyError, ValueError) as exc:
            raise ApiError(422, f"scenario: {error_message(exc)}") from exc
        return json_response(
            m.ScenarioOut(**self._scenario_info(rec), spec=rec.spec, results=rec.results), 201
        )

    def delete_scenario(self, item_id: str) -> Response:
        """``DELETE /scenarios/{item_id}`` (editors)."""
        self._may_edit()
        number = self._item_id(item_id, "scenario")
        try:
            self.designer.workspace.delete_scenario(number)
        except KeyError as exc:
            raise ApiError(404, f"no scenario {item_id} (deleted, or never saved)") from exc
        return json_response(m.Deleted(id=number, deleted=True))

    # exports ---------------------------------------------------------------------------
    def exports(self) -> Response:
        """``GET /exports``: links to the export route, per level, table and format."""
        levels = [("community", "communities"), ("watershed", "watersheds")]
        items = [
            m.ExportLink(
                level=plural,
                format=fmt,
                table=table,
                url=url_for("export", level=level, fmt=fmt, table=table),
            )
            for level, plural in levels
            if self.service.units(plural)[0] is not None
            for table in TABLES
            for fmt in FORMATS
        ]
        return json_response(m.ExportsOut(items=items))

    def handlers(self) -> dict[str, Callable[..., Response]]:
        """The handler of each operation, by ``method path``."""
        return {
            "get /region": self.region,
            "get /layers": self.layers,
            "get /units/{level}": self.units,
            "get /units/{level}/{unit_id}": self.unit,
            "get /units/{level}/{unit_id}/monthly": self.monthly,
            "get /units/{level}/{unit_id}/suitability": self.suitability,
            "post /sites/evaluate": self.evaluate,
            "post /sites/recommend": self.recommend,
            "get /shortlists": self.shortlists,
            "post /shortlists": self.save_shortlist,
            "get /shortlists/{item_id}": self.shortlist,
            "patch /shortlists/{item_id}": self.edit_shortlist,
            "delete /shortlists/{item_id}": self.delete_shortlist,
            "get /scenarios": self.scenarios,
            "post /scenarios": self.save_scenario,
            "get /scenarios/{item_id}": self.scenario,
            "delete /scenarios/{item_id}": self.delete_scenario,
            "get /exports": self.exports,
        }


DESCRIPTION = (
    "Read a region's layers, units, water balance and suitability; evaluate and recommend "
    "sites; read and (editors) write shortlists and scenarios; link to exports. Errors are "
    '`{"error": {"code": ..., "message": ...}}`. Lists are paged (`offset`, `limit` at most '
    f"{m.MAX_PAGE_ITEMS}); bodies are at most {MAX_BODY_BYTES // 1_000_000} MB."
)


def register_api(server: Flask, service: RegionService, designer: DesignerService) -> None:
    """Attach ``/api/v1/...``, its OpenAPI document and its documentation page."""
    bp = Blueprint("api_v1", __name__, url_prefix=API_ROOT)
    api = Api(service, designer)
    handlers = api.handlers()
    for op in OPERATIONS:
        handler = handlers[f"{op.method} {op.path}"]
        bp.add_url_rule(
            op.flask_rule,
            endpoint=f"{op.method}_{op.path}",
            view_func=handler,
            methods=[op.method.upper()],
        )

    @bp.before_request
    def limit_body() -> None:
        request.max_content_length = MAX_BODY_BYTES  # larger bodies: 413

    @bp.after_request
    def no_store(resp: Response) -> Response:
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    document = openapi_document(
        OPERATIONS, API_ROOT, f"landwater API: {service.region.name}", DESCRIPTION, API_VERSION
    )

    @bp.route("/openapi.json")
    def openapi() -> Response:
        return Response(orjson.dumps(document), mimetype="application/json")

    register_docs(bp, f"{API_ROOT}/openapi.json")

    # before the dashboard's catch-all page: an unknown API path is a JSON 404, not the page
    @server.route("/api/<path:_rest>", methods=["GET", "POST", "DELETE", "PATCH"])
    def unknown_route(_rest: str) -> Response:
        abort(404)

    register_errors(server, bp)
    server.register_blueprint(bp)
