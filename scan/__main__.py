"""`python -m scan [--stack NAME ...] [--markdown]`: checkov over the stacks, against the baseline.

Exit status: 0 every failure is accepted by scan/baseline.yaml; 1 an unexplained failure
or a stale baseline entry; 2 the scanner or the baseline could not be used.
"""

from __future__ import annotations

import argparse
import sys

from offline import stacks
from scan import baseline, checkov, report


def verdict(stack: str, accepted: tuple[baseline.Accepted, ...]) -> baseline.Verdict:
    config, _ = stacks.stack_config(stack)
    plan = stacks.run_stack(stack)
    return baseline.judge(checkov.scan(stack, plan, str(config.get("aws:region", "us-east-1"))), accepted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scan", description=__doc__)
    parser.add_argument("--stack", action="append", help="a stack to scan (repeatable); every stack by default")
    parser.add_argument("--markdown", action="store_true", help="print the README summary table instead")
    args = parser.parse_args(argv)
    try:
        accepted = baseline.load()
        verdicts = [verdict(stack, accepted) for stack in args.stack or stacks.stack_names()]
    except (baseline.BaselineError, checkov.ScannerMissingError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report.markdown(verdicts) if args.markdown else report.text(verdicts))
    return 0 if all(v.clean for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
