"""The bad-input corpus reports its size: the hostile cases of every file, counted as pytest
collects them (each parametrized case is one), at least 100 in all (issue 20).

Run with ``-s`` to see the count per file.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_FILES = [
    "tests/reliability/test_bad_inputs.py",  # malformed files and configs through process
    "tests/reliability/test_hostile.py",  # requests that could exhaust memory or CPU
    "tests/reliability/test_hostile_requests.py",  # crafted routes, callbacks and uploads
    "tests/reliability/test_hostile_cli.py",  # command-line input that crashed or hung
    "tests/reliability/test_csv_injection.py",  # formulas in CSV downloads
    "tests/reliability/test_leftovers.py",  # what kill -9 leaves behind
    "tests/reliability/test_security.py",  # path traversal, XXE, zip tricks, access
    "tests/reliability/test_login.py",  # password guessing, forged and stale sessions
    "tests/browser/test_map_xss.py",  # script payloads in every text of the map
    "tests/reliability/test_disks.py",  # a full disk, a read-only region folder
]
MIN_CASES = 100


def collected_cases(session: pytest.Session) -> Counter[str]:
    """Test cases pytest collects from the hostile files, per file.

    Read from this run's collection when it holds every hostile file (``make test``: each
    worker collects the whole suite); otherwise from a ``pytest --collect-only`` of them.
    """
    ran = Counter(item.nodeid.split("::", 1)[0] for item in session.items)
    if all(ran[name] for name in HOSTILE_FILES):
        return Counter({name: ran[name] for name in HOSTILE_FILES})
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            *HOSTILE_FILES,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return Counter(line.split("::", 1)[0] for line in done.stdout.splitlines() if "::" in line)


def test_the_corpus_reports_its_size(request: pytest.FixtureRequest) -> None:
    cases = collected_cases(request.session)
    width = max(len(f) for f in HOSTILE_FILES)
    print()
    for name in HOSTILE_FILES:
        print(f"{name:<{width}} {cases[name]:>4}")
    total = sum(cases.values())
    print(f"{'hostile cases':<{width}} {total:>4}")
    assert all(cases[name] for name in HOSTILE_FILES), cases
    assert total >= MIN_CASES
