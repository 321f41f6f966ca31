"""The CloudWatch agent on Auto Scaling instances: memory and disk metrics, and log files
shipped to a log group of the group's own.

Amazon Linux 2023 does not ship the agent, so a boot script installs it (dnf) with a
configuration naming the log group. That script is the first part of a MIME multipart user
data; the caller's own user data (shell script or cloud-config) runs next, unchanged; a last
part grants the agent read access to the shipped files and starts it. The instance role may
write to that log group only, and put metrics in the agent's namespace only.

The agent runs as `cwagent` (never root), so files such as `/var/log/cloud-init-output.log`
(root, 0640 on AL2023) would be unreadable to it: nothing would ship and nothing would fail.
The last part grants read with POSIX ACLs to exactly the configured files (`setfacl -m
u:cwagent:r`), plus traverse (and list, for a glob) on their directory and a default ACL
there so rotated or recreated files stay readable. It runs after the caller's user data so
directories created there exist. Limits: a file created mode 0600 stays unreadable (an ACL's
mask is the mode's group bits: create logs 0640), and a directory created after boot gets no
grant.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from components.iam import Statement
from components.validation import CheckedArgs, Problem, retention_problems

NAMESPACE = "CWAgent"
_CONFIG_PATH = "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json"
_CTL = "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl"
#: Fixed, so the same inputs always give the same user data (no launch template churn).
_BOUNDARY = "==aws-compute-user-data=="
#: User data cloud-init can run as a part of a multipart message, by first line.
_PART_TYPES = {"#cloud-config": "text/cloud-config", "#!": "text/x-shellscript"}
#: Paths go into a shell script unquoted (globs must expand): no spaces, quotes, `$` or `;`.
_LOG_PATH = re.compile(r"^/[A-Za-z0-9._/*?\[\]-]+$")
_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True, kw_only=True)
class CloudWatchAgentArgs(CheckedArgs):
    """The CloudWatch agent on every instance: memory and disk metrics, and log files
    shipped to the group's log group."""

    retention_days: int = 365
    """Log group retention; a year by default, for audit. Dev stacks lower it explicitly."""
    log_files: Sequence[str] = ("/var/log/cloud-init-output.log",)
    """Absolute paths (globs allowed) shipped to the log group, one stream per instance and
    file; the boot log by default, as Amazon Linux 2023 logs the rest to journald. The agent
    (user `cwagent`) is granted read on exactly these files (see the module docstring)."""


def cloudwatch_agent_problems(args: CloudWatchAgentArgs, user_data: object, prefix: str) -> list[Problem]:
    problems = retention_problems(f"{prefix}retention_days", args.retention_days)
    problems += [
        Problem(
            f"{prefix}log_files",
            f"{path!r} is not an absolute path of letters, digits, . _ - / and globs (* ? [])"
            if path.startswith("/")
            else f"{path!r} is not an absolute path",
        )
        for path in args.log_files
        if not _LOG_PATH.match(path)
    ]
    if isinstance(user_data, str) and _part_type(user_data) is None:
        problems.append(
            Problem(
                "user_data",
                "with the CloudWatch agent, user data is combined into a multipart message; start it"
                " with '#!' (a script) or '#cloud-config'",
            )
        )
    return problems


def agent_statements(log_group_arn: pulumi.Input[str]) -> list[Statement]:
    """What the agent needs: write to its log group, put metrics in its namespace."""
    return [
        Statement(
            sid="ShipLogs",
            actions=["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            resources=[log_group_arn, pulumi.Output.concat(log_group_arn, ":log-stream:*")],
        ),
        Statement(
            sid="PutAgentMetrics",
            actions=["cloudwatch:PutMetricData"],
            resources=["*"],
            conditions={"StringEquals": {"cloudwatch:namespace": NAMESPACE}},
        ),
    ]


def agent_config(args: CloudWatchAgentArgs, log_group_name: str) -> dict[str, Any]:
    return {
        "agent": {"metrics_collection_interval": 60, "run_as_user": "cwagent"},
        "metrics": {
            "namespace": NAMESPACE,
            "append_dimensions": {"InstanceId": "${aws:InstanceId}"},
            "metrics_collected": {
                "mem": {"measurement": ["mem_used_percent"]},
                "disk": {"measurement": ["used_percent"], "resources": ["/"]},
            },
        },
        "logs": {
            "logs_collected": {
                "files": {
                    "collect_list": [
                        {"file_path": path, "log_group_name": log_group_name, "log_stream_name": "{instance_id}" + path}
                        for path in args.log_files
                    ]
                }
            }
        },
    }


def install_script(args: CloudWatchAgentArgs, log_group_name: str) -> str:
    """First part: the agent, `setfacl` (package acl) and the agent's configuration."""
    config = json.dumps(agent_config(args, log_group_name), indent=2, sort_keys=True)
    return (
        "#!/bin/bash\n"
        "set -euo pipefail\n"
        "dnf install -y amazon-cloudwatch-agent acl\n"
        f"cat > {_CONFIG_PATH} <<'CONFIG'\n{config}\nCONFIG\n"
    )


def read_grants(log_files: Sequence[str]) -> list[str]:
    """Shell lines granting `cwagent` read on exactly `log_files` (globs expand in bash)."""
    lines = []
    for path in log_files:
        directory, file_name = posixpath.split(path)
        traverse = "rx" if _GLOB.search(file_name) else "x"
        lines += [
            f'for f in {path}; do if [ -f "$f" ]; then setfacl -m u:cwagent:r "$f"; fi; done',
            f'for d in {directory}; do if [ -d "$d" ]; then'
            f' setfacl -m u:cwagent:{traverse} "$d"; setfacl -d -m u:cwagent:r "$d"; fi; done',
        ]
    return lines


def start_script(args: CloudWatchAgentArgs) -> str:
    """Last part: let `cwagent` read the shipped files, then start the agent."""
    grants = "\n".join(read_grants(args.log_files))
    return (
        "#!/bin/bash\n"
        "set -euo pipefail\n"
        "shopt -s nullglob globstar\n"
        f"{grants}\n"
        f"{_CTL} -a fetch-config -m ec2 -s -c file:{_CONFIG_PATH}\n"
    )


def _part_type(text: str) -> str | None:
    return next((kind for prefix, kind in _PART_TYPES.items() if text.startswith(prefix)), None)


def multipart(parts: Sequence[str]) -> str:
    """A cloud-init MIME multipart message running `parts` in order."""
    body = "".join(
        f'--{_BOUNDARY}\nContent-Type: {_part_type(part)}; charset="utf-8"\n\n{part.rstrip()}\n' for part in parts
    )
    return f'Content-Type: multipart/mixed; boundary="{_BOUNDARY}"\nMIME-Version: 1.0\n\n{body}--{_BOUNDARY}--\n'


def user_data_with_agent(
    args: CloudWatchAgentArgs, log_group_name: pulumi.Input[str], user_data: pulumi.Input[str] | None
) -> pulumi.Output[str]:
    """The agent's installation, the caller's user data when given, then the read grants and
    the agent's start."""
    return pulumi.Output.all(log_group_name, user_data).apply(
        lambda values: multipart(
            [install_script(args, values[0]), *([values[1]] if values[1] else []), start_script(args)]
        )
    )
