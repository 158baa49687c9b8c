"""Land-use colours stay apart for colour-blind readers.

Colour-vision deficiency is simulated with the matrices of Machado, Oliveira and Fernandes
(2009, IEEE TVCG 15(6), severity 1.0, applied to linear RGB), and the difference is
CIEDE2000 from scikit-image: every pair of classes keeps a delta E of at least 10 in normal
vision, protanopia and deuteranopia.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from skimage.color import deltaE_ciede2000, rgb2lab

from layers.build.demo.tables import LAND_USE_CLASSES
from layers.products import FALLBACK_COLOURS, user_class_table

MIN_DELTA_E = 10.0
MACHADO_2009 = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
}


def _srgb(hexes: list[str]) -> np.ndarray:
    return np.array([[int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)] for h in hexes])


def _simulate(rgb: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """sRGB as seen with a colour-vision deficiency (linearise, apply, re-encode)."""
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    out = np.clip(lin @ matrix.T, 0, 1)
    return np.where(out <= 0.0031308, 12.92 * out, 1.055 * out ** (1 / 2.4) - 0.055)


def _closest_pair(hexes: list[str]) -> dict[str, tuple[float, str, str]]:
    """Per vision, the smallest CIEDE2000 between two of ``hexes`` and which two."""
    rgb = _srgb(hexes)
    seen = {"normal": rgb} | {k: _simulate(rgb, m) for k, m in MACHADO_2009.items()}
    out = {}
    for vision, colours in seen.items():
        lab = rgb2lab(colours[None])[0]
        out[vision] = min(
            (float(deltaE_ciede2000(lab[i], lab[j])), hexes[i], hexes[j])
            for i, j in itertools.combinations(range(len(hexes)), 2)
        )
    return out


def test_machado_deuteranopia_merges_red_and_green() -> None:
    """The simulation works: a pure red and a green of like lightness become close."""
    assert _closest_pair(["#d00000", "#6f7f00"])["deuteranopia"][0] < 10


@pytest.mark.parametrize(
    "palette",
    [list(LAND_USE_CLASSES["colour"]), list(FALLBACK_COLOURS)],
    ids=["demo classes", "init fallback"],
)
def test_class_colours_stay_apart_in_every_vision(palette: list[str]) -> None:
    closest = _closest_pair(palette)
    assert all(d >= MIN_DELTA_E for d, _a, _b in closest.values()), closest


def test_init_gives_unknown_classes_unused_colours() -> None:
    table = pd.DataFrame(
        {
            "code": [1, 2, 3],
            "name": ["Forest", "Pervious", "Paved"],
            "cn_a": [30, 40, 98],
            "cn_b": [55, 60, 98],
            "cn_c": [70, 70, 98],
            "cn_d": [77, 80, 98],
            "kc": [1.0, 0.8, 0.3],
            "root_depth_m": [2.5, 0.8, 0.1],
        }
    )
    colours = list(user_class_table([table])["colour"].str.lower())
    assert len(set(colours)) == 3, colours
