"""Downscaled CMIP6 monthly climatologies, read by their distributed file names.

Two products are recognised, strictly by name (any other name is an error naming the file
and the patterns):

- WorldClim 2.1 future (Fick & Hijmans 2017, CC-BY 4.0): one 12-band file (January to
  December) per variable, GCM, SSP and period:
  ``wc2.1_<res>_<prec|tmin|tmax>_<GCM>_<ssp>_<YYYY-YYYY>.tif`` (mm/month, degC), e.g.
  ``wc2.1_30s_prec_ACCESS-CM2_ssp245_2041-2060.tif``. Its baseline (reference)
  climatology: ``wc2.1_<res>_<prec|tmin|tmax>_<MM>.tif``.
- CHELSA-CMIP6 V2.1 (Karger et al. 2017, CC-BY 4.0): one file per month:
  ``CHELSA_<gcm>_r1i1p1f1_w5e5_<ssp>_<pr|tasmin|tasmax>_<MM>_<YYYY>_<YYYY>_norm.tif``
  (as on envicloud) or ``..._<MM>_<YYYY-YYYY>_V.2.1.tif``; rain in 0.01 kg m-2 month-1
  (x 0.01 -> mm), temperatures in 0.1 K (x 0.1 - 273.15 -> degC). Its baseline:
  ``CHELSA_<pr|tasmin|tasmax>_<MM>_1981-2010_V.2.1.tif``.

A *future climate* is one product, GCM, SSP and period with the three variables
(:class:`FutureClimate`); :func:`future_climates` groups files into them and checks that
every variable and month is there and that every SSP and period has the same GCMs (an
ensemble median over different models would compare unlike with unlike).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rasterio.windows import Window

from layers.align import read_grid_window
from layers.grid import Grid
from layers.io import raster_info
from layers.monthly_files import raster_files

VARIABLES = ("prec", "tmin", "tmax")
CHELSA_VARIABLES = {"pr": "prec", "tasmin": "tmin", "tasmax": "tmax"}
CHELSA_SCALE = {"prec": 0.01, "tmin": 0.1, "tmax": 0.1}
KELVIN_C = 273.15
WORLDCLIM = "WorldClim 2.1"
CHELSA = "CHELSA-CMIP6 V2.1"
PRODUCT_LICENCES = {
    WORLDCLIM: "CC-BY 4.0, Fick & Hijmans (2017) doi:10.1002/joc.5086",
    CHELSA: "CC-BY 4.0, Karger et al. (2017) doi:10.1038/sdata.2017.122",
}
EXPECTED_FUTURE = (
    "wc2.1_<res>_<prec|tmin|tmax>_<GCM>_<ssp>_<YYYY-YYYY>.tif (12 bands) or "
    "CHELSA_<gcm>_r1i1p1f1_w5e5_<ssp>_<pr|tasmin|tasmax>_<MM>_<YYYY>_<YYYY>_norm.tif "
    "(or ..._<MM>_<YYYY-YYYY>_V.2.1.tif)"
)
EXPECTED_REFERENCE = (
    "wc2.1_<res>_<prec|tmin|tmax>_<MM>.tif or CHELSA_<pr|tasmin|tasmax>_<MM>_1981-2010_V.2.1.tif"
)
_WC_FUTURE = re.compile(
    r"^wc2\.1_(?P<res>[^_]+)_(?P<var>prec|tmin|tmax)_(?P<gcm>[A-Za-z0-9-]+)_"
    r"(?P<ssp>ssp\d{3})_(?P<period>\d{4}-\d{4})\.tiff?$"
)
_CHELSA_FUTURE = re.compile(
    r"^CHELSA_(?P<gcm>[a-z0-9-]+)_(?P<member>r\d+i\d+p\d+f\d+)_w5e5_(?P<ssp>ssp\d{3})_"
    r"(?P<var>pr|tasmin|tasmax)_(?P<month>\d{2})_"
    r"(?:(?P<y0>\d{4})_(?P<y1>\d{4})_norm|(?P<period>\d{4}-\d{4})_V\.2\.1)\.tiff?$"
)
_WC_REFERENCE = re.compile(r"^wc2\.1_[^_]+_(?P<var>prec|tmin|tmax)_(?P<month>\d{2})\.tiff?$")
_CHELSA_REFERENCE = re.compile(
    r"^CHELSA_(?P<var>pr|tasmin|tasmax)_(?P<month>\d{2})_1981-2010_V\.2\.1\.tiff?$"
)


@dataclass(frozen=True, order=True)
class FutureKey:
    """One future climate: product, GCM, SSP and period (``2041-2060``)."""

    product: str
    ssp: str
    period: str
    gcm: str

    @property
    def label(self) -> str:
        """``ACCESS-CM2 ssp245 2041-2060`` (the key a scenario names)."""
        return f"{self.gcm} {self.ssp} {self.period}"


@dataclass(frozen=True)
class FutureClimate:
    """The files of one future climate (or of a reference climatology: ``key`` None).

    ``files[var]`` are in month order: one 12-band file or 12 one-band files.
    """

    key: FutureKey | None
    product: str
    files: dict[str, tuple[Path, ...]]

    @property
    def paths(self) -> tuple[Path, ...]:
        """Every file, variable by variable in month order."""
        return tuple(p for var in VARIABLES for p in self.files[var])

    def read(self, grid: Grid) -> dict[str, np.ndarray]:
        """Every variable on ``grid``: ``(12, rows, cols)`` float32, mm/month or degC.

        Read in memory through a warped VRT (bilinear from a coarser source), not cached:
        a future is read once per server and tabulated per community.

        Raises
        ------
        ValueError
            A WorldClim file without 12 bands (naming the file).
        """
        out = {}
        whole = Window(0, 0, grid.width, grid.height)
        chelsa = self.product == CHELSA
        for var in VARIABLES:
            files = list(self.files[var])
            if len(files) == 1 and raster_info(files[0]).count != 12:
                n = raster_info(files[0]).count
                raise ValueError(
                    f"{files[0]}: {n} band(s); a WorldClim climatology holds 12 (one per month)"
                )
            arr = read_grid_window(
                files, grid, whole, categorical=False, scale=CHELSA_SCALE[var] if chelsa else 1.0
            ).astype(np.float32)
            if chelsa and var != "prec":
                arr -= np.float32(KELVIN_C)
            out[var] = arr
        return out


def _future_name(path: Path) -> tuple[FutureKey, str, int | None]:
    """Key, variable and month (None: 12 bands) of a future file's name."""
    m = _WC_FUTURE.match(path.name)
    if m:
        key = FutureKey(WORLDCLIM, m["ssp"], m["period"], m["gcm"])
        return key, m["var"], None
    m = _CHELSA_FUTURE.match(path.name)
    if m:
        period = m["period"] or f"{m['y0']}-{m['y1']}"
        month = int(m["month"])
        if not 1 <= month <= 12:
            raise ValueError(f"{path}: month {m['month']} is not 01..12")
        key = FutureKey(CHELSA, m["ssp"], period, m["gcm"])
        return key, CHELSA_VARIABLES[m["var"]], month
    raise ValueError(f"{path}: not a known future climatology name; expected {EXPECTED_FUTURE}")


