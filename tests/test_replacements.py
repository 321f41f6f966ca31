"""The replace-on-change table: complete for what the stacks register, and true to pulumi_aws."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pulumi
import pytest

from offline import replacements, stacks
from offline.engine import Plan
from tools import replace_on_change


def test_every_aws_type_the_stacks_register_has_a_row(stack_plans: dict[str, Plan]) -> None:
    registered = {r.type for plan in stack_plans.values() for r in plan.resources if r.custom}
    assert registered - set(replacements.table()) == set()


def _constructed_types() -> set[str]:
    """The type token of every `aws.<module>.<Class>(...)` the program and components call,
    whatever the config (some are built only for some stage settings)."""
    found = set()
    root = stacks.PROJECT_DIR
    for path in [root / "__main__.py", *(root / "components").rglob("*.py")]:
        for module, name in re.findall(r"\baws\.(\w+)\.([A-Z]\w*)\(", path.read_text()):
            cls = getattr(importlib.import_module(f"pulumi_aws.{module}"), name, None)
            if isinstance(cls, type) and issubclass(cls, pulumi.CustomResource):
                # The module's text, not its AST: CPython 3.11 can fail parsing these large files.
                source = Path(inspect.getfile(cls)).read_text()
                token = re.search(rf"super\({name}, __self__\).__init__\(\s*'(aws:[^']+)'", source)
                assert token, f"{cls} names no type token"
                found.add(token.group(1))
    return found


def test_every_aws_class_the_code_constructs_has_a_row() -> None:
    constructed = _constructed_types()
    assert {"aws:ec2/subnet:Subnet", "aws:lambda/permission:Permission"} <= constructed
    assert constructed - set(replacements.table()) == set()


@pytest.mark.parametrize("type_", sorted(replacements.table()))
def test_rows_name_real_input_properties_and_cite_their_source(type_: str) -> None:
    rule = replacements.table()[type_]
    assert re.fullmatch(r"aws_[a-z0-9_]+", rule.terraform)
    assert re.fullmatch(r"internal/service/[a-z0-9]+, (func \w+|method \w+\.Schema)", rule.source)
    unknown = [p for p in (*rule.properties, *rule.conditional) if not replace_on_change.path_exists(type_, p)]
    assert unknown == []


def test_a_property_under_a_replace_on_change_block_replaces() -> None:
    assert replacements.replacing("aws:ec2/subnet:Subnet", "cidrBlock") == "cidrBlock"
    assert replacements.replacing("aws:eks/nodeGroup:NodeGroup", "subnetIds[2]") == "subnetIds"
    assert replacements.replacing("aws:eks/nodeGroup:NodeGroup", "launchTemplate.id") == "launchTemplate.id"
    assert replacements.replacing("aws:ecs/taskDefinition:TaskDefinition", "volumes[0].name") == "volumes"


def test_updatable_properties_and_unlisted_types_do_not_replace() -> None:
    assert replacements.replacing("aws:eks/nodeGroup:NodeGroup", "launchTemplate.version") is None
    assert replacements.replacing("aws:eks/nodeGroup:NodeGroup", "scalingConfig.desiredSize") is None
    assert replacements.replacing("aws:ec2/subnet:Subnet", "cidrBlockSuffix") is None
    assert replacements.replacing("aws:example/thing:Thing", "name") is None


def test_conditional_replacements_state_their_case() -> None:
    assert replacements.conditional("aws:eks/cluster:Cluster", "encryptionConfig.resources[0]") == (
        "when it is removed: envelope encryption cannot be disabled (resourceCluster CustomizeDiff)"
    )
    assert replacements.conditional("aws:eks/cluster:Cluster", "vpcConfig.subnetIds[0]") is None


# ---------------------------------------------------------------- how rows are read from the provider source
class _FakeIndex:
    """A provider index holding one helper schema and one attribute-name constant."""

    def files(self, package: str) -> frozenset[str]:
        return frozenset({"func.lifecycleHookSchema.goindex", "func.resourceGroupV0.goindex"})

    def show(self, path: str) -> str:
        if path.endswith("resourceGroupV0.goindex"):
            return 'package x\nfunc resourceGroupV0() *schema.Resource {\n"old": {ForceNew: true},\n}\n'
        return (
            'package x\nimport (\n\t"schema"\n)\nfunc lifecycleHookSchema() *schema.Resource {\n'
            "\treturn &schema.Resource{Schema: map[string]*schema.Schema{\n"
            '\t\t"heartbeat_timeout": {Type: schema.TypeInt, ForceNew: true},\n'
            '\t\t"role_arn": {Type: schema.TypeString},\n\t}}\n}\n'
        )

    def constant(self, package: str, ident: str) -> str | None:
        return {"groupDestination": "destination_cidr_block"}.get(ident)


GROUP_SCHEMA = """package autoscaling
import (
\t"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)
func resourceGroup() *schema.Resource {
\treturn &schema.Resource{
\t\tStateUpgraders: []schema.StateUpgrader{{Type: resourceGroupV0().CoreConfigSchema().ImpliedType()}},
\t\tSchemaFunc: func() map[string]*schema.Schema {
\t\t\treturn map[string]*schema.Schema{
\t\t\t\tnames.AttrName: {
\t\t\t\t\tType:     schema.TypeString,
\t\t\t\t\tForceNew:         true,
\t\t\t\t},
\t\t\t\tgroupDestination: {ForceNew: true},
\t\t\t\t"max_size": {Type: schema.TypeInt, Required: true},
\t\t\t\t"mixed_instances_policy": {
\t\t\t\t\tElem: &schema.Resource{Schema: map[string]*schema.Schema{
\t\t\t\t\t\t"launch_template": {Elem: &schema.Resource{Schema: map[string]*schema.Schema{
\t\t\t\t\t\t\tnames.AttrVPCID: {PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}},
\t\t\t\t\t\t}}},
\t\t\t\t\t}},
\t\t\t\t},
\t\t\t\t"initial_lifecycle_hook": lifecycleHookSchema(),
\t\t\t}
\t\t},
\t\tCustomizeDiff: customdiff.ForceNewIfChange("max_size", func() bool { return true }),
\t}
}
"""


def test_the_schema_walk_finds_nested_helper_and_constant_named_attributes() -> None:
    replaces, custom = replace_on_change.replace_paths(GROUP_SCHEMA, "autoscaling", _FakeIndex())  # type: ignore[arg-type]
    assert replaces == {
        ("Name",),
        ("destination_cidr_block",),
        ("mixed_instances_policy", "launch_template", "VPCID"),
        ("initial_lifecycle_hook", "heartbeat_timeout"),
    }
    assert custom == {'(resource): ForceNewIfChange("max_size"'}


def test_terraform_paths_map_to_pulumi_inputs() -> None:
    path = replace_on_change.pulumi_path
    assert path("aws:ec2/subnet:Subnet", ["VPCID"]) == "vpcId"
    assert path("aws:autoscaling/group:Group", ["initial_lifecycle_hook", "heartbeat_timeout"]) == (
        "initialLifecycleHooks.heartbeatTimeout"
    )
    assert path("aws:lambda/permission:Permission", ["function_name"]) == "function"
    assert path("aws:eks/nodeGroup:NodeGroup", ["launch_template", "ID"]) == "launchTemplate.id"
    assert path("aws:ec2/subnet:Subnet", ["no_such_attribute"]) is None
