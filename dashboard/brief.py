"""A printable one-to-two-page brief of a community or watershed, as one HTML file.

Self-contained (inline CSS, the map extract as an embedded PNG, the chart as inline SVG):
it opens offline and the browser's print-to-PDF gives clean A4 pages (print CSS). Used by
the dashboard (``/brief/<level>/<id>.html``) and ``landwater brief``.
"""

from __future__ import annotations

import base64
import datetime as dt
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd
import rasterio
from affine import Affine
from rasterio import features
from rasterio.enums import Resampling
from rasterio.errors import NotGeoreferencedWarning
from rasterio.io import MemoryFile
from rasterio.windows import Window, from_bounds
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from dashboard.future_brief import future_html
from dashboard.map_assets import site_word
from dashboard.profile import (
    ANNUAL_ROWS,
    CRITERION_LABELS,
    MONTH_NAMES,
    STRESS_TERMS,
    ProfileData,
    annual_label,
    monthly_means,
    site_status,
    stress_months,
)
from dashboard.service import RegionService
from layers.monitoring import STATUSES
from layers.region import Region
from processing.future_profile import CommunityFuture
from processing.glossary import Term, find_term
from processing.output_spec import WATER_STORY
from processing.programme import RECHARGE_COLUMN, WATER_COLUMN

