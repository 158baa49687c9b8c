"""numpy's huge pages: off in a ``landwater`` process unless the user asks for them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# prints numpy's huge-page setting as ``landwater`` left it (``_set_madvise_hugepage``
# returns the previous value)
PROBE = (
    "import landwater, numpy; from numpy._core import multiarray as m; "
    "print(m._set_madvise_hugepage(True))"
)


@pytest.mark.parametrize(("given", "expected"), [(None, "False"), ("1", "True"), ("0", "False")])
def test_landwater_turns_huge_pages_off_unless_the_user_sets_them(
    given: str | None, expected: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if given is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = given
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == expected
