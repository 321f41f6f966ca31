"""Values that name AWS things are checked against what exists, with a did-you-mean, and
reported at their stack-file key path."""

from __future__ import annotations

import importlib.util
import json
import marshal
import sys
from pathlib import Path
from typing import Any

import pytest
from botocore.loaders import create_loader

import stage
from components.catalogue import models
from components.catalogue.zones import ZONE_LETTERS, zone_names
from components.lambda_runtimes import DEPRECATED, SUPPORTED
from offline import fixtures

_ZIP = {"kind": "zip", "path": "functions/api", "handler": "handler.handler", "runtime": "python3.13"}


def lines_for(values: dict[str, Any], region: str | None = None) -> list[str]:
    config, lines = stage.validate(values, region=region)
    assert config is None
    return lines


def test_an_az_of_another_region_names_the_regions_zones() -> None:
    assert lines_for({"network": {"availabilityZones": ["eu-west-1a", "eu-west-1d"]}}, region="eu-west-1") == [
        "aws-compute:network.availabilityZones: 'eu-west-1d' is not an Availability Zone of eu-west-1"
        " (did you mean 'eu-west-1c'?); the Region's zones are eu-west-1a, eu-west-1b, eu-west-1c"
    ]
    assert lines_for({"network": {"availabilityZones": ["us-east-1a", "us-east-1b"]}}, region="us-west-2") == [
        f"aws-compute:network.availabilityZones: '{zone}' is not an Availability Zone of us-west-2 ('{zone}' is in"
        f" 'us-east-1') (did you mean 'us-west-2{zone[-1]}'?); the Region's zones are us-west-2a, us-west-2b,"
        " us-west-2c, us-west-2d"
        for zone in ("us-east-1a", "us-east-1b")
    ]


def test_an_az_that_is_no_zone_name_is_refused_in_any_region() -> None:
    assert lines_for({"network": {"availabilityZones": ["use1-az1", "us-east-1a"]}}) == [
        "aws-compute:network.availabilityZones: 'use1-az1' is not an Availability Zone name; write the Region"
        " and a letter, e.g. 'us-east-1a'"
    ]


def test_pinned_regions_are_regions_botocore_knows() -> None:
    partitions = create_loader().load_data("endpoints")["partitions"]
    regions = {region for partition in partitions for region in partition["regions"]}
    assert set(ZONE_LETTERS) <= regions
    commercial = next(p for p in partitions if p["partition"] == "aws")
    assert set(commercial["regions"]) <= set(ZONE_LETTERS), "pin the zones of every commercial Region"


def test_offline_fixture_answers_the_regions_zones() -> None:
    answer = fixtures.invoke("aws:index/getAvailabilityZones:getAvailabilityZones", {}, "ap-northeast-1")
    assert answer["names"] == list(zone_names("ap-northeast-1") or ())
    assert answer["zoneIds"] == ["apne1-az1", "apne1-az2", "apne1-az3", "apne1-az4"]


def test_unknown_interface_endpoint_service_suggests_the_closest() -> None:
    assert lines_for({"network": {"interfaceEndpoints": ["ecr.apii", "logs", "cloudwatch-logs"]}}) == [
        "aws-compute:network.interfaceEndpoints: 'ecr.apii' is not an interface endpoint service"
        " (did you mean 'ecr.api'?); write the short name AWS PrivateLink lists (e.g. 'ecr.api', 'logs', 'sts')",
        "aws-compute:network.interfaceEndpoints: 'cloudwatch-logs' is not an interface endpoint service;"
        " write the short name AWS PrivateLink lists (e.g. 'ecr.api', 'logs', 'sts')",
    ]


def test_instance_types_are_checked_against_the_ec2_api_model() -> None:
    group = {"architecture": "arm64", "instanceTypes": ["m7g.lage", "t4g.medium"]}
    node_group = {"instanceTypes": ["m7g.large", "c7g.xlargee"]}
    lines = lines_for(
        {
            "autoscaling": {"web": group},
            "eks": {"adminPrincipalArns": ["arn:aws:iam::123456789012:role/admin"], "nodeGroups": {"ng": node_group}},
        }
    )
    assert lines == [
        "aws-compute:autoscaling.web.instanceTypes: 'm7g.lage' is not an EC2 instance type (did you mean 'm7g.large'?)",
        "aws-compute:eks.nodeGroups.ng.instanceTypes: 'c7g.xlargee' is not an EC2 instance type"
        " (did you mean 'c7g.xlarge'?)",
    ]


