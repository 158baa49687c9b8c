"""A printable brief of a saved shortlist: its sites on a map, each site's evaluation, notes.

Same form as the community brief (one self-contained HTML file with print CSS). The sites'
figures are those stored with the shortlist when it was saved, so the brief documents what
the designer decided on. Used by ``/brief/shortlist/<id>.html`` and ``landwater brief
--shortlist ID``.
"""

from __future__ import annotations

import base64
import math
from collections import Counter
from html import escape
from typing import Any

import shapely
from pyproj import Transformer

from dashboard.brief import (
    MapPicture,
    footer,
    glossary_section,
    html_table,
    land_use_picture,
    num,
    page_top,
    scale_length_m,
    text,
)
from dashboard.profile import CRITERION_LABELS
from dashboard.service import RegionService
from layers.workspace import ShortlistRecord


def _label(layer: object) -> str:
    return text(CRITERION_LABELS.get(str(layer), layer))


def _site_rows(sites: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            str(i + 1),
            text(s.get("community_name") or s.get("community_id")),
            f"{float(s['lon']):.5f}, {float(s['lat']):.5f}",
            num(s.get("score"), 2),
            text(s.get("suitability_class")),
            _label(s.get("limiting_criterion")) if s.get("limiting_criterion") else "-",
            num(s.get("rainfall_annual_mm")),
            num(s.get("slope_pct"), 1),
            text(s.get("land_use")),
            num(s.get("nearest_site_m")),
            text(s.get("note") or ""),
        ]
        for i, s in enumerate(sites)
    ]


