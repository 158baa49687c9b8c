"""The project sites' popup: column names as words or as the file has them, every text escaped."""

from __future__ import annotations

from html import escape

from hypothesis import given
from hypothesis import strategies as st

from dashboard.i18n import translator
from dashboard.map_assets import site_popup


def test_snake_case_columns_read_as_words_and_translate() -> None:
    fields = [["site_id", "S1", False], ["type", "water_pan", True]]
    assert site_popup(fields) == "<b>Site id</b>: S1<br><b>Type</b>: water pan"
    assert site_popup(fields, translator("fr")).startswith("<b>Identifiant du site</b>: S1")


@given(st.text(min_size=1).filter(lambda s: not s.isidentifier()), st.text())
def test_other_column_names_keep_their_text_escaped(column: str, value: str) -> None:
    """A name that is no identifier ("Budget (USD)", markup) is shown as written, escaped."""
    assert site_popup([[column, value, False]]) == f"<b>{escape(column)}</b>: {escape(value)}"
