"""Every EksClusterArgs rule, fed one bad value: the Args ValueError names the field, and
the stage config reports the same rule against the `aws-compute:eks` key path."""

from __future__ import annotations

from typing import Any

import pytest

import stage
from components import ArgsError
from components.eks_cluster.versions import SUPPORTED_KUBERNETES_VERSIONS, version_problems
from stage.eks import EksConfig
from stage.errors import camel_path, key_path
from tests.eks_helpers import ADMIN, VIEWER

BASE: dict[str, Any] = {"adminPrincipalArns": [ADMIN], "nodeGroups": {"general": {}}}
AUTO: dict[str, Any] = {"compute": "autoMode", "nodeGroups": {}}
FARGATE_ONLY: dict[str, Any] = {
    "nodeGroups": {},
    "fargateProfiles": {"serverless": {"selectors": [{"namespace": "kube-system"}, {"namespace": "serverless"}]}},
}


def group(**values: Any) -> dict[str, Any]:
    return {"nodeGroups": {"general": values}}


def identity(**values: Any) -> dict[str, Any]:
    return {"podIdentities": {"app": {"namespace": "app", "serviceAccount": "app", **values}}}


S3_READ = {"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::bucket/*"]}

#: (config overrides, args field, message fragment)
CASES: dict[str, tuple[dict[str, Any], str, str]] = {
    "unsupported_version": (
        {"kubernetesVersion": "1.28"},
        "kubernetes_version",
        "'1.28' is not a version EKS supports; use one of 1.36 (standard until 2027-08-02)",
    ),
    "standard_support_on_extended_version": (
        {"kubernetesVersion": "1.32", "supportType": "STANDARD"},
        "support_type",
        "1.32 is in extended support, which STANDARD does not allow",
    ),
    "public_endpoint_without_allowlist": (
        {"endpointAccess": "privateAndPublic"},
        "public_access_cidrs",
        "a public endpoint needs an explicit CIDR allowlist",
    ),
    "allowlist_on_private_endpoint": (
        {"publicAccessCidrs": ["203.0.113.0/24"]},
        "public_access_cidrs",
        "the endpoint is private",
    ),
    "public_endpoint_open_to_the_internet": (
        {"endpointAccess": "privateAndPublic", "publicAccessCidrs": ["0.0.0.0/0"]},
        "public_access_cidrs",
        "0.0.0.0/0 opens the API to the internet",
    ),
    "api_ingress_not_a_cidr": ({"apiIngressCidrs": ["10.0.0.1/16"]}, "api_ingress_cidrs", "is not a CIDR block"),
    "log_retention": ({"logRetentionDays": 10}, "log_retention_days", "not a CloudWatch Logs retention period"),
    "secrets_key_not_a_key_arn": (
        {"secretsKmsKeyArn": "alias/eks"},
        "secrets_kms_key_arn",
        "is not a KMS key ARN",
    ),
    "no_admin": ({"adminPrincipalArns": []}, "admin_principal_arns", "no cluster admin"),
    "principal_not_an_arn": (
        {"viewerPrincipalArns": ["platform-readonly"]},
        "viewer_principal_arns",
        "are not IAM role or user ARNs",
    ),
    "principal_listed_twice": ({"adminPrincipalArns": [ADMIN, ADMIN]}, "admin_principal_arns", "listed twice"),
    "admin_also_viewer": ({"viewerPrincipalArns": [ADMIN]}, "viewer_principal_arns", "are admins already"),
    "cluster_name": ({"clusterName": "-prod"}, "cluster_name", "use 1-100 letters"),
    "mixed_architecture_node_group": (
        group(instanceTypes=["m7g.large", "m7i.large", "c7g.large"]),
        "node_groups.general.instance_types",
        "must share one architecture (arm64: m7g.large, c7g.large; x86_64: m7i.large)",
    ),
    "not_an_instance_type": (
        group(instanceTypes=["large"]),
        "node_groups.general.instance_types",
        "is not an EC2 instance type",
    ),
    "instance_type_twice": (
        group(instanceTypes=["m7g.large", "m7g.large"]),
        "node_groups.general.instance_types",
        "listed twice",
    ),
    "no_instance_type": (group(instanceTypes=[]), "node_groups.general.instance_types", "no instance type"),
    "gpu_instance_on_the_standard_ami": (
        group(instanceTypes=["g5.xlarge", "g6.xlarge"]),
        "node_groups.general.instance_types",
        "['g5.xlarge', 'g6.xlarge'] are accelerated instances: the AL2023 STANDARD AMI",
    ),
    "sizes_out_of_order": (group(minSize=3, desiredSize=2), "node_groups.general.desired_size", "min (3) <= desired"),
    "max_unavailable_above_max_size": (
        group(maxUnavailable=7),
        "node_groups.general.max_unavailable",
        "at most the maximum size (6)",
    ),
    "disk_too_small": (group(diskSizeGib=10), "node_groups.general.disk_size_gib", "use 20 to 16384"),
    "bad_label_key": (group(labels={"-bad": "x"}), "node_groups.general.labels", "not Kubernetes label/taint keys"),
    "label_key_over_eks_63": (
        group(labels={"platform.example.com/" + "k" * 43: "x"}),
        "node_groups.general.labels",
        "of at most 63 characters",
    ),
    "empty_label_value": (group(labels={"team": ""}), "node_groups.general.labels", "are not label/taint values"),
    "bad_taint_value": (
        group(taints=[{"key": "dedicated", "value": "gpu only"}]),
        "node_groups.general.labels",
        "['gpu only'] are not label/taint values EKS accepts",
    ),
    "bad_node_group_name": ({"nodeGroups": {"General": {}}}, "node_groups.General", "is not a valid name"),
    "nothing_runs_pods": ({"nodeGroups": {}}, "node_groups", "nothing can run pods"),
    "auto_mode_with_node_groups": ({"compute": "autoMode"}, "node_groups", "conflict with autoMode"),
    "auto_mode_with_ebs_csi_driver": ({**AUTO, "ebsCsiDriver": True}, "ebs_csi_driver", "block storage built in"),
    "auto_mode_with_addon_pins": (
        {**AUTO, "addonVersions": {"coredns": "v1.12.1-eksbuild.2"}},
        "addon_versions",
        "Auto Mode runs ['coredns'] itself",
    ),
    "auto_mode_without_node_pools": ({**AUTO, "autoModeNodePools": []}, "auto_mode_node_pools", "each once"),
    "ebs_csi_pinned_but_off": (
        {"addonVersions": {"aws-ebs-csi-driver": "v1.45.0-eksbuild.1"}},
        "addon_versions",
        "the EBS CSI driver is not enabled",
    ),
    "fargate_without_selectors": (
        {"fargateProfiles": {"serverless": {"selectors": []}}},
        "fargate_profiles.serverless.selectors",
        "0 selectors; EKS takes 1 to 5",
    ),
    "fargate_empty_namespace": (
        {"fargateProfiles": {"serverless": {"selectors": [{"namespace": ""}]}}},
        "fargate_profiles.serverless.selectors.0.namespace",
        "empty namespace",
    ),
    "fargate_only_without_kube_system": (
        {"nodeGroups": {}, "fargateProfiles": {"serverless": {"selectors": [{"namespace": "serverless"}]}}},
        "fargate_profiles",
        "add a selector for namespace kube-system",
    ),
    "fargate_only_with_pod_identity": (
        {**FARGATE_ONLY, **identity(statements=[S3_READ])},
        "pod_identities",
        "Pod Identity does not reach Fargate pods",
    ),
    "fargate_only_with_ebs_csi_driver": (
        {**FARGATE_ONLY, "ebsCsiDriver": True},
        "ebs_csi_driver",
        "Fargate pods cannot mount EBS volumes",
    ),
    "pod_identity_on_every_resource": (
        identity(statements=[{"actions": ["s3:GetObject"], "resources": ["*"]}]),
        "pod_identities.app.statements[0].resources",
        "'*' grants every resource or is no ARN; scope it to ARNs",
    ),
    "pod_identity_wildcard_action": (
        identity(statements=[{"actions": ["s3:*"], "resources": ["arn:aws:s3:::bucket/*"]}]),
        "pod_identities.app.statements[0].actions",
        "'s3:*' must be one service:Action, without wildcards",
    ),
    "pod_identity_grants_nothing": (identity(), "pod_identities.app", "grants nothing"),
    "pod_identity_bad_namespace": (
        identity(namespace="Orders", statements=[S3_READ]),
        "pod_identities.app.namespace",
        "is not a Kubernetes name",
    ),
    "pod_identity_bad_managed_policy": (
        identity(managedPolicyArns=["AmazonS3ReadOnlyAccess"]),
        "pod_identities.app.managed_policy_arns",
        "'AmazonS3ReadOnlyAccess' is not an IAM policy ARN",
    ),
    "pod_identity_too_broad_managed_policy": (
        identity(managedPolicyArns=["arn:aws:iam::aws:policy/AdministratorAccess"]),
        "pod_identities.app.managed_policy_arns",
        "'arn:aws:iam::aws:policy/AdministratorAccess' is far beyond least privilege; grant statements instead",
    ),
}


