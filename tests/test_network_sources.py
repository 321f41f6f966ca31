"""`aws-compute:network` sources: built, another stack's outputs (`fromStack`), existing ids.

The compute of a stage is the same on all three; prod is shipped as the pair network-prod
(builds and exports the network) and apps-prod (reads it).
"""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

import stage
from components import Network, NetworkRef, NetworkShape, network_from_stack
from offline import engine, render, stacks
from offline.__main__ import main
from offline.engine import Plan, Secret
from offline.references import References, StackOutputs, StackReferenceError, in_repository
from stage.network import ExistingNetworkConfig
from tests.stack_areas import stacks_with

pytestmark = pytest.mark.heavy

NETWORK = "aws-compute:network"
SHARED = "acme/platform-network/shared"
#: The shape of IDS.
TWO_AZS = NetworkShape(tiers=("public", "private"), az_count=2)
IDS = {
    "vpcId": "vpc-0123456789abcdef0",
    "vpcCidr": "10.30.0.0/16",
    "availabilityZones": ["us-east-1a", "us-east-1b"],
    "publicSubnetIds": ["subnet-00000000000000001", "subnet-00000000000000002"],
    "privateSubnetIds": ["subnet-00000000000000003", "subnet-00000000000000004"],
    "isolatedSubnetIds": [],
    "privateRouteTableIds": ["rtb-00000000000000001"],
}


def network_ids(plan: Plan) -> dict[str, Any]:
    return {output: plan.outputs[output] for output in NetworkRef.OUTPUTS.values()}


def compute(plan: Plan) -> list[dict[str, Any]]:
    """Every resource outside the Network component: type, name, URN, parent and inputs."""
    resources = json.loads(render.to_json(plan, []))["resources"]
    return [r for r in resources if "aws-compute:network:Network" not in r["urn"]]


def run_dev(network: dict[str, Any], references: References | None = None) -> Plan:
    config, secret_keys = stacks.stack_config("dev")
    return stacks.run_program_file(
        stacks.PROJECT_DIR / "__main__.py",
        stack="dev",
        project="aws-compute",
        config={**config, NETWORK: network},
        secret_keys=secret_keys,
        references=references,
    )


def read_network(shape: NetworkShape | None = None) -> None:
    for output, value in network_from_stack(SHARED, shape).outputs().items():
        pulumi.export(output, value)


def referencing(outputs: dict[str, Any], secret: frozenset[str] = frozenset()) -> References:
    return References("platform-network", planned={"shared": StackOutputs(outputs, secret)})


# ---------------------------------------------------------------- the three sources
@pytest.mark.parametrize("source", ["existing", "fromStack"])
def test_a_read_network_gives_the_same_compute_as_the_built_one(dev_plan: Plan, source: str) -> None:
    ids = network_ids(dev_plan)
    if source == "existing":
        plan = run_dev({"existing": ids})
    else:
        outputs = StackOutputs(ids)
        plan = run_dev(
            {"fromStack": {"stack": "organization/aws-compute/network-dev", "azCount": 2}},
            References("aws-compute", planned={"network-dev": outputs}),
        )
    assert compute(plan) == compute(dev_plan)
    assert network_ids(plan) == ids
    assert not plan.of_type("aws-compute:network:Network")
    assert "natPublicIps" in dev_plan.outputs and "natPublicIps" not in plan.outputs


def test_network_ref_names_the_network_outputs_and_the_built_network_exports_them(dev_plan: Plan) -> None:
    assert [f.name for f in dataclasses.fields(NetworkRef)] == list(NetworkRef.OUTPUTS)
    component = dev_plan.component_outputs[dev_plan.named("network").urn]
    assert {o: component[o] for o in NetworkRef.OUTPUTS.values()} == network_ids(dev_plan)
    assert set(Network.__annotations__) >= set(NetworkRef.OUTPUTS)


# ---------------------------------------------------------------- prod: network-prod + apps-prod
def test_network_prod_builds_and_exports_only_the_network(network_prod_plan: Plan) -> None:
    (network,) = network_prod_plan.children(None)
    assert network.type == "aws-compute:network:Network"
    exported = {name for name, value in network_prod_plan.outputs.items() if value}
    assert exported == {*NetworkRef.OUTPUTS.values(), "natPublicIps"}
    assert stacks_with("network") == ["apps-prod", "dev", "network-prod"]
    assert "network-prod" not in stacks_with("services") + stacks_with("functions") + stacks_with("eks")


