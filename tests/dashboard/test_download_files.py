"""Download files: names that say what they hold, Excel sheets ready to filter, named bands.

Checked with the readers a user's tools use: openpyxl for the workbook, rasterio for the
clipped raster's band descriptions.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
import rasterio
from shapely.geometry import box

from dashboard.export_files import clip_bytes, export_bytes
from dashboard.service import RegionService


@pytest.fixture(scope="module")
def service(processed_demo: Path) -> RegionService:
    return RegionService(processed_demo).prepare()


def test_one_units_files_are_named_after_it(service: RegionService) -> None:
    uid = service.community_ids[3]
    everyone, _ = export_bytes(service, None, "community", "csv")
    one_csv, _ = export_bytes(service, None, "community", "csv", only=[uid])
    one_xlsx, _ = export_bytes(service, None, "community", "xlsx", only=[uid])
    assert uid.lower() in one_csv.lower() and uid.lower() in one_xlsx.lower()
    assert len({everyone, one_csv, one_xlsx.replace(".xlsx", ".csv")}) == 2
    assert one_csv != everyone


def test_excel_sheets_freeze_and_filter_their_header(service: RegionService) -> None:
    some = list(service.community_ids[:5])  # every sheet, a few rows: openpyxl reads fast
    _, data = export_bytes(service, None, "community", "xlsx", only=some)
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
    assert book.worksheets[0].max_row == 1 + len(some)


def test_a_clipped_monthly_raster_names_its_bands(service: RegionService) -> None:
    left, bottom, right, top = service.registry.grid.bounds
    area = box(left, bottom, (left + right) / 2, (bottom + top) / 2)
    _, data = clip_bytes(service, "rainfall", area, "area")
    with rasterio.MemoryFile(data) as mem, mem.open() as src:
        assert src.count == 12
        assert src.descriptions == (
            "January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December",
        )  # fmt: skip
