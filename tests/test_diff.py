"""`python -m offline diff`: the issue's review scenario, the rules of a diff, and its rendering."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from offline import changes, cost, cost_report, diff_render, engine, snapshot, stacks, stage_diff
from offline.__main__ import main
from offline.engine import Plan
from tests.diff_scenario import STACKS, scratch_repo

pytestmark = pytest.mark.heavy

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
SALT = "test-salt"


@pytest.fixture(scope="session")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, changes.StackDiff]:
    """prod's two stacks on the scratch branch against main, by stack: each side planned once."""
    repo = scratch_repo(tmp_path_factory.mktemp("scenario"))
    return dict(zip(STACKS, snapshot.diffs_against("main", STACKS, repo, SALT), strict=True))


@pytest.fixture(scope="session")
def network(scenario: dict[str, changes.StackDiff]) -> changes.StackDiff:
    return scenario["network-prod"]


@pytest.fixture(scope="session")
def apps(scenario: dict[str, changes.StackDiff]) -> changes.StackDiff:
    return scenario["apps-prod"]


def _change(d: changes.StackDiff, name: str) -> changes.Change:
    return next(c for c in d.changes if c.name == name)


# ---------------------------------------------------------------- the scenario
def test_replacements_come_first_then_creates_then_updates(scenario: dict[str, changes.StackDiff]) -> None:
    for d in scenario.values():
        kinds = [c.kind for c in d.changes]
        assert kinds == sorted(kinds, key=changes.KINDS.index)
        assert d.exit_code == changes.EXIT_DANGEROUS
    assert scenario["network-prod"].counts() == {"replace": 6, "delete": 0, "create": 0, "update": 7}
    assert scenario["apps-prod"].counts() == {"replace": 15, "delete": 0, "create": 12, "update": 12}


def test_a_new_subnet_cidr_replaces_the_subnet_with_the_reason(network: changes.StackDiff) -> None:
    subnet = _change(network, "network-private-0")
    assert subnet.kind == "replace"
    assert subnet.reasons == ("`cidrBlock` cannot change in place (aws_subnet)",)
    assert subnet.properties == (
        changes.PropertyChange("cidrBlock", "10.20.64.0/20", "10.20.64.0/21", subnet.reasons[0]),
    )


def test_a_subnet_replaced_for_an_overlapping_cidr_carries_a_caution(network: changes.StackDiff) -> None:
    """Pulumi creates a replacement first by default, and EC2 refuses an overlapping subnet."""
    subnet = _change(network, "network-private-0")
    assert subnet.cautions == (
        "the new CIDR 10.20.64.0/21 overlaps the old 10.20.64.0/20: EC2 refuses a subnet overlapping one that"
        " exists (InvalidSubnet.Conflict), and Pulumi by default creates the replacement before deleting the"
        " original, so `pulumi up` stops here. Give the new range to new subnets and move the workloads, or"
        " delete first (`deleteBeforeReplace`) once nothing runs in the subnet",
    )
    assert [c.name for c in network.changes if c.cautions] == [f"network-private-{i}" for i in range(3)]


@pytest.mark.parametrize(
    ("old", "new", "cautioned"),
    [("10.0.0.0/20", "10.0.0.0/21", True), ("10.0.0.0/20", "10.0.16.0/20", False), ("10.0.0.0/20", "bad", False)],
    ids=["overlapping", "disjoint", "unparsable"],
)
def test_only_an_overlapping_new_cidr_is_cautioned(old: str, new: str, cautioned: bool) -> None:
    def snapshot(cidr: str) -> dict[str, Any]:
        subnet = {"type": "aws:ec2/subnet:Subnet", "name": "s", "urn": "urn:s", "parent": None, "id": "subnet-1"}
        return {"stack": "n", "resources": [{**subnet, "arn": "", "inputs": {"cidrBlock": cidr}, "dependencies": []}]}

    [change] = changes.diff(snapshot(old), snapshot(new), "main", "working tree").changes
    assert change.kind == "replace"
    assert bool(change.cautions) is cautioned


