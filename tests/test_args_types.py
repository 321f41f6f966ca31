"""A wrong type or shape in any args field fails at construction, naming the class, the field,
what it expects and what it got; Outputs are accepted wherever a field is a `pulumi.Input`."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import TypeVar

import pulumi
import pytest

from components import (
    ArgsError,
    ContainerArgs,
    FargateServiceArgs,
    LambdaFunctionArgs,
    NetworkArgs,
    RegistryImage,
    Statement,
    VpcPlacement,
    ZipCode,
    field_types,
)
from offline import engine
from tests.fargate_builders import CLUSTER_REF, container, service_args, web

T = TypeVar("T")


def _message(error: pytest.ExceptionInfo[BaseException]) -> str:
    return str(error.value)


def test_a_dict_where_an_args_object_belongs_names_class_field_and_expected_type() -> None:
    with pytest.raises(TypeError) as error:
        service_args(container={"image": "nginx:1.27", "port": 8080})
    assert _message(error) == (
        "FargateServiceArgs has 1 problem(s):\n"
        "  - FargateServiceArgs.container: expects ContainerArgs, got dict {'image': 'nginx:1.27', 'port': 8080}"
    )


def test_a_bare_image_string_is_refused_with_the_two_image_sources() -> None:
    with pytest.raises(TypeError) as error:
        ContainerArgs(image="nginx:1.27")  # type: ignore[arg-type]
    assert _message(error) == (
        "ContainerArgs has 1 problem(s):\n"
        "  - ContainerArgs.image: expects RegistryImage | DockerBuild, got str 'nginx:1.27'"
    )


def test_a_string_for_an_int_and_a_bool_for_an_int_are_both_refused_at_once() -> None:
    with pytest.raises(ValueError) as error:
        NetworkArgs(az_count="3", flow_logs=None, cidr_block=True)  # type: ignore[arg-type]
    assert _message(error) == (
        "NetworkArgs has 2 problem(s):\n"
        "  - NetworkArgs.cidr_block: expects str, got bool True\n"
        "  - NetworkArgs.az_count: expects int, got str '3'"
    )


def test_a_wrong_element_is_named_by_its_index() -> None:
    with pytest.raises(ArgsError) as error:
        service_args(task_role_statements=[Statement(actions=["s3:GetObject"], resources=["arn:aws:s3:::b/*"]), {}])
    assert _message(error) == (
        "FargateServiceArgs has 1 problem(s):\n"
        "  - FargateServiceArgs.task_role_statements[1]: expects Statement, got dict {}"
    )


def test_an_input_names_outputs_as_accepted() -> None:
    with pytest.raises(TypeError) as error:
        service_args(vpc_id=1)
    assert _message(error) == (
        "FargateServiceArgs has 1 problem(s):\n  - FargateServiceArgs.vpc_id: expects str or an Output, got int 1"
    )


def _in_a_stack(build: Callable[[], T]) -> T:
    """`build()` run inside a (mock) Pulumi stack, where Outputs can exist."""
    built: list[T] = []
    engine.run(lambda: built.append(build()))
    return built[0]


def _refusal(build: Callable[[], object]) -> str:
    def attempt() -> str:
        with pytest.raises(TypeError) as error:
            build()
        return str(error.value)

    return str(_in_a_stack(attempt))


def test_a_plain_field_refuses_an_output() -> None:
    """Fields deciding how many resources exist must be known at plan time."""
    message = _refusal(lambda: NetworkArgs(az_count=pulumi.Output.from_input(3)))  # type: ignore[arg-type]
    assert message == "NetworkArgs has 1 problem(s):\n  - NetworkArgs.az_count: expects int, got Output object"


def test_a_bare_string_where_a_list_belongs_is_refused() -> None:
    with pytest.raises(TypeError) as error:
        Statement(actions="s3:GetObject", resources=["arn:aws:s3:::b/*"])
    assert _message(error) == (
        "Statement has 1 problem(s):\n  - Statement.actions: expects a sequence of str, got str 's3:GetObject'"
    )


def test_a_value_outside_a_literal_lists_the_allowed_values() -> None:
    with pytest.raises(TypeError) as error:
        service_args(architecture="arm64")
    assert _message(error) == (
        "FargateServiceArgs has 1 problem(s):\n"
        "  - FargateServiceArgs.architecture: expects one of 'ARM64', 'X86_64', got str 'arm64'"
    )


def test_a_mapping_value_is_named_by_its_key() -> None:
    with pytest.raises(TypeError) as error:
        container(environment={"LOG_LEVEL": 10})
    assert _message(error) == (
        "ContainerArgs has 1 problem(s):\n  - ContainerArgs.environment['LOG_LEVEL']: expects str, got int 10"
    )


def test_type_problems_are_reported_before_the_rules_run() -> None:
    """A rule reading `container.port` would crash on a dict; the shape check stops first."""
    with pytest.raises(TypeError) as error:
        FargateServiceArgs(
            cluster=CLUSTER_REF,
            vpc_id="vpc-1",
            subnet_ids=["s"],
            container={},  # type: ignore[arg-type]
            workload=web(),
            cpu="512",  # type: ignore[arg-type]
        )
    assert [p.field for p in error.value.problems] == ["container", "cpu"]  # type: ignore[attr-defined]


def test_outputs_are_accepted_wherever_a_field_is_a_pulumi_input() -> None:
    def build() -> tuple[FargateServiceArgs, LambdaFunctionArgs]:
        subnets = pulumi.Output.from_input(["subnet-a", "subnet-b"])
        service = service_args(vpc_id=pulumi.Output.from_input("vpc-1"), subnet_ids=subnets)
        placement = VpcPlacement(
            subnet_ids=[pulumi.Output.from_input("subnet-a")],  # type: ignore[list-item]
            vpc_id=pulumi.Output.from_input("v"),
        )
        code = ZipCode(path="functions/api", handler="handler.handler", runtime="python3.13")
        return service, LambdaFunctionArgs(code=code, vpc=placement)

    service, function = _in_a_stack(build)
    assert isinstance(service.subnet_ids, pulumi.Output)
    assert function.vpc is not None and isinstance(function.vpc.subnet_ids, list)
    assert isinstance(function.vpc.subnet_ids[0], pulumi.Output)


def test_valid_args_of_every_kind_still_construct() -> None:
    assert service_args(container=container(image=RegistryImage(uri="public.ecr.aws/x/y:1.0"), port=80)).cpu == 512


@pytest.mark.parametrize(
    ("value", "hint", "fits"),
    [
        (3, int | None, True),
        (None, int | None, True),
        (True, int | None, False),  # a bool is no int here, whatever its class says
        (True, bool | None, True),
        (1, bool | None, False),
        (1, float | None, True),  # an int is a float
        ("a", typing.Literal["a", "b"] | None, True),
        ("c", typing.Literal["a", "b"] | None, False),
    ],
)
def test_a_union_takes_exactly_what_one_of_its_members_takes(value: object, hint: object, fits: bool) -> None:
    assert (field_types._mismatches(value, hint, "field") == []) is fits
