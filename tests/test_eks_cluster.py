"""EksCluster: control plane, access, add-ons and outputs, built offline with small args."""

from __future__ import annotations

import json

import pytest

from components import PodIdentityArgs, Statement
from components.eks_cluster.resources import CONTROL_PLANE_LOG_TYPES
from offline.engine import Plan
from tests.eks_helpers import ADMIN, CLUSTER, SUBNETS, VIEWER, attached_policies, doc, eks_plan, outputs, reveal
from tests.iam_checks import assert_least_privilege, lint

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
ADDON_TYPE = "aws:eks/addon:Addon"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return eks_plan(viewer_principal_arns=[VIEWER], addon_versions={"vpc-cni": "v1.20.4-eksbuild.1"})


@pytest.fixture(scope="module")
def variant() -> Plan:
    """Every non-default knob at once (one build keeps the suite fast); each test checks one."""
    return eks_plan(
        secrets_kms_key_arn=KEY_ARN,
        api_ingress_cidrs=["10.20.0.0/16"],
        endpoint_access="privateAndPublic",
        public_access_cidrs=["203.0.113.0/24"],
        viewer_principal_arns=[VIEWER],
        viewer_policy="AmazonEKSAdminViewPolicy",
        ebs_csi_driver=True,
        irsa_oidc_provider=True,
        support_type="STANDARD",
        deletion_protection=False,
        pod_identities={
            "app": PodIdentityArgs(
                namespace="app",
                service_account="app",
                statements=[Statement(actions=["sqs:SendMessage"], resources=["arn:aws:sqs:us-east-1:123456789012:q"])],
            )
        },
    )


def test_control_plane_is_private_logged_encrypted_and_uses_access_entries(plan: Plan) -> None:
    cluster = plan.named("eks-cluster")
    key = plan.named("eks-secrets-key")
    sg = plan.named("eks-cluster-sg")
    assert cluster.inputs == {
        "name": CLUSTER,
        "version": "1.36",
        "roleArn": plan.named("eks-cluster-role").state["arn"],
        "vpcConfig": {
            "subnetIds": SUBNETS,
            "securityGroupIds": [sg.id],
            "endpointPrivateAccess": True,
            "endpointPublicAccess": False,
        },
        "enabledClusterLogTypes": ["api", "audit", "authenticator", "controllerManager", "scheduler"],
        "encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": key.state["arn"]}},
        "accessConfig": {"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False},
        "bootstrapSelfManagedAddons": False,
        "upgradePolicy": {"supportType": "EXTENDED"},
        "deletionProtection": True,
        "tags": {"Name": CLUSTER},
    }


def test_log_group_is_named_for_the_cluster_and_keeps_logs_a_year(plan: Plan) -> None:
    logs = plan.named("eks-control-plane-logs")
    assert logs.inputs == {"name": f"/aws/eks/{CLUSTER}/cluster", "retentionInDays": 365}
    assert len(CONTROL_PLANE_LOG_TYPES) == 5


def test_cluster_waits_for_its_log_group(plan: Plan) -> None:
    # Otherwise EKS creates /aws/eks/<name>/cluster itself, without retention, and the
    # log group's own create then fails with ResourceAlreadyExistsException.
    assert plan.named("eks-control-plane-logs").urn in plan.named("eks-cluster").dependencies


