"""Task sizes: the Fargate CPU/memory pairs and ephemeral storage AWS accepts, and EC2 task sizes.

The table is the seed's "CPU and Memory Combinations (Fargate)", checked against the
current AWS documentation (Linux tasks, platform 1.4.0): 256 to 16384 CPU units, with
8 and 16 vCPU stepping memory by 4 GiB and 8 GiB. Any other pair fails at deploy time.
"""

from __future__ import annotations

from components.validation import Problem

_GIB = 1024


def _range_mib(low_gib: int, high_gib: int, step_gib: int = 1) -> tuple[int, ...]:
    return tuple(gib * _GIB for gib in range(low_gib, high_gib + 1, step_gib))


#: Valid memory (MiB) per task CPU (units; 1024 = 1 vCPU).
FARGATE_MEMORY_BY_CPU: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: _range_mib(1, 4),
    1024: _range_mib(2, 8),
    2048: _range_mib(4, 16),
    4096: _range_mib(8, 30),
    8192: _range_mib(16, 60, 4),
    16384: _range_mib(32, 120, 8),
}

#: Task CPU units ECS accepts for tasks on EC2 (RegisterTaskDefinition); Docker's memory floor (MiB).
EC2_TASK_CPU = (128, 196608)
EC2_TASK_MEMORY_MIN = 6

#: Fargate ephemeral storage (GiB): 20 is the free default; 21-200 may be requested.
EPHEMERAL_STORAGE_GIB = (21, 200)


def task_size_problems(cpu: int, memory: int, *, cpu_field: str = "cpu", memory_field: str = "memory") -> list[Problem]:
    """Whether `cpu` units and `memory` MiB form a Fargate task size."""
    valid = FARGATE_MEMORY_BY_CPU.get(cpu)
    if valid is None:
        cpus = ", ".join(map(str, FARGATE_MEMORY_BY_CPU))
        return [Problem(cpu_field, f"{cpu} is not a Fargate CPU size; use one of {cpus} (CPU units, 1024 = 1 vCPU)")]
    if memory not in valid:
        values = ", ".join(map(str, valid))
        return [Problem(memory_field, f"{memory} MiB is not valid with {cpu} CPU units; use one of {values}")]
    return []


def ephemeral_storage_problems(field: str, size_gib: int | None) -> list[Problem]:
    low, high = EPHEMERAL_STORAGE_GIB
    if size_gib is None or low <= size_gib <= high:
        return []
    return [Problem(field, f"{size_gib} GiB is outside {low}-{high}; omit it for the free 20 GiB default")]


def ec2_task_size_problems(cpu: int, memory: int) -> list[Problem]:
    """Task size on EC2: any CPU units ECS accepts; memory at least Docker's floor (it must
    also fit an instance, which ECS checks when placing the task)."""
    low, high = EC2_TASK_CPU
    problems = (
        [] if low <= cpu <= high else [Problem("cpu", f"{cpu} is outside {low}-{high} CPU units (1024 = 1 vCPU)")]
    )
    if memory < EC2_TASK_MEMORY_MIN:
        problems.append(Problem("memory", f"{memory} MiB is below the {EC2_TASK_MEMORY_MIN} MiB a container needs"))
    return problems
