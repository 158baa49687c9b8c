"""Where a command's table goes: CSV on standard output, a CSV file or an Excel workbook."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import pandas as pd


def write_table(
    command: str,
    table: pd.DataFrame,
    output: Path | None,
    sheets: Callable[[], dict[str, pd.DataFrame]],
    written: str,
) -> TextIO | None:
    """Write ``table`` as CSV on standard output (no ``output``), or to ``output``.

    A ``.xlsx`` output gets the workbook of ``sheets()``; any other path the CSV, formulas
    neutralised for spreadsheets. ``written`` names what was written ("13 communities").

    Returns
    -------
    TextIO or None
        Where the command's totals go (standard error beside CSV on standard output, else
        standard output); None when the file cannot be written (the reason is printed).
    """
    from layers.io import neutralise_formulas, write_csv, write_xlsx

    if output is None:
        neutralise_formulas(table).to_csv(sys.stdout, index=False)
        return sys.stderr
    try:
        if output.suffix.lower() == ".xlsx":
            write_xlsx(sheets(), output)
        else:
            write_csv(table, output, for_spreadsheets=True)
    except OSError as exc:
        print(f"{command}: cannot write {output}: {exc}", file=sys.stderr)
        return None
    print(f"{written} written to {output}")
    return sys.stdout