def _month_files(label: str, var: str, months: dict[int, Path], example: str) -> tuple[Path, ...]:
    missing = [f"{m:02d}" for m in range(1, 13) if m not in months]
    if missing:
        raise ValueError(
            f"{label}: {var} lacks month(s) {', '.join(missing)} (expected one file per "
            f"month, e.g. {example})"
        )
    return tuple(months[m] for m in range(1, 13))


def future_climates(spec: str | Path | list[str | Path]) -> list[FutureClimate]:
    """Group future climatology files (a folder, a glob or a list) into future climates.

    Raises
    ------
    ValueError
        No files; a name that is not a known pattern; a file given twice for one month; a
        variable or month missing for a GCM; SSPs or periods that do not hold the same
        GCMs; or files from both products mixed in one set.
    """
    paths = raster_files(spec)
    if not paths:
        raise ValueError(f"no .tif files in {spec}; expected {EXPECTED_FUTURE}")
    found: dict[FutureKey, dict[str, dict[int, Path]]] = defaultdict(lambda: defaultdict(dict))
    for p in paths:
        key, var, month = _future_name(p)
        slot = 0 if month is None else month
        if slot in found[key][var]:
            raise ValueError(f"{p} and {found[key][var][slot]} are both {key.label} {var}")
        found[key][var][slot] = p
    products = {k.product for k in found}
    if len(products) > 1:
        raise ValueError(
            f"{spec}: mixes {' and '.join(sorted(products))} files; give one product per set"
        )
    climates = []
    for key in sorted(found):
        files: dict[str, tuple[Path, ...]] = {}
        for var in VARIABLES:
            got = found[key].get(var)
            if not got:
                raise ValueError(
                    f"{key.label}: no {var} file; a future climate needs {', '.join(VARIABLES)}"
                    f" (expected {EXPECTED_FUTURE})"
                )
            if key.product == WORLDCLIM:
                files[var] = (got[0],)
            else:
                files[var] = _month_files(key.label, var, got, next(iter(got.values())).name)
        climates.append(FutureClimate(key, key.product, files))
    _check_gcm_sets(climates)
    return climates


