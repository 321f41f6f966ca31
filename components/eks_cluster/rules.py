"""The rules of eks_cluster."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

from components.cidr_ingress import duplicate_cidr_problems
from components.eks_cluster.access import access_problems
from components.eks_cluster.args import (
    EksClusterArgs,
)
from components.eks_cluster.compute import (
    fargate_profile_problems,
    name_problems,
    node_group_problems,
)
from components.eks_cluster.identity import (
    pod_identity_problems,
)
from components.eks_cluster.versions import support_tier, version_problems
from components.validation import KMS_KEY_ARN, Problem, retention_problems, rules_for

_CLUSTER_NAME = re.compile(r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$")


def _cidr_problems(field_name: str, cidrs: Sequence[str]) -> list[Problem]:
    problems = []
    for cidr in cidrs:
        try:
            network = ipaddress.ip_network(cidr, strict=True)
        except ValueError:
            problems.append(Problem(field_name, f"{cidr!r} is not a CIDR block"))
            continue
        if network.prefixlen == 0:
            problems.append(Problem(field_name, f"{cidr} opens the API to the internet; list the exact CIDRs"))
    return problems + duplicate_cidr_problems(field_name, cidrs)


@rules_for(EksClusterArgs)
def eks_cluster_problems(args: EksClusterArgs) -> list[Problem]:
    """Every rule EksClusterArgs must satisfy; the stage config runs these too."""
    problems: list[Problem] = []
    if not _CLUSTER_NAME.match(args.cluster_name):
        problems.append(
            Problem("cluster_name", "use 1-100 letters, digits, '-' or '_', starting with a letter or digit")
        )
    problems += version_problems("kubernetes_version", args.kubernetes_version)
    if args.support_type == "STANDARD" and support_tier(args.kubernetes_version) == "extended":
        problems.append(
            Problem(
                "support_type",
                f"{args.kubernetes_version} is in extended support, which STANDARD does not allow;"
                " pick a standard-support version or use EXTENDED",
            )
        )
    if args.endpoint_access == "privateAndPublic" and not args.public_access_cidrs:
        problems.append(
            Problem(
                "public_access_cidrs",
                "a public endpoint needs an explicit CIDR allowlist; list the CIDRs, or keep the endpoint private",
            )
        )
    if args.endpoint_access == "private" and args.public_access_cidrs:
        problems.append(
            Problem("public_access_cidrs", "the endpoint is private; remove the list or use privateAndPublic")
        )
    problems += _cidr_problems("public_access_cidrs", args.public_access_cidrs)
    problems += _cidr_problems("api_ingress_cidrs", args.api_ingress_cidrs)
    problems += retention_problems("log_retention_days", args.log_retention_days)
    key_arn = args.secrets_kms_key_arn
    if isinstance(key_arn, str) and not KMS_KEY_ARN.match(key_arn):
        problems.append(
            Problem(
                "secrets_kms_key_arn", f"{key_arn!r} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)"
            )
        )
    problems += access_problems(args.admin_principal_arns, args.viewer_principal_arns)
    problems += _compute_problems(args)
    problems += name_problems("pod_identities", list(args.pod_identities))
    for key, identity in args.pod_identities.items():
        problems += pod_identity_problems(f"pod_identities.{key}", identity)
    return problems


def _compute_problems(args: EksClusterArgs) -> list[Problem]:
    problems = name_problems("node_groups", list(args.node_groups))
    problems += name_problems("fargate_profiles", list(args.fargate_profiles))
    if args.compute == "managedNodeGroups":
        if not args.node_groups and not args.fargate_profiles:
            problems.append(
                Problem("node_groups", "nothing can run pods; add a node group or a Fargate profile, or use autoMode")
            )
        if args.fargate_profiles and not args.node_groups:
            problems += _fargate_only_problems(args)
        if "aws-ebs-csi-driver" in args.addon_versions and not args.ebs_csi_driver:
            problems.append(
                Problem(
                    "addon_versions",
                    "aws-ebs-csi-driver is pinned but the EBS CSI driver is not enabled; enable it or remove the pin",
                )
            )
    else:
        if args.node_groups:
            problems.append(
                Problem(
                    "node_groups",
                    f"{sorted(args.node_groups)} conflict with autoMode, which manages nodes itself;"
                    " remove them or use managedNodeGroups",
                )
            )
        if args.ebs_csi_driver:
            problems.append(Problem("ebs_csi_driver", "Auto Mode has block storage built in; turn this off"))
        if args.addon_versions:
            problems.append(
                Problem(
                    "addon_versions",
                    f"Auto Mode runs {sorted(args.addon_versions)} itself; remove the pins",
                )
            )
        if not args.auto_mode_node_pools or len(set(args.auto_mode_node_pools)) != len(args.auto_mode_node_pools):
            problems.append(Problem("auto_mode_node_pools", "list general-purpose and/or system, each once"))
    for key, group in args.node_groups.items():
        problems += node_group_problems(f"node_groups.{key}", group)
    for key, profile in args.fargate_profiles.items():
        problems += fargate_profile_problems(f"fargate_profiles.{key}", profile)
    return problems


def _fargate_only_problems(args: EksClusterArgs) -> list[Problem]:
    """What a cluster whose only compute is Fargate cannot do."""
    problems = []
    namespaces = {s.namespace for profile in args.fargate_profiles.values() for s in profile.selectors}
    if "kube-system" not in namespaces:
        problems.append(
            Problem(
                "fargate_profiles",
                "with no node group CoreDNS must run on Fargate; add a selector for namespace kube-system",
            )
        )
    if args.pod_identities:
        problems.append(
            Problem(
                "pod_identities",
                "Pod Identity does not reach Fargate pods; add a node group for these workloads, or use IRSA",
            )
        )
    if args.ebs_csi_driver:
        problems.append(Problem("ebs_csi_driver", "Fargate pods cannot mount EBS volumes; add a node group"))
    return problems
