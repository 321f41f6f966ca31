"""The CrossGuard pack: `pulumi preview --policy-pack policies` runs `policies.rules` for real
(with `--policy-pack-config FILE` for the stack's waivers: see `policies/pack.py`).

Not imported by tests: constructing a PolicyPack starts a gRPC server and blocks.
"""

import sys
from pathlib import Path

# The CLI runs the pack from this folder; the rules are imported from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import PolicyPack

from policies.pack import policies

PolicyPack(name="aws-compute", policies=policies())
