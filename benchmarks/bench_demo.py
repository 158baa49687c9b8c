"""Time the demo generator and the validator on the demo region (medians of several runs).

Writes benchmarks/results/demo.json. The foundation budget: demo generation under 60 s on a
2-core machine, excluding pysheds' one-time numba compile (warmed up first here).
"""

from __future__ import annotations

import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

from layers.build.demo.generate import generate_demo
from layers.validate import validate_region
from processing.kernels.hydrology import compile_routing

RESULTS = Path(__file__).resolve().parent / "results" / "demo.json"


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    compile_routing()  # numba's compile of the routing routines, not measured

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        counter = iter(range(100))
        gen = timed(lambda: generate_demo(root / f"demo{next(counter)}", seed=42), runs=3)
        region = root / "demo0"
        val = timed(lambda: validate_region(region), runs=5)
    report = {
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
        "demo_generation_s": {
            "runs": [round(v, 3) for v in gen],
            "median": round(statistics.median(gen), 3),
            "budget": 60,
        },
        "validate_demo_s": {
            "runs": [round(v, 4) for v in val],
            "median": round(statistics.median(val), 4),
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
