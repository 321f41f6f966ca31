"""AWS services reachable through interface VPC endpoints (AWS PrivateLink), by short name.

The short name is what follows `com.amazonaws.<region>.` in the service name. botocore does
not carry this list; it is pinned from AWS's "AWS services that integrate with AWS
PrivateLink" page (2026-11), limited to the services a compute stack's workloads call.
A service missing here is refused with a did-you-mean; when AWS offers it
(`aws ec2 describe-vpc-endpoint-services`), add it here.
"""

from __future__ import annotations

from components.problems import Problem, did_you_mean

INTERFACE_ENDPOINT_SERVICES: frozenset[str] = frozenset(
    {
        *("access-analyzer", "acm-pca", "airflow.api", "airflow.env", "airflow.ops", "aoss", "api.sagemaker"),
        *("app-integrations", "appconfig", "appconfigdata", "application-autoscaling", "applicationinsights"),
        *("appmesh-envoy-management", "apprunner", "apprunner.requests", "appstream.api", "appsync-api"),
        *("aps", "aps-workspaces", "athena", "autoscaling", "autoscaling-plans", "backup", "batch"),
        *("bedrock", "bedrock-agent", "bedrock-agent-runtime", "bedrock-runtime", "cassandra"),
        *("cloudcontrolapi", "cloudformation", "cloudhsmv2", "cloudtrail", "codeartifact.api"),
        *("codeartifact.repositories", "codebuild", "codecommit", "codedeploy", "codedeploy-commands-secure"),
        *("codepipeline", "comprehend", "config", "databrew", "dataexchange", "datasync", "dms", "ebs"),
        *("ec2", "ec2messages", "ecr.api", "ecr.dkr", "ecs", "ecs-agent", "ecs-telemetry", "eks", "eks-auth"),
        *("elasticache", "elasticbeanstalk", "elasticfilesystem", "elasticfilesystem-fips"),
        *("elasticloadbalancing", "elasticmapreduce", "emr-containers", "emr-serverless", "events"),
        *("execute-api", "firehose", "fis", "git-codecommit", "glue", "grafana", "guardduty-data", "imagebuilder"),
        *("inspector2", "iot.data", "kafka", "kinesis-firehose", "kinesis-streams", "kms", "kms-fips"),
        *("lakeformation", "lambda", "logs", "memory-db", "monitoring", "notebook", "organizations", "pipes"),
        *("pipes-data", "polly", "qldb.session", "rds", "rds-data", "redshift", "redshift-data"),
        *("rekognition", "rolesanywhere", "runtime.sagemaker", "s3-outposts", "sagemaker.api"),
        *("sagemaker.runtime", "scheduler", "schemas", "secretsmanager", "securityhub", "servicecatalog"),
        *("servicediscovery", "servicediscovery-fips", "ses", "signin", "sns", "sqs", "ssm", "ssm-contacts"),
        *("ssm-incidents", "ssmmessages", "states", "storagegateway", "sts", "sync-states", "synthetics"),
        *("textract", "transcribe", "transfer", "transfer.server", "translate", "verifiedpermissions"),
        *("vpc-lattice", "xray"),
    }
)


def endpoint_service_problems(field: str, services: list[str]) -> list[Problem]:
    return [
        Problem(
            field,
            f"{service!r} is not an interface endpoint service{did_you_mean(service, INTERFACE_ENDPOINT_SERVICES)};"
            " write the short name AWS PrivateLink lists (e.g. 'ecr.api', 'logs', 'sts')",
        )
        for service in services
        if service not in INTERFACE_ENDPOINT_SERVICES
    ]