def test_what_takes_a_replaced_subnets_id_is_replaced_or_updated_through_it(network: changes.StackDiff) -> None:
    association = _change(network, "network-private-0-rta-0")
    assert association.kind == "replace"
    assert association.reasons == (
        "network-private-0 is replaced: the new id feeds `subnetId` (aws_route_table_association)",
    )
    endpoint = _change(network, "network-sts-endpoint")
    assert endpoint.kind == "update"
    assert [p.new for p in endpoint.properties] == [changes.Unknown(f"network-private-{i}") for i in range(3)]
    assert not any(c.name.startswith("network-public") for c in network.changes)


NEW_PRIVATE_SUBNETS = tuple(f"network-prod's network-private-{i}" for i in range(3))


def test_what_sits_on_another_stacks_replaced_subnets_is_replaced_or_updated(
    network: changes.StackDiff, apps: changes.StackDiff
) -> None:
    """apps-prod reads network-prod's subnet ids through a stack reference: a node group on
    them is replaced (`subnetIds` cannot change in place), an Auto Scaling group updated."""
    subnets = {c.name: c for c in network.of_kind("replace") if c.type == "aws:ec2/subnet:Subnet"}
    assert sorted(subnets) == ["network-private-0", "network-private-1", "network-private-2"]
    node_group = _change(apps, "eks-general")
    assert node_group.kind == "replace"
    assert node_group.reasons == (
        f"{', '.join(NEW_PRIVATE_SUBNETS)} are replaced: the new ids feed `subnetIds` (aws_eks_node_group)",
    )
    assert [(p.path, p.new) for p in node_group.properties] == [
        (f"subnetIds[{i}]", changes.Unknown(label)) for i, label in enumerate(NEW_PRIVATE_SUBNETS)
    ]
    replaced_by_subnets = {c.name for c in apps.of_kind("replace") if not c.old_name}
    assert replaced_by_subnets == {"eks-general", "eks-spot-burst", "eks-system", "eks-serverless"}
    group = _change(apps, "ecs-ec2-general-asg")
    assert (group.kind, group.reasons) == ("update", ())
    assert {p.path for p in group.properties} == {f"vpcZoneIdentifiers[{i}]" for i in range(3)}
    assert all(isinstance(c.properties[0].new, changes.Unknown) for c in apps.of_kind("update"))


def test_another_stacks_replacement_reaches_only_what_holds_its_id() -> None:
    """Without the upstream replacement the stack has no change; with it, the node group
    holding the subnet's id is replaced; another subnet's replacement leaves it alone."""
    old = {"stack": "apps", "resources": [_node_group("subnet-0a")]}
    upstream = changes.UpstreamReplacement(
        "net", "private-0", frozenset({"subnet-0a", "arn:aws:ec2:::subnet/subnet-0a"})
    )
    assert changes.diff(old, old, "main", "working tree").changes == []
    [change] = changes.diff(old, old, "main", "working tree", [upstream]).changes
    assert (change.kind, change.reasons) == (
        "replace",
        ("net's private-0 is replaced: the new id feeds `subnetIds` (aws_eks_node_group)",),
    )
    unrelated = changes.UpstreamReplacement("net", "private-9", frozenset({"subnet-0b"}))
    assert changes.diff(old, old, "main", "working tree", [unrelated]).changes == []


def _node_group(subnet: str) -> dict[str, Any]:
    urn = "urn:pulumi:apps::p::aws:eks/nodeGroup:NodeGroup::ng"
    return {
        "type": "aws:eks/nodeGroup:NodeGroup",
        "name": "ng",
        "urn": urn,
        "parent": None,
        "id": "ng-1",
        "arn": "",
        "inputs": {"subnetIds": [subnet]},
        "dependencies": [],
    }


def test_a_renamed_fargate_service_is_replaced_whole_as_its_urn_changes(apps: changes.StackDiff) -> None:
    renamed = [c for c in apps.changes if c.old_name]
    assert {c.kind for c in renamed} == {"replace"}
    assert {(c.old_name, c.name) for c in renamed} >= {
        ("svc-nightly-report", "svc-daily-report"),
        ("svc-nightly-report-task", "svc-daily-report-task"),
        ("svc-nightly-report-schedule", "svc-daily-report-schedule"),
    }
    assert all(c.name.startswith("svc-daily-report") for c in renamed)
    assert len(renamed) == 11
    component = _change(apps, "svc-daily-report")
    assert component.reasons == (
        "its URN changes (svc-nightly-report → svc-daily-report) and no alias names the old one",
    )
    assert not any("nightly" in c.name for c in apps.changes if c.kind in ("create", "delete"))


