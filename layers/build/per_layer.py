"""Options of ``landwater init`` given per layer, and the provenance the user gave.

``--source``, ``--licence``, ``--date-pattern`` and ``--start`` take ``ROLE=VALUE`` (one
layer, e.g. ``rainfall="CHIRPS v2.0, Funk et al. 2015"``) or a bare ``VALUE`` for every
layer without its own; in the init TOML the same is a string or a table
(``[source] rainfall = "..."``). Provenance is only ever what the user said: a layer read
from the user's files without a ``--source`` is recorded as ``"unknown"`` and warned about,
whatever its file names look like.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# layer roles that ``init`` writes (the keys of ``[layers]`` in region.toml)
ROLES = (
    "elevation",
    "land_use",
    "rainfall",
    "tmin",
    "tmax",
    "et0",
    "soil",
    "watersheds",
    "communities",
    "project_sites",
)
EVERY_LAYER = "*"
UNKNOWN = "unknown"


def per_layer(value: object, option: str) -> dict[str, str]:
    """``{role: value}`` from a string, a ``ROLE=VALUE`` list or a table; ``*`` is every layer.

    Raises
    ------
    ValueError
        A table key that is not a layer role, naming the option and the roles.
    """
    if value is None:
        return {}
    if isinstance(value, str):
        value = [value]
    if isinstance(value, dict):
        out = {str(k).replace("-", "_"): str(v) for k, v in value.items()}
        bad = sorted(k for k in out if k not in (*ROLES, EVERY_LAYER))
        if bad:
            raise ValueError(
                f"{option}: unknown layer {', '.join(bad)}; layers are {', '.join(ROLES)}"
            )
        return out
    if not isinstance(value, Iterable):
        raise ValueError(f"{option}: give ROLE=VALUE or one VALUE for every layer")
    out = {}
    for item in value:
        text = str(item)
        role, sep, rest = text.partition("=")
        key = role.strip().replace("-", "_")
        if sep and key in ROLES:
            out[key] = rest.strip()
        else:
            out[EVERY_LAYER] = text.strip()
    return out


def for_layer(values: dict[str, str], role: str) -> str | None:
    """The value given for ``role``, else the value given for every layer, else None."""
    return values.get(role, values.get(EVERY_LAYER))


def apply_provenance(
    layers: dict[str, dict[str, Any]],
    source: dict[str, str],
    licence: dict[str, str],
    say: Callable[[str], None],
) -> list[str]:
    """Set each layer's ``source`` and ``licence`` to what the user gave, else ``unknown``.

    A layer that ``init`` made itself (hexagons, delineated watersheds, station fields) keeps
    the method it names as its source unless the user gave one for that layer (a value for
    every layer does not replace it). Returns the roles whose source is unknown (said as one
    warning).
    """
    unknown = []
    for role, cfg in layers.items():
        given = source.get(role) or (None if cfg.get("source") else source.get(EVERY_LAYER))
        if given:
            cfg["source"] = given
        elif not cfg.get("source"):
            cfg["source"] = UNKNOWN
            unknown.append(role)
        cfg["licence"] = for_layer(licence, role) or UNKNOWN
        daily = cfg.get("daily")
        if isinstance(daily, dict):
            daily["source"] = cfg["source"]
            daily["licence"] = cfg["licence"]
    if unknown:
        say(
            f"warning: no source given for {', '.join(unknown)}: recorded as 'unknown'"
            " (landwater never takes provenance from file names); give --source"
            " ROLE=TEXT and --licence ROLE=TEXT, or [source] and [licence] in the init TOML"
        )
    return unknown