def build(overrides: dict[str, Any]) -> None:
    EksConfig.model_validate({**BASE, **overrides}).to_args(
        vpc_id="vpc-1", subnet_ids=["subnet-1", "subnet-2"], default_cluster_name="aws-compute-test"
    )


@pytest.mark.parametrize(("overrides", "field", "fragment"), CASES.values(), ids=CASES.keys())
def test_args_reject_the_value_naming_field_and_rule(overrides: dict[str, Any], field: str, fragment: str) -> None:
    with pytest.raises(ArgsError) as error:
        build(overrides)
    assert [p.field for p in error.value.problems] == [field]
    assert fragment in error.value.problems[0].message
    assert f"EksClusterArgs.{field}: " in str(error.value)


@pytest.mark.parametrize(("overrides", "field", "fragment"), CASES.values(), ids=CASES.keys())
def test_stage_config_reports_the_rule_at_its_key_path(overrides: dict[str, Any], field: str, fragment: str) -> None:
    config, lines = stage.validate({"eks": {**BASE, **overrides}})
    assert config is None
    key = key_path("aws-compute:eks", camel_path(field))
    assert [line for line in lines if line.startswith(f"{key}: ") and fragment in line], lines


def test_every_problem_is_reported_at_once() -> None:
    _, lines = stage.validate({"eks": {"kubernetesVersion": "1.28", "endpointAccess": "privateAndPublic"}})
    assert len(lines) == 4  # version, allowlist, no admin, nothing runs pods