def test_an_added_function_is_created_with_everything_it_holds(apps: changes.StackDiff) -> None:
    created = apps.of_kind("create")
    assert {c.name for c in created} == {
        "fn-thumbnail",
        *(f"fn-thumbnail-{r}" for r in ("logs", "failures", "failures-tls-only", "role", "policy")),
        *(f"fn-thumbnail-{r}" for r in ("function", "alias", "async")),
        *(f"fn-thumbnail-alarm-{r}" for r in ("errors", "throttles", "failures-depth")),
    }


def test_the_comment_warns_of_replacements_first_with_reasons(scenario: dict[str, changes.StackDiff]) -> None:
    text = diff_render.comment(list(scenario.values()))
    network, apps = text.split("### Stack `apps-prod`")
    assert network.startswith("<!-- aws-compute offline diff -->\n### Stack `network-prod`: 6 to replace, 7 to update")
    assert apps.startswith(": 15 to replace, 12 to create, 12 to update")
    assert "| 6 | 0 | 0 | 7 |" in network
    assert "| 15 | 0 | 12 | 12 |" in apps
    head, details = apps.split("<details>", 1)
    warning = [line for line in text.splitlines() if line.startswith("> - ")]
    assert len(warning) == 11  # 6 of network-prod; of apps-prod's, the renamed service's 10 children fold into its line
    assert (
        "> - replace `network-private-0` (aws:ec2/subnet:Subnet): `cidrBlock` cannot change in place (aws_subnet)"
        in warning
    )
    assert "`svc-daily-report` (was `svc-nightly-report`, aws-compute:fargate_service:FargateService) and 9" in head
    assert details.index("! replace") < details.index("+ create")


def test_readme_shows_the_scenarios_comment(scenario: dict[str, changes.StackDiff]) -> None:
    assert diff_render.comment(list(scenario.values())) in README, (
        "README's example comment is stale: paste the output of `.venv/bin/python -m tests.diff_scenario`"
    )


# ---------------------------------------------------------------- rules, on small snapshots
def _resource(name: str, type_: str = "aws:sqs/queue:Queue", **extra: Any) -> dict[str, Any]:
    urn = f"urn:pulumi:s::p::{type_}::{name}"
    fields: dict[str, Any] = {"parent": None, "custom": True, "id": f"id-{name}", "arn": None, "physicalName": name}
    fields |= {"aliases": [], "dependencies": [], "inputs": {}}
    return {"urn": urn, "type": type_, "name": name, **fields, **extra}


def _snap(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"project": "p", "stack": "s", "resources": list(resources), "outputs": {}}


def test_an_alias_makes_a_new_urn_an_update() -> None:
    old = _resource("queue", inputs={"delaySeconds": 0})
    new = _resource("jobs", aliases=[old["urn"]], inputs={"delaySeconds": 5})
    d = changes.diff(_snap(old), _snap(new), "a", "b")
    assert [(c.kind, c.old_name, c.name) for c in d.changes] == [("update", "queue", "jobs")]
    assert d.exit_code == changes.EXIT_CHANGES


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ([_resource("q")], [_resource("q")], changes.EXIT_NO_CHANGES),
        ([_resource("p", "aws:iam/rolePolicy:RolePolicy"), _resource("q")], [_resource("q")], changes.EXIT_CHANGES),
        ([_resource("logs", "aws:cloudwatch/logGroup:LogGroup")], [], changes.EXIT_DANGEROUS),
        (
            [_resource("t", "aws:ecs/taskDefinition:TaskDefinition", inputs={"cpu": "256"})],
            [_resource("t", "aws:ecs/taskDefinition:TaskDefinition", inputs={"cpu": "512"})],
            changes.EXIT_CHANGES,
        ),
        ([_resource("q", inputs={"name": "a"})], [_resource("q", inputs={"name": "b"})], changes.EXIT_DANGEROUS),
        ([_resource("p", "aws:iam/rolePolicy:RolePolicy", protect=True)], [], changes.EXIT_DANGEROUS),
    ],
    ids=["nothing", "policy deleted", "log group deleted", "task definition revision", "queue renamed", "protected"],
)
def test_exit_status(old: list[dict[str, Any]], new: list[dict[str, Any]], code: int) -> None:
    assert changes.diff(_snap(*old), _snap(*new), "a", "b").exit_code == code


