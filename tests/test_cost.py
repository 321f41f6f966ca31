"""`python -m offline cost`: every registered type priced or declared free, and the
arithmetic of the main charges checked by hand against the pinned us-east-1 prices."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import stage
from offline import cost, pricing
from offline.cost import Charge, Estimate
from offline.engine import Plan

HOURS = 730


def _charges(estimate: Estimate, resource: str) -> dict[str, Charge]:
    return {c.charge: c for c in estimate.charges if c.resource == resource}


def _with_assumptions(plan: Plan, assumptions: dict[str, Any]) -> Plan:
    return dataclasses.replace(plan, config={**plan.config, "aws-compute:costAssumptions": assumptions})


def _with_inputs(plan: Plan, name: str, **inputs: Any) -> Plan:
    """The plan with one resource's inputs changed (no new program run)."""
    resources = [dataclasses.replace(r, inputs={**r.inputs, **inputs}) if r.name == name else r for r in plan.resources]
    return dataclasses.replace(plan, resources=resources)


@pytest.fixture(scope="module")
def dev(dev_plan: Plan) -> Estimate:
    return cost.estimate(dev_plan)


@pytest.fixture(scope="module")
def prod(prod_plan: Plan) -> Estimate:
    return cost.estimate(prod_plan)


@pytest.fixture(scope="module")
def network_prod(network_prod_plan: Plan) -> Estimate:
    return cost.estimate(network_prod_plan)


def test_every_type_the_stacks_register_is_priced_or_declared_free(stack_plans: dict[str, Plan]) -> None:
    registered = cost.registered_types(stack_plans.values())
    assert registered - set(cost.PRICED) - set(cost.FREE) == set()
    assert set(cost.PRICED) & set(cost.FREE) == set()
    assert all(cost.estimate(plan).unpriced == [] for plan in stack_plans.values())


def test_a_type_neither_priced_nor_free_is_reported(dev_plan: Plan) -> None:
    vpc = dev_plan.named("network-vpc")
    unknown = dataclasses.replace(vpc, type="aws:rds/instance:Instance", name="db", urn=vpc.urn + "-db")
    estimate = cost.estimate(dataclasses.replace(dev_plan, resources=[*dev_plan.resources, unknown]))
    assert estimate.unpriced == ["aws:rds/instance:Instance"]


def test_nat_gateway_by_hand(dev: Estimate) -> None:
    nat = _charges(dev, "network-nat-0")
    assert nat["NAT gateway hours"].low == pytest.approx(730 * 0.045)  # 32.85
    assert nat["NAT data processed"].low == pytest.approx(100 * 0.045)  # 100 GB assumed: 4.50
    assert nat["NAT data processed"].basis == "100 GB natGatewayGbPerMonth × $0.045/GB"
    assert _charges(dev, "network-nat-eip-0")["public IPv4 address"].high == pytest.approx(730 * 0.005)
    assert [c.component for c in dev.charges if c.resource.startswith("network-nat")] == ["network"] * 3


def test_fargate_task_by_hand(prod: Estimate) -> None:
    per_task_month = (0.5 * 0.03238 + 1 * 0.00356) * 730  # 0.5 vCPU / 1 GB ARM64: $14.4175
    api = _charges(prod, "svc-api-service")
    assert set(api) == {"Fargate tasks"}
    assert (api["Fargate tasks"].low, api["Fargate tasks"].high) == pytest.approx(
        (2 * per_task_month, 10 * per_task_month)
    )


def test_fargate_spot_share_follows_the_capacity_provider_base_and_weights(prod: Estimate) -> None:
    per_task_month = (0.5 * 0.03238 + 1 * 0.00356) * 730
    worker = _charges(prod, "svc-worker-service")  # 1-20 tasks; FARGATE base 1 weight 1, FARGATE_SPOT weight 2
    assert worker["Fargate tasks"].low == pytest.approx(per_task_month)
    assert worker["Fargate tasks"].high == pytest.approx((1 + 19 / 3) * per_task_month)
    assert worker["Fargate Spot tasks"].low == 0
    assert worker["Fargate Spot tasks"].high == pytest.approx(19 * 2 / 3 * per_task_month * (1 - 0.60))


def test_scheduled_fargate_job_is_priced_per_run(prod: Estimate) -> None:
    job = _charges(prod, "svc-nightly-report-schedule")["Fargate tasks"]
    runs = 365 / 12  # cron(0 2 * * ? *): daily
    assert job.low == job.high == pytest.approx(runs * 10 / 60 * (1 * 0.03238 + 2 * 0.00356))


def test_ec2_instances_by_hand(prod: Estimate) -> None:
    instance_month = 0.0816 * 730  # m7g.large, the group's first type: $59.568
    web = _charges(prod, "web-asg")  # 2-10 instances, on-demand base 2 then 25%
    on_demand, spot = web["EC2 on-demand m7g.large"], web["EC2 Spot m7g.large"]
    assert (on_demand.low, on_demand.high) == pytest.approx((2 * instance_month, 4 * instance_month))
    assert (spot.low, spot.high) == pytest.approx((0, 6 * instance_month * 0.4))
    assert (web["EBS volumes"].low, web["EBS volumes"].high) == pytest.approx((2 * 30 * 0.08, 10 * 30 * 0.08))