def test_a_misspelled_runtime_suggests_the_runtime() -> None:
    [line] = lines_for({"functions": {"api": {"code": {**_ZIP, "runtime": "pyhton3.13"}, "timeoutSeconds": 5}}})
    assert line.startswith(
        "aws-compute:functions.api.code.runtime: 'pyhton3.13' is not a Lambda runtime (did you mean 'python3.13'?);"
    )


def test_every_supported_runtime_is_one_the_lambda_api_knows() -> None:
    assert set(SUPPORTED) <= models.lambda_runtimes()
    # dotnet7 and dotnet5.0 were container-image-only: the API never listed them.
    assert DEPRECATED - models.lambda_runtimes() == {"dotnet7", "dotnet5.0"}


def test_a_kubernetes_version_suggests_the_closest_supported() -> None:
    eks = {
        "kubernetesVersion": "1.3",
        "adminPrincipalArns": ["arn:aws:iam::123456789012:role/a"],
        "compute": "autoMode",
    }
    [line] = lines_for({"eks": eks})
    assert line.startswith(
        "aws-compute:eks.kubernetesVersion: Kubernetes '1.3' is not a version EKS supports (did you mean '1.36'?);"
    )


# ---------------------------------------------------------------- a model's parse, kept
MODEL = {"version": "2.0", "operations": {"Op": {"input": {"shape": "In"}}}, "shapes": {"In": {"type": "string"}}}
#: What `_sections` gives of MODEL.
SECTIONS = {"operations": MODEL["operations"], "shapes": MODEL["shapes"]}


def sections(model_file: Path, cache_file: Path) -> dict[str, dict[str, Any]]:
    operations, shapes = models._sections(model_file, cache_file)
    return {"operations": dict(operations), "shapes": dict(shapes)}


def test_a_model_is_parsed_once_and_read_again_from_its_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    model_file, cache_file = tmp_path / "service-2.json", tmp_path / "__pycache__" / "svc.marshal"
    model_file.write_text(json.dumps(MODEL))
    assert sections(model_file, cache_file) == SECTIONS
    assert cache_file.is_file()

    with monkeypatch.context() as parse:
        parse.setattr(json, "loads", lambda _: pytest.fail("parsed again"))
        assert sections(model_file, cache_file) == SECTIONS

    changed = {**MODEL, "shapes": {"In": {"type": "integer"}}}
    model_file.write_text(json.dumps(changed))  # another size: the cache no longer answers
    assert sections(model_file, cache_file) == {**SECTIONS, "shapes": changed["shapes"]}
    assert sections(model_file, cache_file) == {**SECTIONS, "shapes": changed["shapes"]}


def test_a_kept_entry_is_unmarshalled_when_first_read_and_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    model_file, cache_file = tmp_path / "service-2.json", tmp_path / "svc.marshal"
    model_file.write_text(json.dumps({**MODEL, "shapes": {"In": {"type": "string"}, "Out": {"type": "list"}}}))
    models._sections(model_file, cache_file)
    loads, read = marshal.loads, []

    def recording_loads(data: bytes) -> Any:
        read.append(bytes(data))
        return loads(data)

    monkeypatch.setattr(marshal, "loads", recording_loads)
    operations, shapes = models._sections(model_file, cache_file)
    assert len(read) == 1  # the index alone
    assert "Out" in shapes and sorted(shapes) == ["In", "Out"] and len(read) == 1
    assert shapes["Out"] == {"type": "list"} and shapes["Out"] is shapes["Out"]
    assert [loads(data) for data in read[1:]] == [{"type": "list"}]
    assert operations["Op"] == {"input": {"shape": "In"}} and len(read) == 3


def test_a_cache_of_another_interpreter_or_layout_or_none_at_all_is_a_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model_file, cache_file = tmp_path / "service-2.json", tmp_path / "svc.marshal"
    model_file.write_text(json.dumps(MODEL))
    stamp = (str(model_file), model_file.stat().st_size, model_file.stat().st_mtime_ns)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    for kept in (
        b"\x00\x00\r\n" + marshal.dumps((stamp, {})),  # another interpreter's
        importlib.util.MAGIC_NUMBER + marshal.dumps((stamp, MODEL)),  # the whole parse, as it was kept before
    ):
        cache_file.write_bytes(kept)
        assert sections(model_file, cache_file) == SECTIONS
        assert cache_file.read_bytes() == kept  # not written without bytecode


def test_the_service_models_a_plan_reads_are_cached_beside_the_bytecode() -> None:
    assert models._cache_file("ec2") == (
        Path(models.__file__).parent / "__pycache__" / f"botocore-ec2.{sys.implementation.cache_tag}.marshal"
    )