def test_replacing_a_protected_resource_says_pulumi_up_will_refuse() -> None:
    old = _resource("q", protect=True, inputs={"name": "a"})
    (change,) = changes.diff(_snap(old), _snap({**old, "inputs": {"name": "b"}}), "a", "b").changes
    assert change.reasons == ("`name` cannot change in place (aws_sqs_queue)", changes.PROTECT_REASON)


def test_json_documents_are_compared_inside() -> None:
    doc = '{"Statement": [{"Action": ["s3:GetObject"], "Effect": "Allow"}]}'
    old = _resource("p", "aws:iam/rolePolicy:RolePolicy", inputs={"policy": doc})
    new = _resource("p", "aws:iam/rolePolicy:RolePolicy", inputs={"policy": doc.replace("Get", "Put")})
    (change,) = changes.diff(_snap(old), _snap(new), "a", "b").changes
    assert change.properties == (
        changes.PropertyChange("policy.Statement[0].Action[0]", "s3:GetObject", "s3:PutObject"),
    )


def test_secrets_are_compared_by_salted_digest_and_printed_masked(tmp_path: Path) -> None:
    old, new = (snapshot._plain({"password": engine.Secret(v)}, SALT, tmp_path) for v in ("hunter2", "hunter3"))
    assert "hunter" not in repr(old) + repr(new)
    assert old != new
    assert snapshot._plain({"password": engine.Secret("hunter2")}, "other", tmp_path) != old
    d = changes.diff(_snap(_resource("q", inputs=old)), _snap(_resource("q", inputs=new)), "a", "b")
    assert diff_render.to_text(d).splitlines()[5] == "      password: [secret] → [secret]"


def test_a_conditional_replacement_is_an_update_that_says_when_it_would_replace() -> None:
    eks = "aws:eks/cluster:Cluster"
    old = _resource("c", eks, inputs={"encryptionConfig": {"resources": ["secrets"]}})
    (change,) = changes.diff(_snap(old), _snap(_resource("c", eks)), "a", "b").changes
    assert change.kind == "update"
    assert diff_render.to_text(changes.StackDiff("s", "a", "b", [change])).splitlines()[5] == (
        '      encryptionConfig: {"resources": ["secrets"]} → (none)  [replaces when it is removed: '
        "envelope encryption cannot be disabled (resourceCluster CustomizeDiff)]"
    )


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ([182.4, 236.0], [190.0, 249.6], "monthly cost: $182–$236 → $190–$250 (+$8 – +$14)"),
        ([1094.6, 3962.2], [1000.0, 3962.0], "monthly cost: $1,095–$3,962 → $1,000–$3,962 (-$95 – +$0)"),
        ([50.0, 50.0], [62.5, 62.5], "monthly cost: $50 → $62 (+$12)"),
        ([0.0, 0.0], [10.2, 30.0], "monthly cost: $0 → $10–$30 (+$10 – +$30)"),
    ],
)
def test_the_cost_line_in_whole_dollars_low_to_low_high_to_high(old: list[float], new: list[float], line: str) -> None:
    assert cost_report.delta_line(old, new) == line
    assert cost_report.delta_line(None, new) is None


def test_each_stacks_diff_carries_its_cost_delta(
    scenario: dict[str, changes.StackDiff], stack_plans: dict[str, Plan]
) -> None:
    network = list(cost.monthly_range(stack_plans["network-prod"]))
    assert scenario["network-prod"].extra_summary == [cost_report.delta_line(network, network)]  # size is free
    apps = list(cost.monthly_range(stack_plans["apps-prod"]))
    before = str(cost_report.delta_line(apps, apps)).split(" → ")[0]
    assert scenario["apps-prod"].extra_summary[0].startswith(before + " → ")
    assert diff_render.to_text(scenario["apps-prod"]).splitlines()[2] == "  " + scenario["apps-prod"].extra_summary[0]


