"""The CPU architecture vocabulary of EC2 instances, EKS nodes and Lambda functions.

Those APIs spell it `arm64` / `x86_64`; ECS task definitions spell it differently
(`ARM64` / `X86_64`, `components.fargate_service.CpuArchitecture`).
"""

from __future__ import annotations

from typing import Literal

__all__ = ["Architecture"]

Architecture = Literal["arm64", "x86_64"]
