"""The EKS cluster each stack file promises: dev small and Spot, prod on-demand and private."""

from __future__ import annotations

import json

import pytest

from offline import stacks
from offline.engine import Plan, Secret
from tests.iam_checks import assert_least_privilege
from tests.stack_areas import stacks_with

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ADMIN = "arn:aws:iam::123456789012:role/platform-admin"


def node_groups(plan: Plan) -> dict[str, dict]:
    """Node group inputs by group name, without the governance tags."""
    return {
        r.name.removeprefix("eks-"): {k: v for k, v in r.inputs.items() if k != "tags"}
        for r in plan.of_type(NODE_GROUP)
    }


def test_dev_cluster_is_small_spot_and_cheap(dev_plan: Plan) -> None:
    cluster = dev_plan.named("eks-cluster").inputs
    assert (cluster["name"], cluster["version"], cluster["deletionProtection"]) == ("aws-compute-dev", "1.36", False)
    assert dev_plan.named("eks-control-plane-logs").inputs["retentionInDays"] == 30
    assert node_groups(dev_plan) == {
        "spot": {
            "clusterName": "aws-compute-dev",
            "nodeRoleArn": dev_plan.named("eks-node-role").state["arn"],
            "subnetIds": dev_plan.outputs["privateSubnetIds"],
            "amiType": "AL2023_ARM_64_STANDARD",
            "capacityType": "SPOT",
            "instanceTypes": ["t4g.medium", "m7g.medium", "m6g.medium"],
            "scalingConfig": {"minSize": 1, "desiredSize": 2, "maxSize": 3},
            "updateConfig": {"maxUnavailable": 1},
            "launchTemplate": {"id": dev_plan.named("eks-spot-lt").id, "version": "1"},
            "labels": {},
            "taints": [],
        }
    }
    assert not dev_plan.of_type("aws:eks/fargateProfile:FargateProfile")


def test_dev_public_endpoint_is_limited_to_the_office_allowlist(dev_plan: Plan) -> None:
    vpc = dev_plan.named("eks-cluster").inputs["vpcConfig"]
    assert (vpc["endpointPrivateAccess"], vpc["endpointPublicAccess"]) == (True, True)
    assert vpc["publicAccessCidrs"] == ["203.0.113.0/24"]


def test_prod_endpoint_is_private_and_reachable_from_the_vpc_only(prod_plan: Plan) -> None:
    cluster = prod_plan.named("eks-cluster").inputs
    assert (cluster["vpcConfig"]["endpointPrivateAccess"], cluster["vpcConfig"]["endpointPublicAccess"]) == (
        True,
        False,
    )
    assert "publicAccessCidrs" not in cluster["vpcConfig"]
    rule = prod_plan.named("eks-cluster-api-10.20.0.0/16").inputs
    assert (rule["cidrIpv4"], rule["fromPort"], rule["toPort"]) == ("10.20.0.0/16", 443, 443)
    assert cluster["deletionProtection"] is True
    logs = prod_plan.named("eks-control-plane-logs").inputs
    assert (logs["name"], logs["retentionInDays"]) == ("/aws/eks/aws-compute-prod/cluster", 365)


def test_prod_has_an_on_demand_base_and_a_tainted_spot_burst_group(prod_plan: Plan) -> None:
    groups = node_groups(prod_plan)
    assert {name: (g["capacityType"], g["instanceTypes"]) for name, g in groups.items()} == {
        "system": ("ON_DEMAND", ["m7g.large"]),
        "general": ("ON_DEMAND", ["m7g.xlarge"]),
        "spot-burst": ("SPOT", ["m7g.xlarge", "m6g.xlarge", "c7g.xlarge"]),
    }
    assert {name: g["scalingConfig"] for name, g in groups.items()} == {
        "system": {"minSize": 2, "desiredSize": 3, "maxSize": 4},
        "general": {"minSize": 3, "desiredSize": 3, "maxSize": 12},
        "spot-burst": {"minSize": 0, "desiredSize": 0, "maxSize": 20},
    }
    assert groups["spot-burst"]["taints"] == [{"key": "capacity-type", "value": "spot", "effect": "NO_SCHEDULE"}]
    assert groups["general"]["updateConfig"] == {"maxUnavailable": 2}


def test_prod_fargate_profile_runs_in_private_subnets(prod_plan: Plan) -> None:
    (profile,) = prod_plan.of_type("aws:eks/fargateProfile:FargateProfile")
    assert profile.inputs["subnetIds"] == prod_plan.outputs["privateSubnetIds"]
    assert profile.inputs["selectors"] == [{"namespace": "serverless", "labels": {"compute-type": "fargate"}}]


def test_prod_installs_the_ebs_csi_driver_and_the_orders_pod_identity(prod_plan: Plan) -> None:
    addons = {r.inputs["addonName"] for r in prod_plan.of_type("aws:eks/addon:Addon")}
    assert addons == {"vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver"}
    assert prod_plan.named("eks-pod-orders").inputs["serviceAccount"] == "orders-api"
    assert set(prod_plan.outputs["eksPodIdentityRoleArns"]) == {"orders"}


@pytest.mark.parametrize("stack", stacks_with("eks"))
def test_every_stage_encrypts_secrets_logs_everything_and_has_an_admin(
    stack_plans: dict[str, Plan], stack: str
) -> None:
    plan = stack_plans[stack]
    cluster = plan.named("eks-cluster").inputs
    assert cluster["encryptionConfig"]["provider"]["keyArn"] == plan.named("eks-secrets-key").state["arn"]
    assert len(cluster["enabledClusterLogTypes"]) == 5
    assert cluster["accessConfig"]["authenticationMode"] == "API"
    assert plan.named("eks-admin-platform-admin").inputs["principalArn"] == ADMIN


@pytest.mark.parametrize("stack", stacks_with("eks"))
def test_every_stage_exports_the_cluster_and_a_secret_kubeconfig(stack_plans: dict[str, Plan], stack: str) -> None:
    outputs = stack_plans[stack].outputs
    name = stacks.stack_config(stack)[0]["aws-compute:eks"].get("clusterName", f"aws-compute-{stack}")
    assert outputs["eksClusterName"] == name
    for key in ("eksEndpoint", "eksCertificateAuthority", "eksOidcIssuer", "eksNodeRoleArns"):
        assert outputs[key], key
    assert isinstance(outputs["eksKubeconfig"], Secret)
    kubeconfig = json.loads(outputs["eksKubeconfig"].value)
    assert kubeconfig["users"][0]["user"]["exec"]["args"][3] == name


@pytest.mark.parametrize("stack", stacks_with("eks"))
def test_every_eks_inline_policy_is_least_privilege(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    component = plan.named("eks")
    for resource in plan.descendants(component):
        if resource.type == "aws:iam/rolePolicy:RolePolicy":
            assert_least_privilege(resource.inputs["policy"])
        if resource.type == "aws:iam/role:Role":
            trust = json.loads(resource.inputs["assumeRolePolicy"])
            assert all("Service" in s["Principal"] for s in trust["Statement"]), resource.name


def test_a_stage_without_the_eks_key_has_no_cluster() -> None:
    config, secret_keys = stacks.stack_config("dev")
    del config["aws-compute:eks"]
    plan = stacks.run_program_file(
        stacks.PROJECT_DIR / "__main__.py", stack="dev", project="aws-compute", config=config, secret_keys=secret_keys
    )
    assert not [r for r in plan.resources if r.type.startswith("aws:eks/")]
    assert "eksClusterName" not in plan.outputs