def test_extra_summary_lines_follow_the_totals() -> None:
    d = changes.diff(_snap(), _snap(_resource("q")), "a", "b")
    d.extra_summary.append("Monthly cost: +$1.00")
    assert diff_render.to_text(d).splitlines()[:3] == ["Stack s: a → b", "  1 to create", "  Monthly cost: +$1.00"]
    assert "| 0 | 0 | 1 | 0 |\n\nMonthly cost: +$1.00" in diff_render.to_markdown(d)


# ---------------------------------------------------------------- aliases recorded by the engine
class _Box(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("test:index:Box", name, None, opts)
        aws.sqs.Queue(f"{name}-queue", opts=pulumi.ResourceOptions(parent=self))


def test_the_engine_records_aliases_and_passes_a_parents_to_its_children() -> None:
    plan = engine.run(lambda: _Box("new", pulumi.ResourceOptions(aliases=[pulumi.Alias(name="old")])), stack="s")
    box, queue = plan.named("new"), plan.named("new-queue")
    assert box.aliases == {"urn:pulumi:s::aws-compute::test:index:Box::old"}
    assert queue.aliases == {"urn:pulumi:s::aws-compute::test:index:Box$aws:sqs/queue:Queue::old-queue"}


# ---------------------------------------------------------------- refs
def test_a_ref_without_the_stack_file_is_an_empty_stack(tmp_path: Path) -> None:
    _committed_project(tmp_path, "import pulumi\n")
    assert snapshot.at_ref(["dev"], tmp_path, "HEAD", SALT) == {"dev": snapshot.empty("demo", "dev")}
    assert (
        subprocess.run(["git", "worktree", "list"], cwd=tmp_path, capture_output=True, text=True).stdout.count("\n")
        == 1
    )


def _committed_project(folder: Path, program: str, **modules: str) -> None:
    """A one-stack project (`s`) at `folder`, committed as a git repo's HEAD."""
    (folder / "Pulumi.yaml").write_text("name: demo\nruntime: python\n")
    (folder / "Pulumi.s.yaml").write_text("config: {}\n")
    (folder / "__main__.py").write_text(program)
    for name, text in modules.items():
        (folder / f"{name}.py").write_text(text)
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    subprocess.run(["git", "add", "."], cwd=folder, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "x"], cwd=folder, check=True)


def test_the_ref_and_the_working_tree_each_plan_their_own_modules(tmp_path: Path) -> None:
    """Both sides plan in this process: the ref's copy of a module never stands in for the
    working tree's, nor lingers once its worktree is gone."""
    _committed_project(
        tmp_path, "import pulumi\nimport shapes\n\npulumi.export('value', shapes.VALUE)\n", shapes="VALUE = 'ref'\n"
    )
    (tmp_path / "shapes.py").write_text("VALUE = 'working tree'\n")
    assert snapshot.at_ref(["s"], tmp_path, "HEAD", SALT)["s"]["outputs"] == {"value": "ref"}
    assert [n for n, m in sys.modules.items() if "aws-compute-diff-" in (getattr(m, "__file__", None) or "")] == []
    assert stacks.run_stack("s", tmp_path).outputs == {"value": "working tree"}