def test_spot_node_group_and_its_gp3_volumes(dev: Estimate) -> None:
    nodes = _charges(dev, "eks-spot")  # 1-3 SPOT t4g.medium, 30 GiB gp3
    assert nodes["EC2 Spot t4g.medium"].high == pytest.approx(3 * 0.0336 * 730 * 0.4)
    assert nodes["EBS volumes"].low == pytest.approx(30 * 0.08)
    assert "EC2 on-demand t4g.medium" not in nodes


def test_gp3_iops_and_throughput_above_baseline_are_charged(prod_plan: Plan) -> None:
    template = prod_plan.named("web-lt")
    volume = {**template.inputs["blockDeviceMappings"][0]["ebs"], "iops": 4000, "throughput": 250}
    plan = _with_inputs(prod_plan, "web-lt", blockDeviceMappings=[{"deviceName": "/dev/xvda", "ebs": volume}])
    ebs = _charges(cost.estimate(plan), "web-asg")["EBS volumes"]
    assert ebs.low == pytest.approx(2 * (30 * 0.08 + 1000 * 0.005 + 125 * 0.04))
    assert "1,000 IOPS × $0.005*" in ebs.basis


def test_eks_control_plane_standard_and_extended_support(prod: Estimate, prod_plan: Plan) -> None:
    assert _charges(prod, "eks-cluster")["EKS control plane (standard support, 1.36)"].low == pytest.approx(73.0)
    extended = cost.estimate(_with_inputs(prod_plan, "eks-cluster", version="1.33"))
    assert _charges(extended, "eks-cluster")["EKS control plane (extended support, 1.33)"].low == pytest.approx(438.0)


def test_eks_auto_mode_nodes_and_fee_come_from_assumptions(prod_plan: Plan) -> None:
    plan = _with_inputs(prod_plan, "eks-cluster", computeConfig={"enabled": True, "nodePools": ["general-purpose"]})
    plan = _with_assumptions(plan, {"eksAutoModeNodes": {"instanceType": "c7g.large", "min": 1, "max": 4}})
    cluster = _charges(cost.estimate(plan), "eks-cluster")
    assert cluster["EC2 on-demand c7g.large"].high == pytest.approx(4 * 0.0725 * 730)
    assert cluster["EKS Auto Mode management fee"].low == pytest.approx(0.0725 * 0.12 * 730)


def test_lambda_provisioned_concurrency_and_kms_key(prod: Estimate) -> None:
    provisioned = _charges(prod, "fn-api-provisioned")["Lambda provisioned concurrency"]
    assert provisioned.low == pytest.approx(2 * 1 * 730 * 3600 * 0.0000033334)  # 2 × 1 GB arm64
    key = _charges(prod, "eks-secrets-key")["KMS key"]
    assert (key.low, key.high) == (1.0, 3.0)  # rotation on: a backing key a year, the first two billed


def test_log_group_storage_follows_retention(network_prod: Estimate, dev: Estimate) -> None:
    assert _charges(network_prod, "network-flow-logs")["log storage"].low == pytest.approx(1 * 12 * 0.03)  # 365 days
    assert _charges(dev, "network-flow-logs")["log storage"].low == pytest.approx(14 / (365 / 12) * 0.03)
    assert _charges(dev, "network-flow-logs")["log ingestion"].low == pytest.approx(0.50)


def test_target_tracking_policies_pay_for_their_two_alarms(prod: Estimate) -> None:
    assert _charges(prod, "svc-api-scale-on-cpu")["target-tracking alarms"].low == pytest.approx(0.2)
    assert _charges(prod, "web-predictive") == {}


def test_interface_endpoints_are_priced_per_az_and_gateway_endpoints_free(network_prod: Estimate) -> None:
    ecr = _charges(network_prod, "network-ecr-api-endpoint")
    assert ecr["interface endpoint AZ-hours"].low == pytest.approx(3 * 730 * 0.01)
    assert ecr["interface endpoint data"].low == pytest.approx(10 * 0.01)
    assert _charges(network_prod, "network-s3-endpoint") == {}


def test_alb_hours_lcus_and_one_public_address_per_az(prod: Estimate) -> None:
    alb = _charges(prod, "alb-alb")
    assert alb["ALB hours"].low == pytest.approx(730 * 0.0225)
    assert alb["ALB LCUs"].low == pytest.approx(1 * 730 * 0.008)
    assert alb["public IPv4, one per AZ (at least)"].low == pytest.approx(3 * 730 * 0.005)