NOUNS = {"communities": "community", "watersheds": "watershed"}
CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5cm; color: #222; font-size: 10.5pt; }
h1 { font-size: 18pt; margin: 0 0 0.2em; } h2 { font-size: 12pt; margin: 1.2em 0 0.4em; }
.meta { color: #555; } .badge { background: #b35806; color: #fff; padding: 0 0.4em; }
table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd;
padding: 2px 6px; text-align: left; } .cols { display: flex; gap: 1.5em; }
.cols > div { flex: 1; } img.map, svg.map { width: 100%; height: auto; border: 1px solid #ccc; }
.map-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 9pt; margin: 4px 0; }
.legend-item { display: inline-flex; align-items: center; gap: 4px; }
.swatch { width: 12px; height: 12px; border: 1px solid #888; display: inline-block; }
footer { margin-top: 2em; color: #777; font-size: 8.5pt; }
@media print { body { margin: 0; } h2 { break-after: avoid; }
  table, svg, img { break-inside: avoid; } @page { size: A4; margin: 1.5cm; } }
"""


def num(v: object, digits: int = 0) -> str:
    """A number with thousands separators; "-" for missing values."""
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "-"
    return "-" if f != f else f"{f:,.{digits}f}"


def map_png(service: RegionService, level: str, unit_id: str, width_px: int = 600) -> bytes:
    """Land use around the unit with its outline, as PNG bytes (the region's own data)."""
    units, id_field = service.units(level)
    assert units is not None
    geom = units[units[id_field].astype(str) == unit_id].geometry.iloc[0]
    return land_use_png(service, geom.bounds, [geom.boundary], [], width_px)


@dataclass(frozen=True)
class MapPicture:
    """A land-use picture: PNG bytes, its size in pixels, its corner and pixel size (m)."""

    png: bytes
    width_px: int
    height_px: int
    left: float
    top: float
    metres_per_px: float
    codes: frozenset[int]  # land-use classes in the picture

    def pixel(self, x: float, y: float) -> tuple[float, float]:
        """Pixel column and row of a working-CRS point."""
        return (x - self.left) / self.metres_per_px, (self.top - y) / self.metres_per_px


# cells of land use read for one picture at most: a picture spanning more is read decimated
MAX_PICTURE_CELLS = 2_000_000


def bounded_window(wanted: Window, width: int, height: int) -> Window:
    """``wanted`` cut to a ``width`` x ``height`` grid, at least one cell of it."""
    col0 = min(max(int(wanted.col_off), 0), width - 1)
    row0 = min(max(int(wanted.row_off), 0), height - 1)
    col1 = min(max(int(np.ceil(wanted.col_off + wanted.width)), col0 + 1), width)
    row1 = min(max(int(np.ceil(wanted.row_off + wanted.height)), row0 + 1), height)
    return Window(col0, row0, col1 - col0, row1 - row0)


def land_use_png(
    service: RegionService,
    bounds: tuple[float, float, float, float],
    lines: list[BaseGeometry],
    points: list[tuple[float, float]],
    width_px: int = 600,
) -> bytes:
    """Land use over ``bounds`` (working CRS, padded 8 %) with lines and unnumbered dots.

    ``lines`` are drawn dark one cell wide; ``points`` (working CRS x, y) as dark dots with a
    white ring, so sites stay visible on any land-use colour.
    """
    return land_use_picture(service, bounds, lines, points, width_px).png


def land_use_picture(
    service: RegionService,
    bounds: tuple[float, float, float, float],
    lines: list[BaseGeometry],
    points: list[tuple[float, float]],
    width_px: int = 600,
) -> MapPicture:
    """:func:`land_use_png` with where the picture lies, to draw on it.

    Only the region's grid is read (a far point widens nothing beyond it), decimated so that
    at most ``MAX_PICTURE_CELLS`` cells are read.
    """
    reg = service.registry
    w, s, e, n = bounds
    pad = max(0.08 * max(e - w, n - s), 10 * abs(reg.grid.transform.a))
    with rasterio.open(reg.aligned_path("land_use")) as src:
        wanted = from_bounds(w - pad, s - pad, e + pad, n + pad, src.transform).round_offsets()
        window = bounded_window(wanted, src.width, src.height)
        step = max(
            int(np.ceil(window.width / width_px)),
            int(np.ceil(np.sqrt(window.width * window.height / MAX_PICTURE_CELLS))),
        )
        shape = (max(1, window.height // step), max(1, window.width // step))
        codes = src.read(1, window=window, out_shape=shape, resampling=Resampling.nearest)
        transform = src.window_transform(window) * Affine.scale(
            window.width / shape[1], window.height / shape[0]
        )
    table = reg.class_table("land_use")
    lut = np.full((max(int(str(c)) for c in table.index) + 1, 3), 255, dtype=np.uint8)
    for code, colour in zip(table.index, table["colour"], strict=True):
        hexa = str(colour).lstrip("#")
        lut[int(str(code))] = [int(hexa[i : i + 2], 16) for i in (0, 2, 4)]
    rgb = lut[np.clip(codes, 0, len(lut) - 1)]
    rgb[(codes <= 0) | (codes >= len(lut))] = 255
    cell = abs(transform.a)
    shapes: list[tuple[BaseGeometry, int]] = [(g.buffer(cell * 0.6), 1) for g in lines]
    radius = cell * 4
    shapes += [(Point(x, y).buffer(radius * 1.5), 2) for x, y in points]
    shapes += [(Point(x, y).buffer(radius), 1) for x, y in points]
    if shapes:
        burn = features.rasterize(shapes, out_shape=codes.shape, transform=transform)
        rgb[burn == 2] = [255, 255, 255]
        rgb[burn == 1] = [20, 20, 20]
    with warnings.catch_warnings(), MemoryFile() as mem:
        warnings.simplefilter("ignore", NotGeoreferencedWarning)  # a picture, not a raster
        with mem.open(
            driver="PNG", width=rgb.shape[1], height=rgb.shape[0], count=3, dtype="uint8"
        ) as dst:
            dst.write(rgb.transpose(2, 0, 1))
        png = bytes(mem.read())
    return MapPicture(
        png,
        int(rgb.shape[1]),
        int(rgb.shape[0]),
        float(transform.c),
        float(transform.f),
        cell,
        frozenset(int(c) for c in np.unique(codes) if c > 0),
    )


def scale_length_m(metres_per_px: float, target_px: float = 120.0) -> float:
    """A round length (1, 2 or 5 times a power of ten, m) near ``target_px`` pixels long."""
    raw = metres_per_px * target_px
    power = 10 ** np.floor(np.log10(raw))
    return float(max((k * power for k in (1, 2, 5)), key=lambda v: (v <= raw, v)))


def balance_svg(monthly: pd.DataFrame, width: int = 640, height: int = 200) -> str:
    """Monthly rain (bars) with crop PET, AET (lines) and deficit (dotted), inline SVG."""
    m = monthly_means(monthly)
    series = {
        k: m[k].fillna(0).to_numpy() if k in m else np.zeros(12)
        for k in ("rain", "pet", "aet", "deficit")
    }
    top = max(float(max(v.max() for v in series.values())), 1.0)
    left, bottom = 36, 22
    bw = (width - left) / 12
    y = lambda v: height - bottom - (height - bottom - 8) * v / top  # noqa: E731
    parts = [
        f'<svg width="{width}" height="{height}" role="img" aria-label="monthly water balance">'
    ]
    for i, v in enumerate(series["rain"]):
        parts.append(
            f'<rect x="{left + i * bw + 3:.1f}" y="{y(v):.1f}" width="{bw - 6:.1f}" '
            f'height="{height - bottom - y(v):.1f}" fill="#6baed6"/>'
        )
        parts.append(
            f'<text x="{left + i * bw + bw / 2:.1f}" y="{height - 6}" font-size="10" '
            f'text-anchor="middle">{MONTH_NAMES[i]}</text>'
        )
    styles = {"pet": "#e6550d", "aet": "#31a354", "deficit": "#a50f15"}
    for key, colour in styles.items():
        pts = " ".join(
            f"{left + i * bw + bw / 2:.1f},{y(v):.1f}" for i, v in enumerate(series[key])
        )
        dash = ' stroke-dasharray="3,3"' if key == "deficit" else ""
        parts.append(
            f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
    parts.append(f'<text x="0" y="12" font-size="10">{top:,.0f} mm</text>')
    parts.append("</svg>")
    return "".join(parts)


def text(v: object) -> str:
    """Escaped text; "-" for missing values."""
    return "-" if v is None or (isinstance(v, float) and v != v) else escape(str(v))


def html_table(head: list[str], rows: list[list[str]]) -> str:
    """An HTML table; cells are already escaped or formatted."""
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{th}</tr>{body}</table>"


def programme_html(row: pd.Series | None) -> str:
    """The brief's programme section: the unit's sites by status, households and water."""
    if row is None:
        return ""
    women = f"{num(row['households_women_led'])} ({num(row['women_led_pct'], 1)} %)"
    youth = f"{num(row['households_youth_led'])} ({num(row['youth_led_pct'], 1)} %)"
    rows = [[escape(f"Sites {s}"), num(row[f"sites_{s}"])] for s in STATUSES] + [
        ["Households reached", num(row["households"])],
        ["of which led by women", women],
        ["of which led by young people", youth],
        ["Water harvested by completed sites (m³/yr)", num(row[WATER_COLUMN])],
        ["Recharge gained by completed sites (m³/yr)", num(row[RECHARGE_COLUMN])],
    ]
    return "<h2>Programme monitoring (latest record of each site)</h2>" + html_table(["", ""], rows)


def sites_html(sites: pd.DataFrame) -> str:
    """The brief's list of project sites: name, type and status (monitored, with its date)."""
    items = [
        f"<li>{text(r['name'])} - {text(site_word(r['type']))} ({text(site_status(r))})</li>"
        for _, r in sites.iterrows()
    ]
    return "<h2>Project sites</h2><ul>" + ("".join(items) or "<li>none recorded</li>") + "</ul>"


def brief_html(
    service: RegionService,
    data: ProfileData,
    level: str,
    programme: pd.Series | None = None,
    future: CommunityFuture | None = None,
) -> str:
    """The whole brief of one unit.

    ``programme``: its monitoring totals, when it has any; ``future``: the community under a
    future-climate scenario (a "Future climate" section), when one covers it.
    """
    s = data.summary
    region = service.region
    uid = str(s["id"])
    png = base64.b64encode(map_png(service, level, uid)).decode()
    facts = [f"{num(s['area_ha'])} ha"] + [
        f"{escape(k)}: {num(v)}" for k, v in data.attributes.items() if v is not None
    ]
    annual = html_table(
        ["", "mm/yr", "m³/yr"],
        [
            [escape(annual_label(key)), num(s.get(f"{key}_mm_yr")), num(s.get(f"{key}_m3_yr"))]
            for key in ANNUAL_ROWS
        ],
    )
    lu_cols = sorted(
        (c for c in s.index if c.startswith("lu_") and c.endswith("_pct")),
        key=lambda c: -float(s[c] or 0),
    )
    land_use = html_table(
        ["Class", "%", "ha"],
        [
            [
                text(c[3:-4].replace("_", " ").capitalize()),
                num(s[c], 1),
                num(s.get(c[:-4] + "_ha")),
            ]
            for c in lu_cols
            if float(s[c] or 0) > 0
        ],
    )
    suit = html_table(
        ["Intervention", "Score", "S1+S2 ha", "Limited by"],
        [
            [
                text(r.get("name") or r["intervention"]),
                num(r["mean_score"], 2),
                num(r["S1_ha"] + r["S2_ha"]),
                text(CRITERION_LABELS.get(str(r["limiting_criterion"]), r["limiting_criterion"])),
            ]
            for _, r in data.suitability.sort_values("mean_score", ascending=False).iterrows()
        ],
    )
    parts = [
        *page_top(region, str(s["name"]), [f"{NOUNS.get(level, level)} {escape(uid)}", *facts]),
        '<div class="cols"><div>',
        f'<img class="map" alt="land use and outline" src="data:image/png;base64,{png}">',
        "</div><div><h2>Annual water balance</h2>",
        annual,
        f"<p>Water-stress index {num(s.get('stress_index'), 2)}; months in deficit: "
        f"{escape(', '.join(stress_months(data.monthly)) or 'none')}.</p></div></div>",
        "<h2>Monthly water balance (mm): rain (bars), crop PET (orange), actual ET (green),"
        " deficit (dotted)</h2>",
        balance_svg(data.monthly),
        future_html(future),
        '<div class="cols"><div><h2>Land use</h2>',
        land_use,
        "</div><div><h2>Suitability for interventions</h2>",
        suit,
        "</div></div>",
    ]
    if data.crops is not None and len(data.crops):
        crops = data.crops.sort_values("best_month_score", ascending=False)
        parts += [
            "<h2>Crops: best planting month</h2>",
            html_table(
                ["Crop", "Plant in", "Score"],
                [
                    [
                        text(r["crop_name"]),
                        text(r["best_month_name"]),
                        num(r["best_month_score"], 2),
                    ]
                    for _, r in crops.iterrows()
                ],
            ),
        ]
    parts += [
        sites_html(data.sites),
        programme_html(programme),
        glossary_section([f"{key}_mm_yr" for key in ANNUAL_ROWS] + list(STRESS_TERMS)),
        footer(region),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


GLOSSARY_HEAD = ["Figure", "Units", "What it means", "Use it for"]


def glossary_section(names: Iterable[str]) -> str:
    """The "What the figures mean" section: the water story and the entries of ``names``.

    Names without an entry are skipped, repeated entries shown once; every text is escaped.
    """
    terms: dict[str, Term] = {}
    for name in names:
        found = find_term(name)
        if found is not None:
            terms.setdefault(found.key, found)
    rows = [[escape(x) for x in (t.label, t.units, t.means, t.use)] for t in terms.values()]
    return (
        '<section class="glossary"><h2>What the figures mean</h2>'
        f"<p>{escape(WATER_STORY)}</p>{html_table(GLOSSARY_HEAD, rows)}</section>"
    )


def footer(region: Region) -> str:
    """The date, where the methods are described, and every layer's source and licence."""
    sources = "; ".join(
        f"{escape(spec.title or role)}: {escape(spec.source)} ({escape(spec.licence)})"
        for role, spec in region.config.layers
        if spec is not None
    )
    return (
        f"<footer>landwater brief, {dt.date.today().isoformat()}. Methods: the landwater README."
        f" Sources: {sources}.</footer>"
    )


def page_top(region: Region, title: str, meta: list[str]) -> list[str]:
    """Head, title and the meta line (a SYNTHETIC DATA badge, the region, ``meta`` items).

    ``meta`` items are HTML (already escaped); the title is escaped here.
    """
    badge = '<span class="badge">SYNTHETIC DATA</span> ' if region.config.region.synthetic else ""
    return [
        page_head(f"{title} - {region.name}"),
        f"<body><h1>{escape(title)}</h1>",
        f'<p class="meta">{badge}{escape(region.name)} - ' + " - ".join(meta) + "</p>",
    ]


def page_head(title: str) -> str:
    """Doctype, title and the print CSS."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
    )
