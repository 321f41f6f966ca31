"""LambdaLayer and functions' layers: exact inputs registered, every rule through the args and
through the stack file's key path, and the limits checked against botocore's Lambda model."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import botocore.session
import pytest

import stage
from components import (
    Architecture,
    ArgsError,
    ImageCode,
    LambdaFunction,
    LambdaFunctionArgs,
    LambdaLayer,
    LambdaLayerArgs,
    LayerRef,
    PowertoolsArgs,
    ZipCode,
)
from components.lambda_function.rules import LAYER_VERSION_ARN, MAX_LAYERS
from components.lambda_layer import rules as layer_rules
from components.lambda_layer.rules import DESCRIPTION_MAX, LICENSE_MAX, MAX_ARCHITECTURES, MAX_RUNTIMES
from offline.engine import Plan, run

API = ZipCode(path="functions/api", handler="handler.handler", runtime="python3.13")
ZIP = {"kind": "zip", "path": "functions/api", "handler": "handler.handler", "runtime": "python3.13"}
ARN = "arn:aws:lambda:us-east-1:123456789012:layer:shared:4"
LAYER_CONFIG = {"path": "layers/common", "compatibleRuntimes": ["python3.13"]}


def lambda_model() -> Any:
    return botocore.session.get_session().get_service_model("lambda").shape_for("PublishLayerVersionRequest")


def ref(
    name: str, runtimes: tuple[str, ...] = ("python3.13",), archs: tuple[Architecture, ...] = ("arm64",)
) -> LayerRef:
    arn = f"arn:aws:lambda:us-east-1:123456789012:layer:{name}:1"
    return LayerRef(name=name, arn=arn, compatible_runtimes=runtimes, compatible_architectures=archs)


@pytest.fixture(scope="module")
def layer_plan() -> Plan:
    def program() -> None:
        layer = LambdaLayer(
            "layer-common",
            LambdaLayerArgs(
                path="layers/common",
                layer_name="shop-dev-common",
                compatible_runtimes=("python3.13",),
                description="shared",
                license_info="MIT",
            ),
        )
        LambdaFunction(
            "fn",
            LambdaFunctionArgs(
                code=API,
                powertools=PowertoolsArgs(service_name="api", metrics_namespace="Shop"),
                layers=(layer.ref(), ARN),
            ),
        )

    return run(program)


# ---------------------------------------------------------------- what is registered
def test_layer_version_is_published_from_the_folder(layer_plan: Plan) -> None:
    inputs = dict(layer_plan.named("layer-common-version").inputs)
    assert inputs.pop("code").path == "layers/common"
    assert inputs == {
        "layerName": "shop-dev-common",
        "compatibleRuntimes": ["python3.13"],
        "compatibleArchitectures": ["arm64"],
        "description": "shared",
        "licenseInfo": "MIT",
    }


def test_function_attaches_powertools_then_its_layers_in_order(layer_plan: Plan) -> None:
    assert layer_plan.named("fn-function").inputs["layers"] == [
        "arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:27",
        "arn:aws:lambda:us-east-1:123456789012:layer:shop-dev-common:1",
        ARN,
    ]


def test_a_function_without_layers_has_no_layers_input() -> None:
    plan = run(lambda: LambdaFunction("fn", LambdaFunctionArgs(code=API)))
    assert "layers" not in plan.named("fn-function").inputs


@pytest.mark.parametrize("stack", ["dev", "apps-prod"])
def test_every_stage_publishes_the_common_layer_for_its_api(stack_plans: dict[str, Plan], stack: str) -> None:
    plan = stack_plans[stack]
    layer = plan.named("layer-common-version")
    assert layer.inputs["layerName"] == f"aws-compute-{stack}-common"
    assert (layer.inputs["compatibleRuntimes"], layer.inputs["compatibleArchitectures"]) == (["python3.13"], ["arm64"])
    assert plan.outputs["layerArns"] == {"common": layer.state["arn"]}
    assert plan.named("fn-api-function").inputs["layers"][-1] == layer.state["arn"]


def test_the_common_layer_is_importable_where_lambda_puts_it() -> None:
    assert (Path("layers/common/python") / "common_http.py").is_file()


# ---------------------------------------------------------------- LambdaLayerArgs rules
def layer_args(**changes: Any) -> LambdaLayerArgs:
    values: dict[str, Any] = {
        "path": "layers/common",
        "layer_name": "shop-dev-common",
        "compatible_runtimes": ("python3.13",),
    } | changes
    return LambdaLayerArgs(**values)


#: (id, LambdaLayerArgs changes, layer config changes, YAML key, whole message)
LAYER_CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    ("missing folder", {"path": "layers/nope"}, {"path": "layers/nope"}, "path",
     "'layers/nope' is not a directory of this project"),
    ("folder without a runtime folder", {"path": "functions/api"}, {"path": "functions/api"}, "path",
     "functions/api holds none of bin/, extensions/, lib/, python/; Lambda extracts a layer to /opt and the runtime"
     " only looks there, so put the content under one of them"),
    ("no runtimes", {"compatible_runtimes": ()}, {"compatibleRuntimes": []}, "compatibleRuntimes",
     "list 1 to 15 runtimes, not 0"),
    ("deprecated runtime", {"compatible_runtimes": ("python3.9",)}, {"compatibleRuntimes": ["python3.9"]},
     "compatibleRuntimes",
     "'python3.9' is deprecated (AWS no longer patches it and blocks creating functions on it); use 'python3.14'"),
    ("runtime twice", {"compatible_runtimes": ("python3.13", "python3.13")},
     {"compatibleRuntimes": ["python3.13", "python3.13"]}, "compatibleRuntimes",
     "lists a runtime twice; list each once"),
    ("architecture twice", {"compatible_architectures": ("arm64", "arm64")},
     {"compatibleArchitectures": ["arm64", "arm64"]}, "compatibleArchitectures",
     "list arm64, x86_64 or both, each once"),
    ("long description", {"description": "d" * 257}, {"description": "d" * 257}, "description",
     "257 characters; Lambda takes 256"),
    ("long license", {"license_info": "l" * 513}, {"licenseInfo": "l" * 513}, "licenseInfo",
     "513 characters; Lambda takes 512"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "message"), [(c[1], c[4]) for c in LAYER_CASES], ids=[c[0] for c in LAYER_CASES])
def test_layer_args_reject(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ArgsError) as error:
        layer_args(**changes)
    assert [p.message for p in error.value.problems] == [message]


@pytest.mark.parametrize(("config", "key", "message"), [c[2:] for c in LAYER_CASES], ids=[c[0] for c in LAYER_CASES])
def test_layer_stack_file_rejects(config: dict[str, Any], key: str, message: str) -> None:
    _, lines = stage.validate({"layers": {"common": LAYER_CONFIG | config}})
    assert lines == [f"aws-compute:layers.common.{key}: {message}"]


def test_layer_names_follow_the_lambda_api() -> None:
    with pytest.raises(ArgsError, match=re.escape("'shop dev': letters, digits, - and _, 1 to 140 characters")):
        layer_args(layer_name="shop dev")
    assert layer_args(layer_name="x" * 140).layer_name == "x" * 140
    with pytest.raises(ArgsError):
        layer_args(layer_name="x" * 141)


def test_extensions_must_be_executable(tmp_path: Path) -> None:
    (tmp_path / "extensions").mkdir()
    extension = tmp_path / "extensions" / "telemetry"
    extension.write_text("#!/bin/sh\n")
    with pytest.raises(ArgsError) as error:
        layer_args(path=str(tmp_path), compatible_runtimes=("provided.al2023",))
    assert [p.message for p in error.value.problems] == [
        "extensions/telemetry is not executable; Lambda starts every file in extensions/"
    ]
    _, lines = stage.validate({"layers": {"ext": {"path": str(tmp_path), "compatibleRuntimes": ["provided.al2023"]}}})
    assert lines == [
        "aws-compute:layers.ext.path: extensions/telemetry is not executable; Lambda starts every file in extensions/"
    ]
    os.chmod(extension, 0o755)
    assert layer_args(path=str(tmp_path), compatible_runtimes=("provided.al2023",)).path == str(tmp_path)


def test_layers_above_lambdas_unzipped_quota_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layer_rules, "MAX_UNZIPPED_BYTES", 100)  # the folder holds a few hundred bytes
    message = "0 MiB unzipped; a function and its layers may hold 250 MiB in all"
    with pytest.raises(ArgsError) as error:
        layer_args()
    assert [p.message for p in error.value.problems] == [message]
    _, lines = stage.validate({"layers": {"common": LAYER_CONFIG}})
    assert lines == [f"aws-compute:layers.common.path: {message}"]


def test_container_images_take_no_layers_in_the_stack_file() -> None:
    image = {"kind": "image", "imageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1"}
    _, lines = stage.validate({"functions": {"api": {"code": image, "layers": [ARN]}}})
    assert lines == [
        "aws-compute:functions.api.layers: container images cannot use layers; copy their content into the image"
    ]


def test_layer_names_in_the_stack_file_are_lowercase() -> None:
    _, lines = stage.validate({"layers": {"Common": LAYER_CONFIG}})
    assert lines == [
        "aws-compute:layers.Common.[key]: String should match pattern '^[a-z][a-z0-9-]{0,62}$' (got 'Common')"
    ]


# ---------------------------------------------------------------- a function's layers
#: (id, LambdaFunctionArgs changes, function config changes, stage layers, YAML key, whole message)
FUNCTION_CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    ("not a layer version ARN", {"layers": ("arn:aws:lambda:us-east-1:123456789012:layer:shared",)},
     {"layers": ["arn:aws:lambda:us-east-1:123456789012:layer:shared"]}, "layers[0]",
     "'arn:aws:lambda:us-east-1:123456789012:layer:shared' is not a layer version ARN"
     " (arn:aws:lambda:<region>:<account>:layer:<name>:<version>)"),
    ("runtime not listed", {"layers": (ref("py312", runtimes=("python3.12",)),)}, {"layers": ["py312"]}, "layers[0]",
     "layer 'py312' is published for python3.12, not python3.13; add the runtime to the layer or remove it from the"
     " function"),
    ("architecture not listed", {"layers": (ref("x86", archs=("x86_64",)),)}, {"layers": ["x86"]}, "layers[0]",
     "layer 'x86' is built for x86_64, not arm64; its native code would not load"),
    ("attached twice", {"layers": (ARN, ARN)}, {"layers": [ARN, ARN]}, "layers[1]",
     f"'{ARN}' is attached twice; list each layer once"),
    ("unknown stage layer", {}, {"layers": ["nope"]}, "layers[0]",
     "no layer 'nope' in aws-compute:layers; define it there or give a layer version ARN"),
    ("more than five with Powertools",
     {"powertools": PowertoolsArgs(service_name="a", metrics_namespace="b"),
      "layers": tuple(f"{ARN[:-2]}{i}:1" for i in range(5))},
     {"powertools": {"serviceName": "a", "metricsNamespace": "b"}, "layers": [f"{ARN[:-2]}{i}:1" for i in range(5)]},
     "layers", "6 layers with Powertools; a function takes at most 5"),
]  # fmt: skip

STAGE_LAYERS = {
    "py312": {"path": "layers/common", "compatibleRuntimes": ["python3.12"]},
    "x86": {"path": "layers/common", "compatibleRuntimes": ["python3.13"], "compatibleArchitectures": ["x86_64"]},
}


@pytest.mark.parametrize(("changes", "message"), [(c[1], c[4]) for c in FUNCTION_CASES if c[1]],
                         ids=[c[0] for c in FUNCTION_CASES if c[1]])  # fmt: skip
def test_function_layer_args_reject(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ArgsError) as error:
        LambdaFunctionArgs(code=API, **changes)
    assert [p.message for p in error.value.problems] == [message]


@pytest.mark.parametrize(("config", "key", "message"), [c[2:] for c in FUNCTION_CASES],
                         ids=[c[0] for c in FUNCTION_CASES])  # fmt: skip
def test_function_layer_stack_file_rejects(config: dict[str, Any], key: str, message: str) -> None:
    _, lines = stage.validate({"layers": STAGE_LAYERS, "functions": {"api": {"code": ZIP} | config}})
    assert lines == [f"aws-compute:functions.api.{key}: {message}"]


def test_container_images_take_no_layers() -> None:
    with pytest.raises(ArgsError) as error:
        LambdaFunctionArgs(code=ImageCode(image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1"), layers=(ARN,))
    assert [(p.field, p.message) for p in error.value.problems] == [
        ("layers", "container images cannot use layers; copy their content into the image")
    ]


def test_five_layers_are_allowed() -> None:
    layers = tuple(f"{ARN[:-2]}{i}:1" for i in range(MAX_LAYERS))
    assert LambdaFunctionArgs(code=API, layers=layers).layers == layers


def test_a_stage_layer_fitting_the_function_passes() -> None:
    config, lines = stage.validate(
        {"layers": {"common": LAYER_CONFIG}, "functions": {"api": {"code": ZIP, "layers": ["common", ARN]}}}
    )
    assert lines == []
    assert config is not None and config.functions["api"].layers == ["common", ARN]


# ---------------------------------------------------------------- limits from AWS's own model
def test_layer_version_arn_pattern_is_the_lambda_models() -> None:
    model = botocore.session.get_session().get_service_model("lambda")
    assert LAYER_VERSION_ARN.pattern == "^" + model.shape_for("LayerVersionArn").metadata["pattern"] + "$"


def test_layer_limits_are_the_lambda_models() -> None:
    members = lambda_model().members
    assert members["CompatibleRuntimes"].metadata["max"] == MAX_RUNTIMES
    assert members["CompatibleArchitectures"].metadata["max"] == MAX_ARCHITECTURES
    assert members["Description"].metadata["max"] == DESCRIPTION_MAX
    assert members["LicenseInfo"].metadata["max"] == LICENSE_MAX
    model = botocore.session.get_session().get_service_model("lambda")
    assert model.shape_for("LayerName").metadata["max"] == 140