def _criteria(sites: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The criteria the sites were evaluated with (from the first site), the well-formed ones.

    A shortlist is stored as the browser sent it: anything but a list of tables is left out.
    """
    raw = sites[0].get("criteria") if sites and isinstance(sites[0], dict) else None
    return [c for c in raw if isinstance(c, dict)] if isinstance(raw, list) else []


def _weight(criterion: dict[str, Any]) -> float:
    """A criterion's weight; 0 when it is not a finite number >= 0."""
    try:
        weight = float(criterion.get("weight") or 0)
    except (TypeError, ValueError, OverflowError):
        return 0.0
    return weight if math.isfinite(weight) and weight >= 0 else 0.0


def _criteria_rows(sites: list[dict[str, Any]]) -> list[list[str]]:
    """The criteria and weights the sites were evaluated with (from the first site)."""
    criteria = _criteria(sites)
    total = sum(_weight(c) for c in criteria) or 1.0
    return [
        [
            _label(c.get("layer")),
            f"{100 * _weight(c) / total:.0f} %",
            text(c.get("rationale") or ""),
        ]
        for c in criteria
    ]


def _water_figures(sites: list[dict[str, Any]]) -> list[str]:
    """The water figures the brief shows: rainfall, then its criteria and limiting layers."""
    layers = [str(c.get("layer")) for c in _criteria(sites)]
    layers += [str(s.get("limiting_criterion")) for s in sites]
    return ["rain", *layers]


SITE_DOT_PX = 9


def sites_map_svg(picture: MapPicture, xy: list[tuple[float, float]]) -> str:
    """The land-use picture, the sites numbered as in the sites table (#), a scale bar.

    One inline SVG: the dots and numbers stay sharp when printed.
    """
    w, h = picture.width_px, picture.height_px
    png = base64.b64encode(picture.png).decode()
    parts = [
        f'<svg class="map" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img"'
        ' aria-label="numbered sites on land use">',
        f'<image width="{w}" height="{h}" href="data:image/png;base64,{png}"/>',
    ]
    length = scale_length_m(picture.metres_per_px)
    bar = length / picture.metres_per_px
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    parts += [
        f'<g class="scale-bar"><rect x="8" y="{h - 30}" width="{bar + 16:.1f}" height="24"'
        ' fill="#ffffff" fill-opacity="0.85"/>',
        f'<rect x="16" y="{h - 14}" width="{bar:.1f}" height="4" fill="#141414"/>',
        f'<text x="16" y="{h - 18}" font-size="10">{label}</text></g>',
    ]
    # the dots above the scale bar: a site in its corner stays visible
    for k, (x, y) in enumerate(xy, start=1):
        cx, cy = picture.pixel(x, y)
        parts.append(
            f'<g class="site-dot"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="{SITE_DOT_PX}"'
            ' fill="#141414" stroke="#ffffff" stroke-width="2"/>'
            f'<text x="{cx:.1f}" y="{cy + 3.5:.1f}" font-size="10" font-weight="bold"'
            f' fill="#ffffff" text-anchor="middle">{k}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def map_legend(service: RegionService, picture: MapPicture) -> str:
    """Legend of the sites map: the numbered dot and the land-use classes it shows."""
    rows = [
        '<span class="legend-item"><svg width="18" height="18"><circle cx="9" cy="9" r="7"'
        ' fill="#141414" stroke="#fff" stroke-width="2"/></svg>'
        " site, numbered as # in the sites table</span>",
        '<span class="legend-item"><svg width="18" height="18"><line x1="0" y1="9" x2="18"'
        ' y2="9" stroke="#141414" stroke-width="2"/></svg> community boundary</span>',
    ]
    for entry in service.land_use_legend():
        if entry.code in picture.codes:
            rows.append(
                f'<span class="legend-item"><span class="swatch"'
                f' style="background:{escape(entry.colour)}"></span>{escape(entry.name)}</span>'
            )
    return f'<div class="map-legend">{"".join(rows)}</div>'


def shortlist_brief_html(service: RegionService, record: ShortlistRecord) -> str:
    """The whole brief of one saved shortlist.

    Parameters
    ----------
    service : RegionService
        The region (map extract, names, sources).
    record : ShortlistRecord
        The shortlist as read from the workspace.

    Returns
    -------
    str
        One HTML document.
    """
    region = service.region
    reg = service.registry
    sites = record.sites
    names = {p.id: p.name for p in region.config.interventions}
    meta = [
        f"shortlist {record.id}",
        escape(names.get(record.intervention, record.intervention) or "-"),
        f"{len(sites)} site(s)",
        f"by {escape(record.author or '-')}",
        f"saved {record.updated_at:%Y-%m-%d %H:%M} UTC (version {record.version})",
    ]
    parts = page_top(region, record.name, meta)
    if record.notes:
        parts.append(f"<p>{escape(record.notes)}</p>")
    if sites:
        to_crs = Transformer.from_crs(4326, reg.crs, always_xy=True)
        xy = [to_crs.transform(float(s["lon"]), float(s["lat"])) for s in sites]
        xs, ys = [p[0] for p in xy], [p[1] for p in xy]
        bounds = (min(xs), min(ys), max(xs), max(ys))
        units, _ = service.units("communities")
        lines = []
        if units is not None:
            near = shapely.box(*bounds).buffer(0.1 * max(bounds[2] - bounds[0], 1000.0))
            lines = [g.boundary for g in units.geometry[units.intersects(near)]]
        picture = land_use_picture(service, bounds, lines, [])
        parts += [sites_map_svg(picture, xy), map_legend(service, picture)]
        by_class = Counter(str(s.get("suitability_class") or "-") for s in sites)
        by_comm = Counter(str(s.get("community_name") or s.get("community_id")) for s in sites)
        parts += [
            '<div class="cols"><div><h2>Sites by suitability class</h2>',
            html_table(
                ["Class", "Sites"], [[escape(k), str(v)] for k, v in sorted(by_class.items())]
            ),
            "</div><div><h2>Sites by community</h2>",
            html_table(
                ["Community", "Sites"], [[escape(k), str(v)] for k, v in by_comm.most_common()]
            ),
            "</div></div>",
            "<h2>Sites (as evaluated when saved)</h2>",
            html_table(
                [
                    "#",
                    "Community",
                    "Lon, lat",
                    "Score",
                    "Class",
                    "Limited by",
                    "Rain mm/yr",
                    "Slope %",
                    "Land use",
                    "Nearest site m",
                    "Note",
                ],
                _site_rows(sites),
            ),
        ]
        criteria = _criteria_rows(sites)
        if criteria:
            parts += [
                "<h2>Criteria and weights</h2>",
                html_table(["Criterion", "Weight", "Rationale"], criteria),
            ]
        parts.append(glossary_section(_water_figures(sites)))
    else:
        parts.append("<p>This shortlist has no sites.</p>")
    parts += [footer(region), "</body></html>"]
    return "\n".join(parts) + "\n"
