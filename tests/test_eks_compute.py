"""EksCluster compute and workload identity: node groups, launch templates, Fargate,
Auto Mode and Pod Identity, built offline with small args."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from components import FargateProfileArgs, FargateSelectorArgs, NodeGroupArgs, PodIdentityArgs, Statement, TaintArgs
from components.eks_cluster.compute import architecture, node_group_problems
from offline.engine import Plan
from tests.eks_helpers import CLUSTER, SUBNETS, attached_policies, doc, eks_plan, outputs
from tests.iam_checks import assert_least_privilege

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
BUCKET_OBJECTS = "arn:aws:s3:::orders/*"
ARM = ["m7g.large", "c7gn.xlarge", "r8gd.2xlarge", "t4g.medium", "a1.large", "im4gn.large", "g5g.xlarge"]
X86 = ["m7i.large", "m7a.large", "c6in.xlarge", "t3.medium", "g5.xlarge", "inf2.xlarge", "m7i-flex.large"]
#: Accelerated types need another AMI type; node groups of these lists leave them out.
ACCELERATED = {"g5g.xlarge", "g5.xlarge", "inf2.xlarge"}
ARM_GENERAL = [t for t in ARM if t not in ACCELERATED]
X86_GENERAL = [t for t in X86 if t not in ACCELERATED]


@pytest.fixture(scope="module")
def plan() -> Plan:
    return eks_plan(
        node_groups={
            "system": NodeGroupArgs(),
            "x86-spot": NodeGroupArgs(
                instance_types=["m7i.large", "m7a.large"],
                capacity_type="SPOT",
                min_size=0,
                desired_size=1,
                max_size=10,
                max_unavailable=3,
                labels={"workload-type": "burst"},
                taints=[TaintArgs(key="capacity-type", value="spot")],
                disk_size_gib=80,
                metadata_hop_limit=2,
            ),
        },
        fargate_profiles={
            "serverless": FargateProfileArgs(
                selectors=[
                    FargateSelectorArgs(namespace="serverless", labels={"compute-type": "fargate"}),
                    FargateSelectorArgs(namespace="batch"),
                ]
            )
        },
        pod_identities={
            "orders": PodIdentityArgs(
                namespace="orders",
                service_account="orders-api",
                statements=[Statement(actions=["s3:GetObject", "s3:PutObject"], resources=[BUCKET_OBJECTS])],
            )
        },
    )


@pytest.fixture(scope="module")
def auto_plan() -> Plan:
    return eks_plan(
        compute="autoMode",
        node_groups={},
        fargate_profiles={"serverless": FargateProfileArgs(selectors=[FargateSelectorArgs(namespace="serverless")])},
    )


def test_node_group_takes_scaling_update_labels_and_taints_from_args(plan: Plan) -> None:
    group = plan.named("eks-x86-spot")
    template = plan.named("eks-x86-spot-lt")
    assert group.inputs == {
        "clusterName": CLUSTER,
        "nodeRoleArn": plan.named("eks-node-role").state["arn"],
        "subnetIds": SUBNETS,
        "amiType": "AL2023_x86_64_STANDARD",
        "capacityType": "SPOT",
        "instanceTypes": ["m7i.large", "m7a.large"],
        "scalingConfig": {"minSize": 0, "desiredSize": 1, "maxSize": 10},
        "updateConfig": {"maxUnavailable": 3},
        "launchTemplate": {"id": template.id, "version": "1"},
        "labels": {"workload-type": "burst"},
        "taints": [{"key": "capacity-type", "value": "spot", "effect": "NO_SCHEDULE"}],
        "tags": {"Name": "eks-x86-spot"},
    }


def test_default_node_group_is_on_demand_graviton_on_the_arm_ami(plan: Plan) -> None:
    group = plan.named("eks-system").inputs
    assert (group["amiType"], group["capacityType"], group["instanceTypes"]) == (
        "AL2023_ARM_64_STANDARD",
        "ON_DEMAND",
        ["m7g.large"],
    )
    assert group["scalingConfig"] == {"minSize": 2, "desiredSize": 2, "maxSize": 6}
    assert "diskSize" not in group  # the launch template owns the root volume


def test_launch_template_requires_imdsv2_with_hop_limit_one_by_default(plan: Plan) -> None:
    assert plan.named("eks-system-lt").inputs["metadataOptions"] == {
        "httpEndpoint": "enabled",
        "httpTokens": "required",
        "httpPutResponseHopLimit": 1,
    }
    assert plan.named("eks-x86-spot-lt").inputs["metadataOptions"]["httpPutResponseHopLimit"] == 2


def test_launch_template_root_volume_is_encrypted_gp3(plan: Plan) -> None:
    assert plan.named("eks-x86-spot-lt").inputs["blockDeviceMappings"] == [
        {
            "deviceName": "/dev/xvda",
            "ebs": {"volumeType": "gp3", "volumeSize": 80, "encrypted": "true", "deleteOnTermination": "true"},
        }
    ]
    assert plan.named("eks-system-lt").inputs["blockDeviceMappings"][0]["ebs"]["volumeSize"] == 50


def test_launch_template_does_not_set_instance_profile_or_type(plan: Plan) -> None:
    inputs = plan.named("eks-system-lt").inputs
    assert not {"iamInstanceProfile", "instanceType", "imageId", "userData"} & set(inputs)


def test_node_groups_share_one_node_role_with_the_three_node_policies(plan: Plan) -> None:
    assert len(plan.of_type(NODE_GROUP)) == 2
    trust = doc(plan.named("eks-node-role"), "assumeRolePolicy")
    assert trust["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    assert attached_policies(plan, "eks-node-role") == {
        "AmazonEKSWorkerNodePolicy",
        "AmazonEC2ContainerRegistryPullOnly",
        "AmazonEKS_CNI_Policy",
    }


def test_fargate_profile_runs_in_the_private_subnets_with_its_selectors(plan: Plan) -> None:
    profile = plan.named("eks-serverless")
    assert profile.inputs == {
        "clusterName": CLUSTER,
        "podExecutionRoleArn": plan.named("eks-fargate-role").state["arn"],
        "subnetIds": SUBNETS,
        "selectors": [{"namespace": "serverless", "labels": {"compute-type": "fargate"}}, {"namespace": "batch"}],
    }


def test_fargate_pod_execution_role_is_limited_to_this_clusters_profiles(plan: Plan) -> None:
    trust = doc(plan.named("eks-fargate-role"), "assumeRolePolicy")
    assert trust["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "eks-fargate-pods.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "ArnLike": {"aws:SourceArn": f"arn:aws:eks:us-east-1:123456789012:fargateprofile/{CLUSTER}/*"}
            },
        }
    ]
    assert attached_policies(plan, "eks-fargate-role") == {"AmazonEKSFargatePodExecutionRolePolicy"}


def test_pod_identity_role_trusts_only_its_service_account_in_this_cluster(plan: Plan) -> None:
    trust = doc(plan.named("eks-pod-orders-role"), "assumeRolePolicy")
    assert trust["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "pods.eks.amazonaws.com"},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {
                "StringEquals": {
                    "aws:SourceAccount": "123456789012",
                    "aws:RequestTag/kubernetes-namespace": "orders",
                    "aws:RequestTag/kubernetes-service-account": "orders-api",
                },
                "ArnEquals": {"aws:SourceArn": f"arn:aws:eks:us-east-1:123456789012:cluster/{CLUSTER}"},
            },
        }
    ]


def test_pod_identity_policy_is_the_scoped_statements_and_nothing_else(plan: Plan) -> None:
    policy = doc(plan.named("eks-pod-orders-policy"), "policy")
    assert_least_privilege(policy)
    assert policy["Statement"] == [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": [BUCKET_OBJECTS]}
    ]
    assert attached_policies(plan, "eks-pod-orders-role") == set()


def test_pod_identity_association_binds_the_service_account_to_the_role(plan: Plan) -> None:
    association = plan.named("eks-pod-orders")
    assert association.inputs == {
        "clusterName": CLUSTER,
        "namespace": "orders",
        "serviceAccount": "orders-api",
        "roleArn": plan.named("eks-pod-orders-role").state["arn"],
    }
    assert outputs(plan)["podIdentityRoleArns"] == {"orders": plan.named("eks-pod-orders-role").state["arn"]}


def test_auto_mode_enables_compute_storage_and_load_balancing_together(auto_plan: Plan) -> None:
    cluster = auto_plan.named("eks-cluster").inputs
    assert cluster["computeConfig"] == {
        "enabled": True,
        "nodePools": ["general-purpose", "system"],
        "nodeRoleArn": auto_plan.named("eks-auto-node-role").state["arn"],
    }
    assert cluster["storageConfig"] == {"blockStorage": {"enabled": True}}
    assert cluster["kubernetesNetworkConfig"] == {"elasticLoadBalancing": {"enabled": True}}
    assert cluster["bootstrapSelfManagedAddons"] is False


def test_auto_mode_roles_carry_the_auto_mode_policies(auto_plan: Plan) -> None:
    assert attached_policies(auto_plan, "eks-auto-node-role") == {
        "AmazonEKSWorkerNodeMinimalPolicy",
        "AmazonEC2ContainerRegistryPullOnly",
    }
    assert attached_policies(auto_plan, "eks-cluster-role") == {
        "AmazonEKSClusterPolicy",
        "AmazonEKSComputePolicy",
        "AmazonEKSBlockStoragePolicy",
        "AmazonEKSLoadBalancingPolicy",
        "AmazonEKSNetworkingPolicy",
    }


def test_auto_mode_creates_no_node_groups_addons_or_launch_templates(auto_plan: Plan) -> None:
    for type_ in (NODE_GROUP, "aws:eks/addon:Addon", "aws:ec2/launchTemplate:LaunchTemplate"):
        assert not auto_plan.of_type(type_), type_
    assert outputs(auto_plan)["nodeRoleArns"] == [auto_plan.named("eks-auto-node-role").state["arn"]]


def test_auto_mode_keeps_fargate_profiles(auto_plan: Plan) -> None:
    (profile,) = auto_plan.of_type("aws:eks/fargateProfile:FargateProfile")
    assert profile.inputs["selectors"] == [{"namespace": "serverless"}]


def test_node_group_clusters_set_no_auto_mode_blocks(plan: Plan) -> None:
    assert not {"computeConfig", "storageConfig", "kubernetesNetworkConfig"} & set(plan.named("eks-cluster").inputs)


@pytest.mark.parametrize("instance_type", ARM)
def test_graviton_families_are_arm64(instance_type: str) -> None:
    assert architecture(instance_type) == "arm64"


@pytest.mark.parametrize("instance_type", X86)
def test_other_families_are_x86_64(instance_type: str) -> None:
    assert architecture(instance_type) == "x86_64"


@given(st.lists(st.sampled_from(ARM_GENERAL), min_size=1, max_size=4, unique=True))
def test_single_architecture_groups_have_no_problems(types: list[str]) -> None:
    assert node_group_problems("g", NodeGroupArgs(instance_types=types)) == []
    assert NodeGroupArgs(instance_types=types).ami_type == "AL2023_ARM_64_STANDARD"


@given(
    st.lists(st.sampled_from(ARM_GENERAL), min_size=1, max_size=3, unique=True),
    st.lists(st.sampled_from(X86_GENERAL), min_size=1, max_size=3, unique=True),
)
def test_mixed_architecture_groups_name_every_offending_type(arm: list[str], x86: list[str]) -> None:
    (problem,) = node_group_problems("g", NodeGroupArgs(instance_types=arm + x86))
    assert problem.field == "g.instance_types"
    assert all(t in problem.message for t in arm + x86)


@pytest.mark.parametrize("instance_type", sorted(ACCELERATED))
def test_accelerated_types_are_refused_on_the_standard_ami(instance_type: str) -> None:
    (problem,) = node_group_problems("g", NodeGroupArgs(instance_types=[instance_type]))
    assert problem.field == "g.instance_types"
    assert "no GPU/Neuron drivers" in problem.message


def test_add_ons_nodes_and_associations_are_created_in_the_order_eks_needs(plan: Plan) -> None:
    # Nodes join only with the VPC CNI and kube-proxy in place (no self-managed add-ons are
    # bootstrapped); CoreDNS stays DEGRADED, and its create times out, until a node or
    # Fargate profile exists; associations need the Pod Identity agent.
    def urn(name: str) -> str:
        return plan.named(name).urn

    networking = {urn(f"eks-{addon}") for addon in ("vpc-cni", "kube-proxy", "eks-pod-identity-agent")}
    compute = {urn("eks-system"), urn("eks-x86-spot"), urn("eks-serverless")}
    for group in ("eks-system", "eks-x86-spot"):
        assert networking <= plan.named(group).dependencies
    assert compute <= plan.named("eks-coredns").dependencies
    assert urn("eks-eks-pod-identity-agent") in plan.named("eks-pod-orders").dependencies


def test_fargate_only_cluster_runs_coredns_on_fargate() -> None:
    plan = eks_plan(
        node_groups={},
        fargate_profiles={
            "system": FargateProfileArgs(selectors=[FargateSelectorArgs(namespace="kube-system")]),
        },
    )
    coredns = plan.named("eks-coredns").inputs
    assert json.loads(coredns["configurationValues"]) == {"computeType": "Fargate"}
    assert not plan.of_type(NODE_GROUP)
    assert outputs(plan)["nodeRoleArns"] == []


def test_coredns_keeps_its_default_placement_with_node_groups(plan: Plan) -> None:
    assert "configurationValues" not in plan.named("eks-coredns").inputs


def test_spot_group_with_one_instance_type_warns() -> None:
    plan = eks_plan(node_groups={"burst": NodeGroupArgs(instance_types=["m7g.large"], capacity_type="SPOT")})
    assert [w for w in plan.warnings if "node group burst is SPOT with one instance type" in w]


def test_diversified_spot_group_does_not_warn(plan: Plan) -> None:
    assert not plan.warnings
