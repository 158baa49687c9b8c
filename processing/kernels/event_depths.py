"""How a month's rain is spread over its rain events: the choices, without numba.

Kept apart from :mod:`processing.kernels.runoff` so that reading a region's configuration
(``layers.config``) does not import the compiled kernels.
"""

from __future__ import annotations

from typing import Literal

EventDepths = Literal["exponential", "equal"]
EVENT_DEPTHS: tuple[EventDepths, ...] = ("exponential", "equal")
