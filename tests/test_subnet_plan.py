"""Property tests of the CIDR plan: containment, no overlap, stability as AZs and tiers grow."""

from __future__ import annotations

import ipaddress
import itertools

from hypothesis import given
from hypothesis import strategies as st

from components import SubnetTier
from components.subnet_plan import MAX_AZS, TIER_POSITIONS, default_prefix_lengths, plan_problems, plan_subnets

TIERS: list[SubnetTier] = list(TIER_POSITIONS)
Layout = tuple[str, int, list[SubnetTier], dict[SubnetTier, int]]


@st.composite
def layouts(draw: st.DrawFn) -> Layout:
    """A valid VPC CIDR, AZ count, tier subset and prefix lengths that fit it."""
    vpc_prefix = draw(st.integers(16, 24))
    base = draw(st.integers(0, 2**32 - 1)) >> (32 - vpc_prefix) << (32 - vpc_prefix)
    cidr = f"{ipaddress.IPv4Address(base)}/{vpc_prefix}"
    tiers = draw(st.lists(st.sampled_from(TIERS), min_size=1, max_size=3, unique=True))
    slot = vpc_prefix + 4
    lengths = {tier: draw(st.integers(slot, 28)) for tier in tiers}
    return cidr, draw(st.integers(1, MAX_AZS)), tiers, lengths


@given(layouts())
def test_every_subnet_lies_inside_the_vpc(layout: Layout) -> None:
    cidr, azs, tiers, lengths = layout
    assert plan_problems(cidr, azs, tiers, lengths) == []
    vpc = ipaddress.IPv4Network(cidr)
    for subnets in plan_subnets(cidr, azs, tiers, lengths).values():
        assert all(ipaddress.IPv4Network(s).subnet_of(vpc) for s in subnets)


@given(layouts())
def test_no_two_subnets_overlap(layout: Layout) -> None:
    cidr, azs, tiers, lengths = layout
    all_subnets = [ipaddress.IPv4Network(s) for subs in plan_subnets(cidr, azs, tiers, lengths).values() for s in subs]
    for a, b in itertools.combinations(all_subnets, 2):
        assert not a.overlaps(b)


@given(layouts())
def test_subnets_have_the_requested_size(layout: Layout) -> None:
    cidr, azs, tiers, lengths = layout
    for tier, subnets in plan_subnets(cidr, azs, tiers, lengths).items():
        assert [ipaddress.IPv4Network(s).prefixlen for s in subnets] == [lengths[tier]] * azs


@given(layouts(), st.data())
def test_adding_an_az_never_renumbers_an_existing_subnet(layout: Layout, data: st.DataObject) -> None:
    cidr, azs, tiers, lengths = layout
    more = data.draw(st.integers(azs, MAX_AZS))
    before = plan_subnets(cidr, azs, tiers, lengths)
    after = plan_subnets(cidr, more, tiers, lengths)
    assert all(after[tier][:azs] == before[tier] for tier in tiers)


@given(layouts(), st.data())
def test_adding_a_tier_never_renumbers_an_existing_subnet(layout: Layout, data: st.DataObject) -> None:
    cidr, azs, tiers, lengths = layout
    missing = [t for t in TIERS if t not in tiers]
    if not missing:
        return
    added = data.draw(st.sampled_from(missing))
    vpc_prefix = int(cidr.split("/")[1])
    grown = {**lengths, added: default_prefix_lengths(vpc_prefix)[added]}
    before = plan_subnets(cidr, azs, tiers, lengths)
    after = plan_subnets(cidr, azs, [*tiers, added], grown)
    assert all(after[tier] == before[tier] for tier in tiers)


def test_a_prefix_too_large_for_its_slot_is_reported() -> None:
    problems = plan_problems("10.0.0.0/16", 3, ["private"], {"private": 19})
    assert [p.field for p in problems] == ["subnet_prefix_lengths.private"]
    assert "/19 does not fit the /20 slot" in problems[0].message


def test_a_vpc_too_small_for_the_plan_is_reported() -> None:
    problems = plan_problems("10.0.0.0/26", 2, ["private"], {})
    assert [p.field for p in problems] == ["cidr_block"]
    assert "use a prefix from /16 to /24" in problems[0].message


def test_a_malformed_cidr_is_reported() -> None:
    problems = plan_problems("10.0.0.1/16", 2, ["private"], {})
    assert [p.field for p in problems] == ["cidr_block"]
    assert "is not an IPv4 network CIDR" in problems[0].message
