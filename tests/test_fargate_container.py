"""Container rules over large input spaces: secret-looking environment, mutable image tags, ECR ARNs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from components.ecr_image import ecr_repository_arn
from components.fargate_service.container import MUTABLE_TAGS, image_is_mutable
from components.secret_refs import looks_secret

_WORDS = ["PASSWORD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL", "ACCESS_KEY"]
_NAMES = st.from_regex(r"[A-Z][A-Z0-9_]{0,10}", fullmatch=True)
_DIGEST = st.from_regex(r"[a-f0-9]{64}", fullmatch=True)
_REPO = st.from_regex(r"[a-z0-9]{1,10}(/[a-z0-9]{1,10})?", fullmatch=True)


@given(
    prefix=_NAMES, word=st.sampled_from(_WORDS), value=st.text(min_size=1).filter(lambda v: not v.startswith("arn:"))
)
def test_a_secret_sounding_name_with_a_plain_value_is_a_secret(prefix: str, word: str, value: str) -> None:
    assert looks_secret(f"{prefix}_{word}", value)
    assert looks_secret(f"{prefix}_{word}".lower(), value)


@given(
    word=st.sampled_from(_WORDS),
    arn=st.from_regex(r"arn:aws:secretsmanager:[a-z0-9-]{1,12}:\d{12}:secret:\w+", fullmatch=True),
)
def test_a_reference_to_a_secret_is_not_a_secret(word: str, arn: str) -> None:
    assert not looks_secret(f"DB_{word}_ARN", arn)


@given(key=st.from_regex(r"(AKIA|ASIA)[0-9A-Z]{16}", fullmatch=True), name=_NAMES)
def test_an_access_key_id_is_a_secret_whatever_its_name(key: str, name: str) -> None:
    assert looks_secret(name, f"x{key}x")


@given(repo=_REPO, tag=st.one_of(st.none(), st.sampled_from(sorted(MUTABLE_TAGS)), st.just("1.2.3")), digest=_DIGEST)
def test_a_digest_pins_an_image_whatever_its_tag(repo: str, tag: str | None, digest: str) -> None:
    uri = f"public.ecr.aws/{repo}" + (f":{tag}" if tag else "") + f"@sha256:{digest}"
    assert not image_is_mutable(uri)


@given(repo=_REPO, tag=st.one_of(st.none(), st.sampled_from(sorted(MUTABLE_TAGS))))
def test_no_tag_or_a_conventional_moving_tag_is_mutable(repo: str, tag: str | None) -> None:
    assert image_is_mutable(f"registry.example.com:5000/{repo}" + (f":{tag}" if tag else ""))


@given(repo=_REPO, tag=st.from_regex(r"v?\d{1,3}\.\d{1,3}\.\d{1,3}", fullmatch=True))
def test_an_ecr_image_maps_to_its_repository_arn(repo: str, tag: str) -> None:
    uri = f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/{repo}:{tag}"
    assert ecr_repository_arn(uri) == f"arn:aws:ecr:eu-west-1:123456789012:repository/{repo}"
    assert ecr_repository_arn(f"public.ecr.aws/{repo}:{tag}") is None
