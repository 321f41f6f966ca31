"""The suite's own setup (tests/conftest.py) holds in every process that runs tests, a worker
of xdist's included: its hypothesis profile, and the collector tuned for a test process."""

from __future__ import annotations

import gc
import sys

from hypothesis import settings


def test_hypothesis_runs_derandomized_without_a_deadline() -> None:
    assert settings.get_current_profile_name() == "aws-compute"
    current = settings.default
    assert current is not None
    assert current.derandomize is True
    assert current.deadline is None


def test_the_collector_runs_every_20000_allocations_and_skips_what_collection_left() -> None:
    assert gc.get_threshold() == (20_000, 10, 10)
    assert gc.isenabled()
    this_module = sys.modules[__name__]  # imported by collection, so frozen with what it left
    assert gc.get_freeze_count() > 0
    assert not any(tracked is this_module for tracked in gc.get_objects())
