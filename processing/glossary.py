"""The glossary: plain words on each water figure, from the outputs' declarations.

The dashboard's info buttons, the Excel README sheet, the briefs and the README ("which water
figure to use") all read :func:`glossary`; the words are the :class:`~processing.output_spec.Gloss`
of each output in :mod:`processing.output_spec`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from processing.output_spec import ANNUAL_VARIABLES, GROUPS, resolve, units_of


@dataclass(frozen=True)
class Term:
    """One glossary entry: a glossed output's plain words and units.

    Attributes
    ----------
    key : str
        The balance variable (``runoff``) or summary column (``stress_index``).
    units : str
        Units of the figure the dashboard and briefs show (annual depths: mm/yr).
    label, means, use : str
        The output's :class:`Gloss`.
    """

    key: str
    units: str
    label: str
    means: str
    use: str

    @property
    def text(self) -> str:
        """What it means, then what to use it for."""
        return f"{self.means} {self.use}"


@cache
def glossary() -> tuple[Term, ...]:
    """Every glossed output: the balance variables, then the summary columns, in order.

    A balance variable with an annual summary column carries that column's units.
    """
    terms = []
    for group in ("variables", "summary"):
        for e in GROUPS[group]:
            if e.gloss is None:
                continue
            annual = group == "variables" and e.name in ANNUAL_VARIABLES
            units = units_of(f"{e.name}_mm_yr") if annual else e.units
            terms.append(Term(e.name, units, e.gloss.label, e.gloss.means, e.gloss.use))
    return tuple(terms)


def find_term(name: str) -> Term | None:
    """The glossary entry of a variable or a summary column, None when it has none.

    ``runoff``, ``runoff_mm_yr`` and ``runoff_m3_yr`` all give the runoff entry.
    """
    terms = {t.key: t for t in glossary()}
    if name in terms:
        return terms[name]
    try:
        entry, value = resolve(name, "summary")
    except KeyError:
        return None
    return terms.get(value) if entry.placeholder == "var" else None


def term(name: str) -> Term:
    """:func:`find_term`, raising KeyError when ``name`` has no glossary entry."""
    found = find_term(name)
    if found is None:
        raise KeyError(f"'{name}' has no glossary entry (processing/output_spec.py)")
    return found
