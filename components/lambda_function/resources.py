"""LambdaFunction: a production Lambda function with its alias, logs, role, triggers and failure handling.

Every deploy publishes a version and moves the alias (`live` by default) to it; triggers,
function URL, provisioned concurrency and async settings all target the alias, so SnapStart
and provisioned concurrency apply to what is actually invoked. The arguments and their rules
live in `components.lambda_function.args`, the execution-role policy in `components.lambda_function.policy`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pulumi
import pulumi_aws as aws

from components.account_scope import AccountScope, account_scope
from components.alarms.sets import function_alarms
from components.child_keys import by_policy_name
from components.ecr_image import DockerBuildSpec, build_and_push
from components.iam import Statement, service_trust_policy
from components.lambda_function.args import (
    VISIBILITY_FACTOR,
    AsyncInvokeArgs,
    FunctionRef,
    FunctionUrlArgs,
    LambdaFunctionArgs,
    ScheduleArgs,
    SqsTriggerArgs,
    VpcPlacement,
    ZipCode,
)
from components.lambda_function.events import event_rules, event_targets, queue_rule_arns
from components.lambda_function.layers import attached_layers, layer_arns
from components.lambda_function.policy import execution_statements
from components.lambda_runtimes import deprecation_notice
from components.queues import dead_letter_queue, queue_with_dlq
from components.roles import role_with_grants
from components.scheduler_role import scheduler_role


class LambdaFunction(pulumi.ComponentResource):
    """Function, version alias, log group, execution role, and the triggers the args ask for."""

    function_name: pulumi.Output[str]
    function_arn: pulumi.Output[str]
    alias_name: pulumi.Output[str]
    alias_arn: pulumi.Output[str]
    role_arn: pulumi.Output[str]
    log_group_name: pulumi.Output[str]
    url: pulumi.Output[str] | None
    queue_url: pulumi.Output[str] | None
    failure_queue_arn: pulumi.Output[str] | None

    def __init__(self, name: str, args: LambdaFunctionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-compute:lambda_function:LambdaFunction", name, None, opts)
        self._name = name
        child = pulumi.ResourceOptions(parent=self)
        notice = deprecation_notice(args.runtime, date.today()) if args.runtime else None
        if notice:
            pulumi.log.warn(f"{name}: {notice}", resource=self)
        scope = account_scope(self)

        log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name_prefix=f"/aws/lambda/{name}-",
            retention_in_days=args.log_retention_days,
            opts=child,
        )
        failure_queue = self._failure_queue(name, args.async_invoke, child)
        rules = event_rules(name, args.events, child)
        queue_arn, queue_url, trigger_dlq_name = self._trigger_queue(
            name, args.sqs, args.timeout_seconds, queue_rule_arns(args.events, rules), child
        )
        security_group = self._security_group(name, args.vpc, child)

        execution = role_with_grants(
            name,
            description=f"Execution role of the {name} function",
            trust=service_trust_policy("lambda.amazonaws.com"),
            statements=execution_statements(
                args,
                log_group_arn=log_group.arn,
                trigger_queue_arn=queue_arn,
                failure_queue_arn=failure_queue.arn if failure_queue is not None else None,
                scope=scope,
            ),
            managed_policies=by_policy_name(args.managed_policy_arns),
            opts=child,
        )
        role = execution.role

        function = aws.lambda_.Function(
            f"{name}-function",
            role=role.arn,
            description=args.description,
            architectures=[args.architecture],
            memory_size=args.memory_mb,
            timeout=args.timeout_seconds,
            ephemeral_storage=aws.lambda_.FunctionEphemeralStorageArgs(size=args.ephemeral_storage_mb),
            publish=True,
            environment=self._environment(args),
            logging_config=aws.lambda_.FunctionLoggingConfigArgs(
                log_format="JSON",
                log_group=log_group.name,
                application_log_level=args.log_level,
                system_log_level=args.system_log_level,
            ),
            tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode=args.tracing),
            snap_start=aws.lambda_.FunctionSnapStartArgs(apply_on="PublishedVersions") if args.snap_start else None,
            reserved_concurrent_executions=args.reserved_concurrency,
            dead_letter_config=(
                aws.lambda_.FunctionDeadLetterConfigArgs(target_arn=failure_queue.arn)
                if failure_queue is not None and args.async_invoke.on_failure == "deadLetterQueue"
                else None
            ),
            vpc_config=(
                aws.lambda_.FunctionVpcConfigArgs(
                    subnet_ids=args.vpc.subnet_ids, security_group_ids=[security_group.id]
                )
                if args.vpc is not None and security_group is not None
                else None
            ),
            layers=layer_arns(attached_layers(args, scope.partition, scope.region)),
            **self._code(name, args, child),
            # The role must be able to write logs (and reach the VPC) before the function exists.
            opts=pulumi.ResourceOptions(parent=self, depends_on=execution.grants),
        )
        alias = aws.lambda_.Alias(
            f"{name}-alias",
            name=args.alias_name,
            description=f"The published version of {name} that receives traffic",
            function_name=function.name,
            function_version=function.version,
            opts=child,
        )
        if args.provisioned_concurrency:
            aws.lambda_.ProvisionedConcurrencyConfig(
                f"{name}-provisioned",
                function_name=function.name,
                qualifier=alias.name,
                provisioned_concurrent_executions=args.provisioned_concurrency,
                opts=child,
            )
        aws.lambda_.FunctionEventInvokeConfig(
            f"{name}-async",
            function_name=function.name,
            qualifier=alias.name,
            maximum_retry_attempts=args.async_invoke.max_retry_attempts,
            maximum_event_age_in_seconds=args.async_invoke.max_event_age_seconds,
            destination_config=(
                aws.lambda_.FunctionEventInvokeConfigDestinationConfigArgs(
                    on_failure=aws.lambda_.FunctionEventInvokeConfigDestinationConfigOnFailureArgs(
                        destination=failure_queue.arn
                    )
                )
                if failure_queue is not None and args.async_invoke.on_failure == "destination"
                else None
            ),
            opts=child,
        )
        if args.sqs is not None and queue_arn is not None:
            self._event_source_mapping(name, args.sqs, queue_arn, alias, child)
        url = self._function_url(name, args.url, function, alias, child) if args.url is not None else None
        event_targets(name, args.events, rules, function=function, alias=alias, queue_arn=queue_arn, child=child)
        if args.schedule is not None:
            self._schedule(name, args.schedule, alias, scope, child)

        if args.alarms is not None:
            function_alarms(
                name,
                args.alarms,
                function_name=function.name,
                trigger_queue_name=(
                    pulumi.Output.from_input(queue_arn).apply(lambda arn: arn.rsplit(":", 1)[-1])
                    if queue_arn is not None
                    else None
                ),
                dead_letter_queues={
                    role: queue_name
                    for role, queue_name in (
                        ("trigger-dlq", trigger_dlq_name),
                        ("failures", failure_queue.name if failure_queue is not None else None),
                    )
                    if queue_name is not None
                },
                opts=child,
            )

        self.function_name = function.name
        self.function_arn = function.arn
        self.alias_name = alias.name
        self.alias_arn = alias.arn
        self.role_arn = role.arn
        self.log_group_name = log_group.name
        self.url = url
        self.queue_url = queue_url
        self.failure_queue_arn = failure_queue.arn if failure_queue is not None else None
        self.register_outputs(
            {
                "functionName": self.function_name,
                "functionArn": self.function_arn,
                "aliasName": self.alias_name,
                "aliasArn": self.alias_arn,
                "roleArn": self.role_arn,
                "logGroupName": self.log_group_name,
                "url": self.url,
                "queueUrl": self.queue_url,
                "failureQueueArn": self.failure_queue_arn,
            }
        )

    def ref(self) -> FunctionRef:
        """The alias, as an HTTP API route (or any other invoker) targets it."""
        return FunctionRef(
            name=self._name, function_name=self.function_name, alias_name=self.alias_name, alias_arn=self.alias_arn
        )

    # ------------------------------------------------------------------ code and environment
    def _code(self, name: str, args: LambdaFunctionArgs, child: pulumi.ResourceOptions) -> dict[str, Any]:
        code = args.code
        if isinstance(code, ZipCode):
            return {
                "package_type": "Zip",
                "code": pulumi.FileArchive(code.path),
                "handler": code.handler,
                "runtime": code.runtime,
            }
        image_uri: pulumi.Input[str]
        if code.image_uri is not None:
            image_uri = code.image_uri
        else:
            assert code.build_context is not None  # the args rules require one of the two
            platform = f"linux/{'arm64' if args.architecture == 'arm64' else 'amd64'}"
            image_uri = build_and_push(name, DockerBuildSpec(context=code.build_context, platform=platform), child).uri
        return {
            "package_type": "Image",
            "image_uri": image_uri,
            "image_config": (
                aws.lambda_.FunctionImageConfigArgs(commands=list(code.command)) if code.command else None
            ),
        }

    @staticmethod
    def _environment(args: LambdaFunctionArgs) -> aws.lambda_.FunctionEnvironmentArgs | None:
        variables = {**args.environment, **args.secrets}
        if args.powertools is not None:
            variables |= {
                "POWERTOOLS_SERVICE_NAME": args.powertools.service_name,
                "POWERTOOLS_METRICS_NAMESPACE": args.powertools.metrics_namespace,
            }
        return aws.lambda_.FunctionEnvironmentArgs(variables=variables) if variables else None

    # ------------------------------------------------------------------ IAM
    # ------------------------------------------------------------------ queues and network
    @staticmethod
    def _failure_queue(name: str, invoke: AsyncInvokeArgs, child: pulumi.ResourceOptions) -> aws.sqs.Queue | None:
        return None if invoke.on_failure == "none" else dead_letter_queue(f"{name}-failures", child)

    @staticmethod
    def _trigger_queue(
        name: str,
        sqs: SqsTriggerArgs | None,
        timeout_seconds: int,
        event_rule_arns: list[pulumi.Input[str]],
        child: pulumi.ResourceOptions,
    ) -> tuple[pulumi.Input[str] | None, pulumi.Output[str] | None, pulumi.Output[str] | None]:
        """The queue the function reads (ARN, and URL and its DLQ's name when created here); the
        rules in `event_rule_arns` may send to a queue created here."""
        if sqs is None:
            return None, None, None
        if sqs.existing_queue_arn is not None:
            return sqs.existing_queue_arn, None, None
        created = queue_with_dlq(
            name,
            visibility_timeout_seconds=sqs.visibility_timeout_seconds or VISIBILITY_FACTOR * timeout_seconds,
            retention_seconds=sqs.message_retention_seconds,
            max_receive_count=sqs.max_receive_count,
            opts=child,
            event_rule_arns=event_rule_arns,
        )
        return created.queue.arn, created.queue.url, created.dead_letter.name

    @staticmethod
    def _security_group(
        name: str, vpc: VpcPlacement | None, child: pulumi.ResourceOptions
    ) -> aws.ec2.SecurityGroup | None:
        if vpc is None:
            return None
        group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=vpc.vpc_id,
            description=f"Function {name}: outbound only, no inbound",
            tags={"Name": f"{name}-function"},
            opts=child,
        )
        for port in vpc.egress_ports:
            aws.vpc.SecurityGroupEgressRule(
                f"{name}-egress-{port}",
                security_group_id=group.id,
                description=f"TCP {port} out",
                ip_protocol="tcp",
                from_port=port,
                to_port=port,
                cidr_ipv4="0.0.0.0/0",
                opts=child,
            )
        return group

    # ------------------------------------------------------------------ triggers
    @staticmethod
    def _event_source_mapping(
        name: str,
        sqs: SqsTriggerArgs,
        queue_arn: pulumi.Input[str],
        alias: aws.lambda_.Alias,
        child: pulumi.ResourceOptions,
    ) -> None:
        aws.lambda_.EventSourceMapping(
            f"{name}-sqs",
            event_source_arn=queue_arn,
            function_name=alias.arn,
            batch_size=sqs.batch_size,
            maximum_batching_window_in_seconds=sqs.max_batching_window_seconds,
            function_response_types=["ReportBatchItemFailures"] if sqs.report_batch_item_failures else None,
            scaling_config=(
                aws.lambda_.EventSourceMappingScalingConfigArgs(maximum_concurrency=sqs.max_concurrency)
                if sqs.max_concurrency is not None
                else None
            ),
            opts=child,
        )

    @staticmethod
    def _function_url(
        name: str,
        url: FunctionUrlArgs,
        function: aws.lambda_.Function,
        alias: aws.lambda_.Alias,
        child: pulumi.ResourceOptions,
    ) -> pulumi.Output[str]:
        function_url = aws.lambda_.FunctionUrl(
            f"{name}-url",
            function_name=function.name,
            qualifier=alias.name,
            authorization_type=url.auth_type,
            invoke_mode=url.invoke_mode,
            cors=(
                aws.lambda_.FunctionUrlCorsArgs(
                    allow_origins=list(url.cors_allowed_origins),
                    allow_methods=list(url.cors_allowed_methods),
                    max_age=300,
                )
                if url.cors_allowed_origins
                else None
            ),
            opts=child,
        )
        if url.auth_type == "NONE":
            # A public URL needs both statements since October 2025: InvokeFunctionUrl, and
            # InvokeFunction restricted to calls that come through the URL.
            aws.lambda_.Permission(
                f"{name}-url-public",
                function=function.name,
                qualifier=alias.name,
                action="lambda:InvokeFunctionUrl",
                principal="*",
                function_url_auth_type="NONE",
                opts=child,
            )
            aws.lambda_.Permission(
                f"{name}-url-public-invoke",
                function=function.name,
                qualifier=alias.name,
                action="lambda:InvokeFunction",
                principal="*",
                invoked_via_function_url=True,
                opts=child,
            )
        return function_url.function_url

    @staticmethod
    def _schedule(
        name: str,
        schedule: ScheduleArgs,
        alias: aws.lambda_.Alias,
        scope: AccountScope,
        child: pulumi.ResourceOptions,
    ) -> None:
        """A Scheduler schedule whose own role may invoke exactly this alias."""
        role, policy = scheduler_role(
            name,
            description=f"EventBridge Scheduler invokes the {name} function",
            statements=[Statement(sid="InvokeAlias", actions=["lambda:InvokeFunction"], resources=[alias.arn])],
            scope=scope,
            opts=child,
        )
        aws.scheduler.Schedule(
            f"{name}-schedule",
            description=f"Invokes {name} on {schedule.expression}",
            schedule_expression=schedule.expression,
            schedule_expression_timezone=schedule.timezone,
            state="ENABLED" if schedule.enabled else "DISABLED",
            flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
            target=aws.scheduler.ScheduleTargetArgs(
                arn=alias.arn,
                role_arn=role.arn,
                input=json.dumps(dict(schedule.payload), sort_keys=True),
                retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(
                    maximum_retry_attempts=schedule.max_retry_attempts,
                    maximum_event_age_in_seconds=schedule.max_event_age_seconds,
                ),
            ),
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[policy])),
        )
