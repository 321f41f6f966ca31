"""The Fargate CPU/memory table, checked against AWS's published combinations."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from components.fargate_service.sizing import FARGATE_MEMORY_BY_CPU, task_size_problems

GIB = 1024


def test_table_matches_the_aws_combinations_up_to_16_vcpu() -> None:
    assert {
        256: (512, 1024, 2048),
        512: tuple(range(1 * GIB, 4 * GIB + 1, GIB)),
        1024: tuple(range(2 * GIB, 8 * GIB + 1, GIB)),
        2048: tuple(range(4 * GIB, 16 * GIB + 1, GIB)),
        4096: tuple(range(8 * GIB, 30 * GIB + 1, GIB)),
        8192: tuple(range(16 * GIB, 60 * GIB + 1, 4 * GIB)),
        16384: tuple(range(32 * GIB, 120 * GIB + 1, 8 * GIB)),
    } == FARGATE_MEMORY_BY_CPU


@given(cpu=st.sampled_from(sorted(FARGATE_MEMORY_BY_CPU)), memory=st.integers(min_value=0, max_value=130 * GIB))
def test_a_size_is_accepted_exactly_when_the_table_lists_it(cpu: int, memory: int) -> None:
    problems = task_size_problems(cpu, memory)
    valid = FARGATE_MEMORY_BY_CPU[cpu]
    assert (problems == []) == (memory in valid)
    if problems:
        assert problems[0].field == "memory"
        assert problems[0].message.endswith("use one of " + ", ".join(map(str, valid)))


@given(cpu=st.integers(min_value=0, max_value=40000).filter(lambda c: c not in FARGATE_MEMORY_BY_CPU))
def test_any_other_cpu_is_rejected_on_the_cpu_field(cpu: int) -> None:
    (problem,) = task_size_problems(cpu, 2048)
    assert problem.field == "cpu"
    assert "256, 512, 1024, 2048, 4096, 8192, 16384" in problem.message
