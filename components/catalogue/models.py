"""AWS's own API models, as published in botocore (pinned in constraints.txt).

Loading a service model takes tens of milliseconds, so each is loaded once per process.
"""

from __future__ import annotations

from functools import cache

import botocore.session
from botocore.model import ServiceModel, Shape

from components.validation import did_you_mean


@cache
def _session() -> botocore.session.Session:
    """One botocore session for every model: each new one registers its ~100 handlers again."""
    return botocore.session.get_session()


@cache
def service_model(service: str) -> ServiceModel:
    """The botocore model of `service` (`ec2`, `lambda`, `ecs`, ...)."""
    return _session().get_service_model(service)


def shape(service: str, name: str) -> Shape:
    return service_model(service).shape_for(name)


@cache
def enum(service: str, shape_name: str) -> frozenset[str]:
    """The values an enum shape allows (`ec2` `InstanceType`, `lambda` `Runtime`)."""
    return frozenset(shape(service, shape_name).enum)


def instance_types() -> frozenset[str]:
    """Every EC2 instance type the EC2 API knows."""
    return enum("ec2", "InstanceType")


def lambda_runtimes() -> frozenset[str]:
    """Every runtime identifier the Lambda API knows (supported or not)."""
    return enum("lambda", "Runtime")


def unknown_instance_type(instance_type: str) -> str | None:
    """Why `instance_type` is not an EC2 instance type (with a did-you-mean), or None."""
    if instance_type in instance_types():
        return None
    return f"{instance_type!r} is not an EC2 instance type{did_you_mean(instance_type, instance_types())}"