def test_apps_prod_runs_every_compute_on_network_prods_subnets(prod_plan: Plan, network_prod_plan: Plan) -> None:
    private = network_prod_plan.outputs["privateSubnetIds"]
    assert network_ids(prod_plan) == network_ids(network_prod_plan)
    assert not [r for r in prod_plan.resources if r.type.startswith("aws:ec2/") and "subnet" in r.type.lower()]
    assert not prod_plan.of_type("aws:ec2/vpc:Vpc")
    assert prod_plan.named("alb-alb").inputs["subnets"] == network_prod_plan.outputs["publicSubnetIds"]
    for service in ("api", "worker"):
        assert prod_plan.named(f"svc-{service}-service").inputs["networkConfiguration"]["subnets"] == private
    assert prod_plan.named("fn-api-function").inputs["vpcConfig"]["subnetIds"] == private
    assert prod_plan.named("web-asg").inputs["vpcZoneIdentifiers"] == private
    assert prod_plan.named("eks-cluster").inputs["vpcConfig"]["subnetIds"] == private
    assert prod_plan.named("eks-general").inputs["subnetIds"] == private
    assert prod_plan.named("alb-sg").inputs["vpcId"] == network_prod_plan.outputs["vpcId"]


def test_make_plan_of_apps_prod_reads_network_prod_offline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--stack", "apps-prod", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    types = {r["type"] for r in plan["resources"]}
    assert {
        "aws:ecs/service:Service",
        "aws:lambda/function:Function",
        "aws:autoscaling/group:Group",
        "aws:eks/cluster:Cluster",
    } <= types
    assert "aws:ec2/vpc:Vpc" not in types
    assert plan["outputs"]["vpcCidr"] == "10.20.0.0/16"


def test_the_stacks_a_config_names_are_planned_first() -> None:
    config = {"a:x": {"fromStack": {"stack": "acme/aws-compute/network-prod"}}, "a:y": ["acme/other/dev", "dev"]}
    assert in_repository(config, "aws-compute", ["dev", "network-prod"]) == ["network-prod"]


# ---------------------------------------------------------------- secrets, errors
def test_secret_outputs_stay_secret_and_only_those() -> None:
    plan = engine.run(lambda: read_network(TWO_AZS), references=referencing(IDS, frozenset({"vpcCidr"})))
    assert plan.outputs["vpcCidr"] == Secret("10.30.0.0/16")
    assert plan.outputs["vpcId"] == IDS["vpcId"]


def test_missing_and_mistyped_outputs_are_one_clean_error_naming_the_stack_and_outputs() -> None:
    outputs = {**IDS, "vpcId": "vpc_1", "publicSubnetIds": "subnet-00000000000000001"}
    del outputs["privateSubnetIds"]
    with pytest.raises(pulumi.RunError) as error:
        engine.run(
            lambda: read_network(NetworkShape(tiers=("public", "private"), az_count=2)), references=referencing(outputs)
        )
    assert str(error.value) == (
        "stack 'acme/platform-network/shared' does not export the network this stack reads"
        " (public, private tier(s) in 2 AZs):\n"
        "  - vpcId: not a VPC id ('vpc-' and 8 or 17 lowercase hex digits)\n"
        "  - publicSubnetIds: must be a list of subnet ids (empty when none)\n"
        "  - privateSubnetIds: not exported by that stack\n"
        "A network stack exports vpcId, vpcCidr, availabilityZones, publicSubnetIds, privateSubnetIds,"
        " isolatedSubnetIds, privateRouteTableIds (empty lists for tiers it lacks)."
    )


def test_a_failed_run_leaves_nothing_for_asyncio_to_report_later(caplog: pytest.LogCaptureFixture) -> None:
    """The futures the failure left unread are not reported when they are finalized (once the
    next run lets go of them): asyncio's report would format a traceback wherever the
    collector happened to run."""
    outputs = {**IDS, "vpcId": "vpc_1"}
    with caplog.at_level(logging.ERROR, logger="asyncio"), pytest.raises(pulumi.RunError):
        engine.run(lambda: read_network(TWO_AZS), references=referencing(outputs))
    engine.run(lambda: None)  # the next run lets go of what the failed one left
    gc.collect()
    assert [r.getMessage() for r in caplog.records if r.name == "asyncio"] == []


def test_outputs_that_contradict_the_declared_shape_are_an_error() -> None:
    with pytest.raises(pulumi.RunError) as error:
        engine.run(read_network, references=referencing(IDS))
    assert str(error.value).splitlines()[1:3] == [
        "  - availabilityZones: 2 AZs, but 3 are declared",
        "  - isolatedSubnetIds: the isolated tier is declared, but the list is empty",
    ]


