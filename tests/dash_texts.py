"""The text a Dash component shows, for tests of the pure view builders."""

from __future__ import annotations


def component_texts(node: object) -> list[str]:
    """Every string under a Dash component, depth first."""
    if isinstance(node, str):
        return [node]
    children = getattr(node, "children", None)
    if children is None:
        return []
    if not isinstance(children, list | tuple):
        children = [children]
    return [s for c in children for s in component_texts(c)]