def test_valid_config_has_no_problems() -> None:
    config, lines = stage.validate({"eks": {**BASE, "viewerPrincipalArns": [VIEWER]}})
    assert lines == []
    assert config is not None and config.eks is not None


def test_absent_key_means_no_cluster() -> None:
    config, _ = stage.validate({})
    assert config is not None and config.eks is None


def test_hop_limit_is_one_or_two() -> None:
    _, lines = stage.validate({"eks": {**BASE, **group(metadataHopLimit=3)}})
    assert len(lines) == 1
    assert lines[0].startswith("aws-compute:eks.nodeGroups.general.metadataHopLimit: Input should be 1 or 2")


def test_compute_is_a_strategy_not_a_flag() -> None:
    _, lines = stage.validate({"eks": {**BASE, "compute": "fargate"}})
    assert lines == ["aws-compute:eks.compute: Input should be 'managedNodeGroups' or 'autoMode' (got 'fargate')"]


def test_unknown_key_suggests_the_right_one() -> None:
    _, lines = stage.validate({"eks": {**BASE, "nodegroups": {}}})
    assert lines == [
        "aws-compute:eks.nodegroups: unknown key; did you mean 'nodeGroups'? allowed keys: "
        + ", ".join(f.alias or n for n, f in EksConfig.model_fields.items())
    ]


def test_unknown_addon_is_rejected_by_name() -> None:
    _, lines = stage.validate({"eks": {**BASE, "addonVersions": {"metrics-server": "v0.7"}}})
    assert len(lines) == 1 and lines[0].startswith("aws-compute:eks.addonVersions.metrics-server")


@pytest.mark.parametrize("version", sorted(SUPPORTED_KUBERNETES_VERSIONS))
def test_every_listed_version_is_accepted(version: str) -> None:
    assert version_problems("v", version) == []


@pytest.mark.parametrize("version", ["1.28", "1.29", "1.30", "1.37", "1.36.1", "latest"])
def test_retired_unreleased_and_malformed_versions_are_rejected(version: str) -> None:
    (problem,) = version_problems("kubernetes_version", version)
    assert all(v in problem.message for v in SUPPORTED_KUBERNETES_VERSIONS)
