"""Kubernetes versions Amazon EKS accepts for a new cluster, and the rule that checks one.

The seeds pin 1.28, which left extended support on 2025-11-26: AWS rejects it today, so
it is not in the list. Keep this list current when EKS releases or retires a version.
"""

from __future__ import annotations

import re
from typing import Literal

from components.problems import Problem, did_you_mean

SupportTier = Literal["standard", "extended"]
_MINOR = re.compile(r"^1\.\d{2}$")

#: Kubernetes minor versions EKS supports, as of 2026-11-23, with the support tier and the
#: date that tier ends. Source: the Amazon EKS Kubernetes release calendar
#: (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, read
#: 2026-11-23): 1.36 reached EKS on 2026-06-02; standard support is 14 months from the EKS
#: release, extended support 12 more. 1.30 left extended support on 2026-07-23.
SUPPORTED_KUBERNETES_VERSIONS: dict[str, tuple[SupportTier, str]] = {
    "1.36": ("standard", "2027-08-02"),
    "1.35": ("standard", "2027-03-27"),
    "1.34": ("standard", "2026-12-02"),
    "1.33": ("extended", "2027-07-29"),
    "1.32": ("extended", "2027-03-23"),
    "1.31": ("extended", "2026-11-26"),
}

#: The newest standard-support version: the default for new clusters.
LATEST_KUBERNETES_VERSION = "1.36"


def support_tier(version: str) -> SupportTier | None:
    entry = SUPPORTED_KUBERNETES_VERSIONS.get(version)
    return entry[0] if entry else None


def version_problems(field: str, version: str) -> list[Problem]:
    if version in SUPPORTED_KUBERNETES_VERSIONS:
        return []
    # A well-formed minor version is retired or unreleased: the list says enough.
    hint = "" if _MINOR.match(version) else did_you_mean(version, SUPPORTED_KUBERNETES_VERSIONS)
    listed = ", ".join(f"{v} ({tier} until {end})" for v, (tier, end) in SUPPORTED_KUBERNETES_VERSIONS.items())
    return [
        Problem(
            field,
            f"Kubernetes {version!r} is not a version EKS supports{hint}; use one of {listed}"
            f" ({LATEST_KUBERNETES_VERSION} is the newest)",
        )
    ]
