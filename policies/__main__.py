"""The CrossGuard pack: `pulumi preview --policy-pack policies` runs the policy rules of the
installed aws-compute package (`components.governance.policy_rules`) for real (with
`--policy-pack-config FILE` for the stack's waivers: see `policies/pack.py`).

Its own virtualenv (`venv`, per PulumiPolicy.yaml) holds pulumi-policy and aws-compute:
`pulumi install` in this folder fills it from requirements.txt. The analyzer runs this folder
as a script (`runpy.run_path`), which puts it first on `sys.path`: `pack` is its sibling
`pack.py`. Constructing the PolicyPack starts the analyzer's gRPC server and blocks.
"""

from pack import policies  # type: ignore[import-not-found]  # a sibling when the analyzer runs it
from pulumi_policy import PolicyPack

PolicyPack(name="aws-compute", policies=policies())
