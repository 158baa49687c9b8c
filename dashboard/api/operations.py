"""The JSON API's contract: its version, its root and every operation it answers.

Flask's routes (:mod:`dashboard.api.routes`) and the OpenAPI document
(:mod:`dashboard.api.openapi`) are both made from :data:`OPERATIONS`.
"""

from __future__ import annotations

from dashboard.api import models as m
from dashboard.api.openapi import Operation

API_VERSION = "1.0.0"
API_ROOT = "/api/v1"
UNIT_PARAMS = {
    "level": "communities or watersheds",
    "unit_id": "the unit's id, as in the region's layer",
}
ID_PARAM = {"item_id": "the id the list gives"}

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", "/region", "The region: extent, levels, interventions", "region", m.RegionOut),
    Operation(
        "get", "/layers", "Input layers with provenance, result rasters", "region", m.LayersOut
    ),
    Operation(
        "get",
        "/units/{level}",
        "A page of the units of a level with their summaries",
        "units",
        m.UnitPage,
        query=m.PageQuery,
        errors=(404, 422),
        params=UNIT_PARAMS,
    ),
    Operation(
        "get",
        "/units/{level}/{unit_id}",
        "One unit's summary and attributes",
        "units",
        m.UnitOut,
        errors=(404,),
        params=UNIT_PARAMS,
    ),
    Operation(
        "get",
        "/units/{level}/{unit_id}/monthly",
        "A unit's monthly water balance, mm",
        "units",
        m.MonthlyOut,
        errors=(404,),
        params=UNIT_PARAMS,
    ),
    Operation(
        "get",
        "/units/{level}/{unit_id}/suitability",
        "A unit's suitability for each intervention",
        "units",
        m.SuitabilityOut,
        errors=(404,),
        params=UNIT_PARAMS,
    ),
    Operation(
        "post",
        "/sites/evaluate",
        "Evaluate a point for an intervention",
        "sites",
        m.SiteOut,
        body=m.EvaluateIn,
        errors=(400, 404, 413, 422),
    ),
    Operation(
        "post",
        "/sites/recommend",
        "The best sites of an intervention, with spacing and caps",
        "sites",
        m.SitesOut,
        body=m.RecommendIn,
        errors=(400, 404, 413, 422),
    ),
    Operation(
        "get",
        "/shortlists",
        "A page of the saved shortlists",
        "shortlists",
        m.ShortlistPage,
        query=m.PageQuery,
        errors=(422,),
    ),
    Operation(
        "post",
        "/shortlists",
        "Save a new shortlist (editors)",
        "shortlists",
        m.ShortlistOut,
        status=201,
        body=m.ShortlistIn,
        errors=(400, 401, 403, 413, 422, 503),
    ),
    Operation(
        "get",
        "/shortlists/{item_id}",
        "One shortlist with its sites",
        "shortlists",
        m.ShortlistOut,
        errors=(404,),
        params=ID_PARAM,
    ),
    Operation(
        "patch",
        "/shortlists/{item_id}",
        "Rename, annotate or replace the sites of a shortlist (editors)",
        "shortlists",
        m.ShortlistOut,
        body=m.ShortlistEdit,
        errors=(400, 401, 403, 404, 409, 413, 422, 503),
        params=ID_PARAM,
    ),
    Operation(
        "delete",
        "/shortlists/{item_id}",
        "Delete a shortlist (editors)",
        "shortlists",
        m.Deleted,
        errors=(401, 403, 404, 503),
        params=ID_PARAM,
    ),
    Operation(
        "get",
        "/scenarios",
        "A page of the saved scenarios",
        "scenarios",
        m.ScenarioPage,
        query=m.PageQuery,
        errors=(422,),
    ),
    Operation(
        "post",
        "/scenarios",
        "Run a scenario and save it with its totals (editors)",
        "scenarios",
        m.ScenarioOut,
        status=201,
        body=m.ScenarioIn,
        errors=(400, 401, 403, 413, 422, 503),
    ),
    Operation(
        "get",
        "/scenarios/{item_id}",
        "One scenario: definition and saved totals",
        "scenarios",
        m.ScenarioOut,
        errors=(404,),
        params=ID_PARAM,
    ),
    Operation(
        "delete",
        "/scenarios/{item_id}",
        "Delete a scenario (editors)",
        "scenarios",
        m.Deleted,
        errors=(401, 403, 404, 503),
        params=ID_PARAM,
    ),
    Operation("get", "/exports", "Links to every table export", "exports", m.ExportsOut),
)
