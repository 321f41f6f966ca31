"""LambdaFunction: a production Lambda function with its alias, logs, role, triggers and failure handling.

Public: the names in `__all__` (also re-exported by `components`). Every other module of
this package is private to it: `args` (the dataclasses), `rules` (their validation),
`resources` (the ComponentResource) and its helpers.
"""

from __future__ import annotations

from components.lambda_function import rules as _rules  # noqa: F401 (registers the args' rules, see CheckedArgs)
from components.lambda_function.args import (
    AsyncFailure,
    AsyncInvokeArgs,
    EventRuleArgs,
    EventTarget,
    FunctionRef,
    FunctionUrlArgs,
    ImageCode,
    InvokeMode,
    LambdaFunctionArgs,
    LogLevel,
    PowertoolsArgs,
    ScheduleArgs,
    SqsTriggerArgs,
    SystemLogLevel,
    TracingMode,
    UrlAuth,
    VpcPlacement,
    ZipCode,
)
from components.lambda_function.resources import LambdaFunction

__all__ = [
    "AsyncFailure",
    "AsyncInvokeArgs",
    "EventRuleArgs",
    "EventTarget",
    "FunctionRef",
    "FunctionUrlArgs",
    "ImageCode",
    "InvokeMode",
    "LambdaFunction",
    "LambdaFunctionArgs",
    "LogLevel",
    "PowertoolsArgs",
    "ScheduleArgs",
    "SqsTriggerArgs",
    "SystemLogLevel",
    "TracingMode",
    "UrlAuth",
    "VpcPlacement",
    "ZipCode",
]