def _check_gcm_sets(climates: list[FutureClimate]) -> None:
    sets: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in climates:
        assert c.key is not None
        sets[(c.key.ssp, c.key.period)].add(c.key.gcm)
    groups = sorted(sets)
    first = sets[groups[0]]
    for g in groups[1:]:
        if sets[g] != first:
            only_a = sorted(first - sets[g])
            only_b = sorted(sets[g] - first)
            raise ValueError(
                f"GCMs differ between {' '.join(groups[0])} and {' '.join(g)}: "
                f"only in the first: {', '.join(only_a) or 'none'}; only in the second: "
                f"{', '.join(only_b) or 'none'}. Give every SSP and period the same GCMs."
            )


def reference_climate(spec: str | Path | list[str | Path]) -> FutureClimate:
    """The product's baseline climatology (12 files per variable) the futures are compared to.

    Raises
    ------
    ValueError
        No files, an unknown name, a mixed product or a missing variable or month.
    """
    paths = raster_files(spec)
    if not paths:
        raise ValueError(f"no .tif files in {spec}; expected {EXPECTED_REFERENCE}")
    found: dict[str, dict[int, Path]] = defaultdict(dict)
    products = set()
    for p in paths:
        m = _WC_REFERENCE.match(p.name)
        product = WORLDCLIM
        if not m:
            m = _CHELSA_REFERENCE.match(p.name)
            product = CHELSA
        if not m:
            raise ValueError(
                f"{p}: not a known baseline climatology name; expected {EXPECTED_REFERENCE}"
            )
        products.add(product)
        var = CHELSA_VARIABLES.get(m["var"], m["var"])
        found[var][int(m["month"])] = p
    if len(products) > 1:
        raise ValueError(f"{spec}: mixes WorldClim and CHELSA baseline files")
    product = products.pop()
    files: dict[str, tuple[Path, ...]] = {}
    for var in VARIABLES:
        if var not in found:
            raise ValueError(f"{spec}: no {var} files; expected {EXPECTED_REFERENCE}")
        files[var] = _month_files("reference", var, found[var], EXPECTED_REFERENCE)
    return FutureClimate(None, product, files)


def ensemble_groups(climates: list[FutureClimate]) -> dict[tuple[str, str], list[FutureClimate]]:
    """The climates of each (SSP, period), one per GCM, in GCM order."""
    out: dict[tuple[str, str], list[FutureClimate]] = defaultdict(list)
    for c in climates:
        assert c.key is not None
        out[(c.key.ssp, c.key.period)].append(c)
    return dict(out)