def test_a_ref_whose_program_fails_stops_the_diff_naming_the_ref(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _committed_project(tmp_path, "raise ValueError('no region configured')\n")
    (tmp_path / "__main__.py").write_text("import pulumi\n\npulumi.export('value', 1)\n")
    assert main(["diff", "--stack", "s", "--base", "HEAD", "--project-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err == "error: planning s at HEAD failed:\nValueError: no region configured\n"


def test_a_working_tree_reading_a_stack_nothing_answers_stops_the_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _committed_project(tmp_path, "import pulumi\n\npulumi.export('value', 1)\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi\n\npulumi.export('value', pulumi.StackReference('acme/other/prod').get_output('x'))\n"
    )
    assert main(["diff", "--stack", "s", "--base", "HEAD", "--project-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("error: stack reference 'acme/other/prod': no such stack:")


def test_a_stack_named_twice_is_diffed_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _committed_project(tmp_path, "import pulumi\n\npulumi.export('value', 1)\n")
    argv = ["diff", "--stack", "s", "--stack", "s", "--base", "HEAD", "--project-dir", str(tmp_path)]
    assert main(argv) == changes.EXIT_NO_CHANGES
    assert capsys.readouterr().out.count("Stack s:") == 1


def test_an_unknown_ref_is_an_error_before_anything_is_planned(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--stack", "apps-prod", "--base", "no-such-ref"]) == 1
    err = capsys.readouterr().err
    assert re.match(r"error: git rev-parse --verify no-such-ref\^\{commit\}: fatal: ", err)


# ---------------------------------------------------------------- stage diff
PROD = ("network-prod", "apps-prod")


@pytest.fixture(scope="module")
def dev_vs_prod(stack_plans: dict[str, Plan]) -> str:
    dev, *prod = (snapshot.of_plan(stack_plans[s], stacks.PROJECT_DIR, SALT) for s in ("dev", *PROD))
    return stage_diff.compare(dev, stage_diff.stage(prod))


def test_the_stage_diff_fits_a_screen_and_is_the_readmes(dev_vs_prod: str) -> None:
    assert len(dev_vs_prod.splitlines()) <= 70  # a full-height terminal
    assert f"```text\n{dev_vs_prod}\n```" in README, (
        "README's stage diff is stale: paste "
        "`.venv/bin/python -m offline diff --stack dev --against network-prod --against apps-prod`"
    )


def test_the_stage_diff_normalises_ids_arns_suffixes_and_stack_names(
    dev_vs_prod: str, stack_plans: dict[str, Plan]
) -> None:
    properties = dev_vs_prod.split("dev → network-prod + apps-prod:\n", 1)[1]
    assert not re.search(r"\b(subnet|vpc|sg|nat|rtb)-[0-9a-f]{17}\b|-[0-9a-f]{7}\b|\b(dev|prod)\b", properties)
    assert '{"bucket": "aws-compute-{stack}-alb-log' in properties  # the stage's name, normalised
    dev, prod = len(stack_plans["dev"].resources), sum(len(stack_plans[s].resources) for s in PROD)
    assert re.search(
        rf": {dev} resources in dev, {prod} in network-prod \+ apps-prod, \d+ in both$", dev_vs_prod.splitlines()[0]
    )


def test_the_stage_diff_shows_the_knobs_that_differ(dev_vs_prod: str) -> None:
    lines = dev_vs_prod.splitlines()
    assert '  ec2/Vpc.cidrBlock ×1: "10.10.0.0/16" → "10.20.0.0/16"' in lines
    assert "  lb/LoadBalancer.enableDeletionProtection ×1: false → true" in lines
    assert "  ecs/Service.enableExecuteCommand ×1: true → false" in lines
    network_only_in_prod = next(line for line in lines if line.startswith("  network: Eip ×2, NatGateway ×2"))
    assert "Subnet ×3" in network_only_in_prod  # prod has three AZs, dev two


def test_a_stage_against_itself_has_no_differences(stack_plans: dict[str, Plan]) -> None:
    dev = snapshot.of_plan(stack_plans["dev"], stacks.PROJECT_DIR, SALT)
    low, high = (f"${v:,.0f}" for v in cost.monthly_range(stack_plans["dev"]))
    assert low != high  # dev scales
    assert stage_diff.compare(dev, dev).splitlines()[1:] == [
        f"  monthly cost: {low}–{high} → {low}–{high} (+$0)",
        "  no differences",
    ]


def test_the_stage_diff_shows_the_cost_of_each_stage(dev_vs_prod: str, stack_plans: dict[str, Plan]) -> None:
    dev = cost.monthly_range(stack_plans["dev"])
    prod = [sum(cost.monthly_range(stack_plans[s])[i] for s in PROD) for i in (0, 1)]
    assert dev_vs_prod.splitlines()[1] == f"  {cost_report.delta_line(list(dev), prod)}"