def app_project(folder: Path, fixture: dict[str, Any] | None) -> Path:
    """A second project that reads its network from SHARED, as a consumer of the library would."""
    (folder / "Pulumi.yaml").write_text("name: apps\nruntime: python\n")
    (folder / "__main__.py").write_text(
        "import pulumi\nfrom components import NetworkShape, network_from_stack\n\n"
        "shape = NetworkShape(az_count=2, tiers=['private'])\n"
        "network = network_from_stack(pulumi.Config().require('network'), shape)\n"
        "pulumi.export('subnets', network.private_subnet_ids)\n"
    )
    (folder / "Pulumi.prod.yaml").write_text(f"config:\n  apps:network: {SHARED}\n")
    if fixture is not None:
        path = folder / "stack-references" / f"{SHARED}.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(fixture))
    return folder


def test_a_stack_of_another_project_is_answered_by_its_fixture(tmp_path: Path) -> None:
    project = app_project(tmp_path, {"outputs": IDS, "secretOutputNames": ["privateSubnetIds"]})
    plan = stacks.run_stack("prod", project)
    assert plan.outputs["subnets"] == Secret(IDS["privateSubnetIds"])


def test_a_referenced_stack_that_is_not_found_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = app_project(tmp_path, None)
    assert main(["plan", "--stack", "prod", "--project-dir", str(project)]) == 1
    fixture = project / "stack-references" / f"{SHARED}.json"
    assert capsys.readouterr().err == (
        f"error: stack reference '{SHARED}': no such stack: it belongs to project 'platform-network', not to"
        f" this one ('apps'), and there is no fixture {fixture}. Fix the name, or write the fixture:"
        ' {"outputs": <the output of `pulumi stack output --json --show-secrets --stack'
        f' {SHARED}`>, "secretOutputNames": [those that are secret]}}\n'
    )


