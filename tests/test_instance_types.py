"""Instance type architecture, read from the family name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from components.autoscaling_group.instance_types import family, family_architecture, instance_type_problem


@pytest.mark.parametrize(
    "family_name",
    [
        "a1",
        "t4g",
        "m6g",
        "m6gd",
        "m7g",
        "m7gd",
        "m8g",
        "c6gn",
        "c7g",
        "c7gn",
        "c8g",
        "r7g",
        "r8gd",
        "x2gd",
        "im4gn",
        "is4gen",
        "i4g",
        "g5g",
        "hpc7g",
    ],
)
def test_graviton_families_are_arm64(family_name: str) -> None:
    assert family_architecture(family_name) == "arm64"


@pytest.mark.parametrize(
    "family_name",
    [
        "t3",
        "t3a",
        "m5",
        "m5zn",
        "m6i",
        "m7i",
        "m7i-flex",
        "m7a",
        "c5n",
        "c7i",
        "r7iz",
        "x2iedn",
        "g4dn",
        "g5",
        "g6e",
        "p4d",
        "p5",
        "inf2",
        "trn1",
        "hpc6a",
        "i4i",
        "u-6tb1",
        "z1d",
    ],
)
def test_other_families_are_x86_64(family_name: str) -> None:
    assert family_architecture(family_name) == "x86_64"


@given(
    series=st.sampled_from(["m", "c", "r", "t", "x", "i", "im", "is"]),
    generation=st.integers(min_value=1, max_value=9),
    before=st.sampled_from(["", "i", "a"]),
    after=st.sampled_from(["", "d", "n", "dn", "en"]),
)
def test_only_a_g_after_the_generation_means_graviton(series: str, generation: int, before: str, after: str) -> None:
    graviton = f"{series}{generation}g{after}"
    other = f"{series}{generation}{before}{after}"
    assert family_architecture(graviton) == "arm64"
    assert family_architecture(other) == "x86_64"


def test_family_is_the_part_before_the_size() -> None:
    assert family("c7gn.16xlarge") == "c7gn"
    assert family("u-6tb1.metal") == "u-6tb1"
    assert family("m7g") is None


def test_compatible_type_has_no_problem() -> None:
    assert instance_type_problem("m7g.large", "arm64") is None
    assert instance_type_problem("m7i.large", "x86_64") is None


def test_incompatible_type_names_the_offender_and_the_fix() -> None:
    assert instance_type_problem("t3.medium", "arm64") == (
        "'t3.medium' is x86_64 but the group's architecture is arm64: one AMI serves every instance"
        " type; remove it or set architecture to x86_64 for the whole group"
    )
