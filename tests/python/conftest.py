"""Shared set-up of the Python module's tests: the `rmdp` binary of the same build, the example
files, and one deterministic Hypothesis profile (same examples on every run, no database, no
deadline: the suite's time is bounded by max_examples, not by a clock)."""
import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings, HealthCheck

settings.register_profile(
    "rmdp", derandomize=True, max_examples=60, deadline=None, database=None, print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("rmdp")

SOURCE = Path(os.environ.get("RMDP_SOURCE_DIR", Path(__file__).resolve().parents[2]))
CLI = os.environ.get("RMDP_CLI", str(SOURCE / "build" / "rmdp"))
EXAMPLES = SOURCE / "examples"


def run_cli(*args, expect=0):
    """Runs `rmdp ARGS`; returns parsed JSON when --json is among them, else the completed process."""
    p = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=300)
    assert p.returncode == expect, f"rmdp {' '.join(map(str, args))}: exit {p.returncode}\n{p.stderr}"
    return json.loads(p.stdout) if "--json" in args and expect == 0 else p


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def examples():
    return EXAMPLES