def test_secrets_key_rotates_and_its_policy_names_only_the_account_and_cluster_role(plan: Plan) -> None:
    key = plan.named("eks-secrets-key")
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["deletionWindowInDays"] == 30
    policy = doc(key, "policy")
    assert not lint(policy)
    principals = {s["Sid"]: s["Principal"]["AWS"] for s in policy["Statement"]}
    role_arn = plan.named("eks-cluster-role").state["arn"]
    assert principals == {
        "AccountAdministersKey": "arn:aws:iam::123456789012:root",
        "ClusterEnvelopeEncryption": role_arn,
        "ClusterGrantsForAwsResources": role_arn,
    }
    actions = [a for s in policy["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])]
    assert not [a for a in actions if "*" in a]
    admin = next(s for s in policy["Statement"] if s["Sid"] == "AccountAdministersKey")
    assert not {"kms:Decrypt", "kms:Encrypt"} & set(admin["Action"])
    # Creating, moving or deleting the alias needs the permission on the key as well.
    assert {"kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"} <= set(admin["Action"])
    grants = next(s for s in policy["Statement"] if s["Sid"] == "ClusterGrantsForAwsResources")
    assert grants["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}
    assert plan.named("eks-secrets-key-alias").inputs["name"] == f"alias/eks/{CLUSTER}"


def test_a_given_secrets_key_is_used_and_granted_to_the_cluster_role_only(variant: Plan) -> None:
    plan, key_arn = variant, KEY_ARN
    assert not plan.of_type("aws:kms/key:Key")
    assert plan.named("eks-cluster").inputs["encryptionConfig"]["provider"] == {"keyArn": key_arn}
    policy = doc(plan.named("eks-cluster-secrets-key"), "policy")
    assert_least_privilege(policy)
    assert {r for s in policy["Statement"] for r in s["Resource"]} == {key_arn}
    assert plan.named("eks-cluster-secrets-key").urn in plan.named("eks-cluster").dependencies


def test_cluster_role_trusts_eks_with_session_tags_and_has_the_cluster_policy_only(plan: Plan) -> None:
    trust = doc(plan.named("eks-cluster-role"), "assumeRolePolicy")
    assert trust["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "eks.amazonaws.com"},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
        }
    ]
    assert attached_policies(plan, "eks-cluster-role") == {"AmazonEKSClusterPolicy"}


def test_control_plane_security_group_admits_nothing_by_default(plan: Plan) -> None:
    assert plan.named("eks-cluster-sg").inputs["vpcId"] == "vpc-test"
    assert "ingress" not in plan.named("eks-cluster-sg").inputs
    assert not plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")


def test_api_ingress_cidrs_open_https_only_to_them(variant: Plan) -> None:
    plan = variant
    (rule,) = plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert rule.inputs == {
        "securityGroupId": plan.named("eks-cluster-sg").id,
        "description": "Kubernetes API (HTTPS)",
        "ipProtocol": "tcp",
        "fromPort": 443,
        "toPort": 443,
        "cidrIpv4": "10.20.0.0/16",
    }


def test_public_endpoint_opens_only_to_the_allowlist(variant: Plan) -> None:
    plan = variant
    vpc = plan.named("eks-cluster").inputs["vpcConfig"]
    assert (vpc["endpointPrivateAccess"], vpc["endpointPublicAccess"]) == (True, True)
    assert vpc["publicAccessCidrs"] == ["203.0.113.0/24"]


def test_admins_and_viewers_get_access_entries_with_cluster_scoped_policies(plan: Plan) -> None:
    entries = {r.inputs["principalArn"]: r.inputs for r in plan.of_type("aws:eks/accessEntry:AccessEntry")}
    assert entries == {
        ADMIN: {"clusterName": CLUSTER, "principalArn": ADMIN, "type": "STANDARD"},
        VIEWER: {"clusterName": CLUSTER, "principalArn": VIEWER, "type": "STANDARD"},
    }
    associations = {
        r.inputs["principalArn"]: r.inputs
        for r in plan.of_type("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    }
    base = "arn:aws:eks::aws:cluster-access-policy/"
    assert associations[ADMIN]["policyArn"] == base + "AmazonEKSClusterAdminPolicy"
    assert associations[VIEWER]["policyArn"] == base + "AmazonEKSViewPolicy"
    assert {a["accessScope"]["type"] for a in associations.values()} == {"cluster"}


def test_viewer_policy_can_be_admin_view(variant: Plan) -> None:
    plan = variant
    association = plan.named("eks-viewer-platform-readonly-policy")
    assert association.inputs["policyArn"].endswith("/AmazonEKSAdminViewPolicy")


def test_core_addons_are_installed_with_default_versions_unless_pinned(plan: Plan) -> None:
    addons = {r.inputs["addonName"]: r.inputs for r in plan.of_type(ADDON_TYPE)}
    assert set(addons) == {"vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns"}
    assert addons["vpc-cni"]["addonVersion"] == "v1.20.4-eksbuild.1"
    assert not [name for name, inputs in addons.items() if name != "vpc-cni" and "addonVersion" in inputs]
    assert {(a["resolveConflictsOnCreate"], a["resolveConflictsOnUpdate"]) for a in addons.values()} == {
        ("OVERWRITE", "PRESERVE")
    }


def test_ebs_csi_driver_gets_a_pod_identity_role_with_the_aws_managed_policy(variant: Plan) -> None:
    plan = variant
    addon = plan.named("eks-aws-ebs-csi-driver")
    role = plan.named("eks-ebs-csi-role")
    assert addon.inputs["podIdentityAssociations"] == [
        {"roleArn": role.state["arn"], "serviceAccount": "ebs-csi-controller-sa"}
    ]
    assert attached_policies(plan, "eks-ebs-csi-role") == {"AmazonEBSCSIDriverPolicy"}
    assert doc(role, "assumeRolePolicy")["Statement"][0]["Principal"] == {"Service": "pods.eks.amazonaws.com"}


def test_irsa_oidc_provider_trusts_the_cluster_issuer_for_sts(variant: Plan) -> None:
    plan = variant
    (provider,) = plan.of_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert provider.inputs == {"url": outputs(plan)["oidcIssuer"], "clientIdLists": ["sts.amazonaws.com"]}


def test_no_oidc_provider_by_default(plan: Plan) -> None:
    assert not plan.of_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider")


def test_outputs_name_the_cluster_and_its_endpoint(plan: Plan) -> None:
    out = outputs(plan)
    cluster = plan.named("eks-cluster")
    assert out["clusterName"] == CLUSTER
    assert out["clusterArn"] == f"arn:aws:eks:us-east-1:123456789012:cluster/{CLUSTER}"
    assert out["endpoint"] == cluster.state["endpoint"]
    assert out["certificateAuthority"] == cluster.state["certificateAuthority"]["data"]
    assert out["oidcIssuer"].startswith("https://oidc.eks.us-east-1.amazonaws.com/id/")
    assert out["clusterSecurityGroupId"] == cluster.state["vpcConfig"]["clusterSecurityGroupId"]
    assert out["nodeRoleArns"] == [plan.named("eks-node-role").state["arn"]]


def test_kubeconfig_is_secret_and_authenticates_with_aws_eks_get_token(plan: Plan) -> None:
    out = outputs(plan)
    config = json.loads(reveal(out["kubeconfig"]))
    assert config["clusters"] == [
        {
            "name": CLUSTER,
            "cluster": {"server": out["endpoint"], "certificate-authority-data": out["certificateAuthority"]},
        }
    ]
    assert config["current-context"] == CLUSTER
    assert config["users"][0]["user"]["exec"] == {
        "apiVersion": "client.authentication.k8s.io/v1beta1",
        "command": "aws",
        "args": ["eks", "get-token", "--cluster-name", CLUSTER, "--region", "us-east-1"],
        "interactiveMode": "Never",
    }


def test_extended_support_versions_warn_about_cost() -> None:
    plan = eks_plan(kubernetes_version="1.33")
    assert plan.named("eks-cluster").inputs["version"] == "1.33"
    assert any("1.33 is in extended support" in w for w in plan.warnings)


def test_standard_support_versions_do_not_warn(plan: Plan) -> None:
    assert not plan.warnings


def test_standard_support_type_is_passed_through(variant: Plan) -> None:
    plan = variant
    inputs = plan.named("eks-cluster").inputs
    assert (inputs["upgradePolicy"], inputs["deletionProtection"]) == ({"supportType": "STANDARD"}, False)


def test_every_inline_policy_is_least_privilege(variant: Plan) -> None:
    policies = variant.of_type("aws:iam/rolePolicy:RolePolicy")
    assert {p.name for p in policies} == {"eks-cluster-secrets-key", "eks-pod-app-policy"}
    for policy in policies:
        assert_least_privilege(policy.inputs["policy"])
