"""The wheel's packages: `components` with every subpackage, and the offline engine from
`offline/` under the project-specific name `aws_compute_offline`. Nothing else of the
repository (stage, tests, bench, functions, policies) is shipped."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["components", "components.*"]), "aws_compute_offline"],
    package_dir={"aws_compute_offline": "offline"},
)
