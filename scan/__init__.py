"""`make scan`: checkov over every stack's offline plan, judged against a reviewed baseline.

`checkov.py` converts a stack's plan (`offline.terraform`), runs the pinned checkov from
`.venv-scan` once per plan and caches its findings; `baseline.py` holds the failures we
accept, each with its reason (`baseline.yaml`); `report.py` prints the verdict.
"""