def test_stacks_that_reference_each_other_are_a_cycle(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: loop\n")
    (tmp_path / "Pulumi.a.yaml").write_text("config:\n  loop:network: organization/loop/b\n")
    (tmp_path / "Pulumi.b.yaml").write_text("config:\n  loop:network: organization/loop/a\n")
    (tmp_path / "Pulumi.c.yaml").write_text("config:\n  loop:network: organization/loop/c\n")
    with pytest.raises(StackReferenceError, match=r"^stack references form a cycle \(a -> b -> a\);"):
        stacks.run_stack("a", tmp_path)
    with pytest.raises(StackReferenceError, match=r"^stack references form a cycle \(c -> c\);"):
        stacks.run_stack("c", tmp_path)


def test_a_stack_another_reads_is_planned_once_before_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_stacks` returns plans in the order asked, having planned the read stack first."""
    (tmp_path / "Pulumi.yaml").write_text("name: pair\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi\n"
        "source = pulumi.Config().get('source')\n"
        "if source:\n"
        "    pulumi.export('read', pulumi.StackReference(source).get_output('stack'))\n"
        "pulumi.export('stack', pulumi.get_stack())\n"
    )
    (tmp_path / "Pulumi.network.yaml").write_text("config: {}\n")
    (tmp_path / "Pulumi.apps.yaml").write_text("config:\n  pair:source: organization/pair/network\n")
    planned: list[str] = []
    run_program_file = stacks.run_program_file

    def recording(program: Path, **kwargs: Any) -> Plan:
        planned.append(kwargs["stack"])
        return run_program_file(program, **kwargs)

    monkeypatch.setattr(stacks, "run_program_file", recording)
    plans = stacks.run_stacks(["apps", "network"], tmp_path)
    assert planned == ["network", "apps"]
    assert list(plans) == ["apps", "network"]
    assert plans["apps"].outputs == {"read": "network", "stack": "apps"}


def test_stacks_planned_together_that_read_each_other_are_a_cycle(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: loop\n")
    (tmp_path / "Pulumi.a.yaml").write_text("config:\n  loop:network: organization/loop/b\n")
    (tmp_path / "Pulumi.b.yaml").write_text("config:\n  loop:network: organization/loop/a\n")
    with pytest.raises(StackReferenceError, match=r"^stack references form a cycle \(a -> b -> a\);"):
        stacks.run_stacks(["a", "b"], tmp_path)


# ---------------------------------------------------------------- stage config
def lines_for(network: dict[str, Any], **areas: Any) -> list[str]:
    return stage.validate({"network": network, **areas})[1]


def test_existing_ids_are_checked_for_shape() -> None:
    existing = {
        **IDS,
        "vpcId": "vpc-12",
        "publicSubnetIds": ["subnet-00000000000000001"],
        "isolatedSubnetIds": ["sub-2", "subnet-00000000000000005"],
        "privateRouteTableIds": [],
    }
    assert lines_for({"existing": existing}) == [
        "aws-compute:network.existing.vpcId: not a VPC id ('vpc-' and 8 or 17 lowercase hex digits)",
        "aws-compute:network.existing.publicSubnetIds: 1 subnet(s) for 2 AZs; list one per AZ, in the AZs' order",
        "aws-compute:network.existing.isolatedSubnetIds[0]: not a subnet id ('subnet-' and 8 or 17 lowercase hex"
        " digits)",
        "aws-compute:network.existing.privateRouteTableIds: 0 route table(s); list the private subnets' own: 1 to 2",
    ]


def test_existing_needs_two_azs_and_a_subnet_listed_once() -> None:
    existing = {**IDS, "availabilityZones": ["us-east-1a"], "publicSubnetIds": ["subnet-00000000000000003"]}
    existing["privateSubnetIds"] = ["subnet-00000000000000003"]
    assert lines_for({"existing": existing}) == [
        "aws-compute:network.existing.availabilityZones: 1 AZ(s); compute needs 2 at least",
        "aws-compute:network.existing: a subnet id is listed twice; each subnet belongs to one tier and one AZ",
    ]


def test_one_source_only_and_no_build_keys_beside_it() -> None:
    assert lines_for({"existing": IDS, "fromStack": SHARED}) == [
        "aws-compute:network.existing: the network comes from fromStack already; keep one of fromStack and existing"
    ]
    build_key = ": configures a network this stack builds, but it reads one (fromStack); remove it"
    assert lines_for({"fromStack": SHARED, "cidrBlock": "10.0.0.0/16", "natGateways": "single"}) == [
        f"aws-compute:network.cidrBlock{build_key}",
        f"aws-compute:network.natGateways{build_key}",
    ]


def test_from_stack_takes_a_qualified_stack_name_and_two_azs() -> None:
    assert lines_for({"fromStack": {"stack": "network-prod", "azCount": 1}}) == [
        "aws-compute:network.fromStack.stack: 'network-prod' is not a fully qualified stack name; write"
        " <org>/<project>/<stack> (the org is 'organization' on a self-managed backend)"
    ]
    assert lines_for({"fromStack": {"stack": SHARED, "azCount": 1, "tiers": []}}) == [
        "aws-compute:network.fromStack.tiers: no tier declared; list the tiers the network stack has",
        "aws-compute:network.fromStack.azCount: 1 AZ(s); compute needs 2 at least",
    ]


def test_compute_needs_the_private_tier_the_source_declares() -> None:
    eks = {
        "adminPrincipalArns": ["arn:aws:iam::123456789012:role/admin"],
        "nodeGroups": {"general": {"instanceTypes": ["m7g.large"]}},
    }
    from_stack = {"fromStack": {"stack": SHARED, "tiers": ["public"]}}
    assert lines_for(from_stack, eks=eks) == [
        "aws-compute:network.fromStack.tiers: eks run in the private subnets, but the network has no private"
        " tier; declare 'private' in fromStack.tiers, for a network stack that exports them"
    ]
    existing = {**IDS, "privateSubnetIds": [], "privateRouteTableIds": []}
    assert lines_for({"existing": existing}, eks=eks) == [
        "aws-compute:network.existing.privateSubnetIds: eks run in the private subnets, but the network has no"
        " private tier; list the VPC's private subnets in privateSubnetIds, one per AZ"
    ]


def test_an_internet_facing_alb_needs_the_public_tier() -> None:
    existing = {**IDS, "publicSubnetIds": []}
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    lb = {"scheme": "internet-facing", "ingressCidrs": ["0.0.0.0/0"], "certificateArn": certificate}
    services = {"loadBalancer": lb}
    assert lines_for({"existing": existing}, services=services) == [
        "aws-compute:network.existing.publicSubnetIds: services.loadBalancer run in the public subnets, but the"
        " network has no public tier; list the VPC's public subnets in publicSubnetIds, one per AZ"
    ]


def test_existing_ids_become_the_network_ref_unchanged() -> None:
    ref = ExistingNetworkConfig.model_validate(IDS).to_ref()
    assert ref.outputs() == IDS


def test_the_documented_sources_are_valid() -> None:
    block = "\n".join(line[4:] for line in (stage.network.__doc__ or "").splitlines() if line.startswith("    "))
    documented = yaml.safe_load(block)["aws-compute:network"]
    for source in ("fromStack", "existing"):
        assert lines_for({source: documented[source]}) == []
