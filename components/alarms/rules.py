"""The rules of alarms: what PutMetricAlarm accepts (botocore's cloudwatch model and its docs)."""

from __future__ import annotations

from components.alarms.args import AlarmArgs
from components.validation import Problem, rules_for

#: An alarm evaluates at most a day of periods shorter than an hour, at most 7 days otherwise.
MAX_EVALUATED_SECONDS = (86400, 604800)


@rules_for(AlarmArgs)
def alarm_problems(args: AlarmArgs) -> list[Problem]:
    problems: list[Problem] = []
    if args.threshold < 0:
        problems.append(Problem("threshold", f"{args.threshold:g} is below 0; counts, ages and percentages are not"))
    if args.period_seconds < 60 or args.period_seconds % 60:
        problems.append(
            Problem(
                "period_seconds",
                f"{args.period_seconds} is not a multiple of 60; the AWS metrics alarmed on are per minute",
            )
        )
    if args.evaluation_periods < 1:
        problems.append(Problem("evaluation_periods", "must be at least 1"))
    limit = MAX_EVALUATED_SECONDS[0] if args.period_seconds < 3600 else MAX_EVALUATED_SECONDS[1]
    if args.period_seconds * args.evaluation_periods > limit:
        problems.append(
            Problem(
                "evaluation_periods",
                f"{args.evaluation_periods} periods of {args.period_seconds} s exceed the {limit} s CloudWatch"
                " evaluates",
            )
        )
    points = args.datapoints_to_alarm
    if points is not None and not 1 <= points <= args.evaluation_periods:
        problems.append(
            Problem("datapoints_to_alarm", f"{points} is outside 1-{args.evaluation_periods} (evaluation_periods)")
        )
    return problems