def test_assumptions_set_in_the_stack_change_usage_charges(dev_plan: Plan) -> None:
    plan = _with_assumptions(dev_plan, {"natGatewayGbPerMonth": 1000, "spotDiscountPercent": {"fargate": 70}})
    estimate = cost.estimate(plan)
    assert _charges(estimate, "network-nat-0")["NAT data processed"].low == pytest.approx(45.0)
    worker = _charges(estimate, "svc-worker-service")["Fargate Spot tasks"]
    assert worker.high == pytest.approx(3 * (0.25 * 0.03238 + 0.5 * 0.00356) * 730 * 0.3)
    assert ("natGatewayGbPerMonth", 1000, True) in estimate.assumptions.listed()
    assert ("spotDiscountPercent.ec2", 60, False) in estimate.assumptions.listed()


def test_bad_assumptions_are_stage_config_errors() -> None:
    config, lines = stage.validate({"costAssumptions": {"albLcu": 2, "eksFargatePods": {"min": 5, "max": 1}}})
    assert config is None
    assert lines == [
        "aws-compute:costAssumptions.eksFargatePods: min (5) is above max (1); set min <= max",
        "aws-compute:costAssumptions.albLcu: unknown key; did you mean 'albLcus'? allowed keys: natGatewayGbPerMonth,"
        " interfaceEndpointGbPerMonth, albLcus, logIngestionGbPerMonth, lambdaRequestsPerMonth,"
        " lambdaAverageDurationMs, sqsRequestsPerMonth, httpApiRequestsPerMonth, customEventsPerMonth,"
        " scheduledTaskMinutes, ecrStorageGbPerRepository, wafRequestsPerMonth, spotDiscountPercent, eksFargatePods,"
        " eksAutoModeNodes",
    ]


def test_bad_assumptions_stop_the_estimate_of_any_program(dev_plan: Plan) -> None:
    with pytest.raises(pricing.CostError) as error:
        cost.estimate(_with_assumptions(dev_plan, {"spotDiscountPercent": {"ec2": 100}}))
    assert str(error.value) == (
        "Pulumi.dev.yaml has bad cost assumptions:\n"
        "  - aws-compute:costAssumptions.spotDiscountPercent.ec2: Input should be less than 100"
    )


def test_a_missing_price_row_names_the_file_and_the_row(prod_plan: Plan) -> None:
    prices = pricing.load("us-east-1")
    del prices.rows["ec2/m7g.large"]
    with pytest.raises(pricing.CostError, match=r"^us-east-1\.toml has no price row 'ec2/m7g\.large'; add it"):
        cost.estimate(prod_plan, prices)


def test_a_region_without_prices_is_refused(dev_plan: Plan) -> None:
    with pytest.raises(pricing.CostError, match=r"no price file for region 'ap-south-2' \(ap-south-2\.toml\); prices"):
        cost.estimate(dataclasses.replace(dev_plan, region="ap-south-2"))


def test_eu_west_1_prices_and_their_unconfirmed_rows_are_flagged(dev_plan: Plan) -> None:
    estimate = cost.estimate(dev_plan, pricing.load("eu-west-1"))
    nat = _charges(estimate, "network-nat-0")["NAT gateway hours"]
    assert nat.low == pytest.approx(730 * 0.048)
    assert nat.basis == "730 h × $0.048*/h"
    assert estimate.total[0] > cost.estimate(dev_plan).total[0]


def test_price_files_agree_on_rows_and_cite_aws_pages() -> None:
    books = [pricing.load(path.stem) for path in sorted(pricing.PRICES_DIR.glob("*.toml"))]
    assert [b.region for b in books] == ["eu-west-1", "us-east-1"]
    assert books[0].rows.keys() == books[1].rows.keys()
    for book in books:
        assert all(row.source.startswith("https://aws.amazon.com/") for row in book.rows.values())
        assert book.as_of.isoformat() == "2026-12-01"


def test_monthly_range_is_the_estimate_total(dev_plan: Plan, dev: Estimate) -> None:
    low, high = cost.monthly_range(dev_plan)
    assert (low, high) == dev.total
    assert low == pytest.approx(sum(c.low for c in dev.charges))
    assert low < high  # scaled services, groups and node groups


def test_http_api_requests_and_custom_events_come_from_assumptions(prod: Estimate, prod_plan: Plan) -> None:
    api = _charges(prod, "api-public-api")["HTTP API requests"]
    assert (api.low, api.basis) == (pytest.approx(1.0), "1,000,000 httpApiRequestsPerMonth × $0.000001")
    events = _charges(prod, "events-bus")["EventBridge custom events"]
    assert (events.low, events.basis) == (pytest.approx(1.0), "1,000,000 customEventsPerMonth × $0.000001")
    busier = cost.estimate(_with_assumptions(prod_plan, {"httpApiRequestsPerMonth": 5e6, "customEventsPerMonth": 0}))
    assert _charges(busier, "api-public-api")["HTTP API requests"].low == pytest.approx(5.0)
    assert _charges(busier, "events-bus")["EventBridge custom events"].low == 0
