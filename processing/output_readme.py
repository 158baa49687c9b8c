"""The README's results-store tables, generated from :mod:`processing.output_spec`.

Run ``python -m processing.output_readme --readme`` to print them, ``--update-readme`` to write
them into README.md between the markers (a test keeps README.md in step).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from processing.glossary import glossary
from processing.output_spec import GROUPS, WATER_STORY, Output

README_BEGIN = "<!-- output_spec:begin (python -m processing.output_readme --update-readme) -->"
README_END = "<!-- output_spec:end -->"
README_PATH = Path(__file__).resolve().parents[1] / "README.md"
_CODE = re.compile(r"[\w/.]*<[a-z]+>[\w/.]*")  # names with a placeholder: code in markdown


def _cell(text: str) -> str:
    code = _CODE.sub(lambda m: f"`{m.group(0)}`", text)
    return code.replace("|", "\\|")


def _name_cell(entry: Output) -> str:
    if entry.values and len(entry.values) <= 2:
        return ", ".join(f"`{n}`" for n in entry.names())
    cell = f"`{entry.name}`"
    if entry.values:
        cell += f" (`<{entry.placeholder}>`: {', '.join(entry.values)})"
    return cell


def _rows(entries: Iterable[Output]) -> Iterator[str]:
    for e in entries:
        meaning = e.meaning + (f" (only: {e.when})" if e.when else "")
        yield f"| {_name_cell(e)} | {_cell(e.units)} | {_cell(e.method)} | {_cell(meaning)} |"


SECTIONS = (
    ("Files", "file", "files"),
    ("Summary columns (`communities.csv`, `watersheds.csv`, `results.gpkg`)", "column", "summary"),
    (
        "Balance variables (`<var>` of the summary, `variable` of the long tables)",
        "variable",
        "variables",
    ),
    ("Monthly columns (`monthly_<level>.csv`)", "column", "monthly"),
    ("Annual columns (`annual_<level>.csv`)", "column", "annual"),
    ("Trends columns (`trends_<level>.csv`, the `trends` sheet)", "column", "trends"),
    ("Suitability columns (`suitability_<level>.csv`)", "column", "suitability"),
    ("Crop columns (`crops_<level>.csv`)", "column", "crops"),
    ("Columns and sheets the exports add", "name", "exports"),
)


GLOSSARY_TITLE = "Which water figure to use"


def _glossary_markdown() -> str:
    lines = [
        f"**{GLOSSARY_TITLE}** (the words of the dashboard's info buttons, the Excel README"
        " sheet and the briefs)",
        "",
        WATER_STORY,
        "",
        "| figure | units | what it means | use it for |",
        "|---|---|---|---|",
    ]
    for t in glossary():
        row = (f"{t.label} (`{t.key}`)", t.units, t.means, t.use)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines)


def readme_markdown() -> str:
    """The README's results-store tables (between :data:`README_BEGIN` and ``README_END``)."""
    parts = [_glossary_markdown()]
    for title, head, group in SECTIONS:
        lines = [f"**{title}**", "", f"| {head} | units | method | meaning |", "|---|---|---|---|"]
        parts.append("\n".join([*lines, *_rows(GROUPS[group])]))
    return "\n\n".join(parts) + "\n"


def with_readme_tables(readme: str) -> str:
    """``readme`` with :func:`readme_markdown` between its markers.

    Raises
    ------
    ValueError
        When the README lacks the markers.
    """
    head, sep, rest = readme.partition(README_BEGIN + "\n")
    _, sep2, tail = rest.partition(README_END)
    if not sep or not sep2:
        raise ValueError(f"README lacks the markers {README_BEGIN!r} and {README_END!r}")
    return head + sep + readme_markdown() + sep2 + tail


def main(argv: list[str] | None = None) -> int:
    """Print the README's results-store tables, or write them into README.md."""
    parser = argparse.ArgumentParser(prog="python -m processing.output_readme")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--readme", action="store_true", help="print the README tables")
    mode.add_argument("--update-readme", action="store_true", help="write them into README.md")
    args = parser.parse_args(argv)
    if args.readme:
        sys.stdout.write(readme_markdown())
    else:
        README_PATH.write_text(with_readme_tables(README_PATH.read_text()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
