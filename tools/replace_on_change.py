"""Rows of `offline/replace_on_change.toml`, read from the Terraform AWS provider's source.

    python -m tools.replace_on_change --index DIR aws:ec2/subnet:Subnet ...

DIR is a clone of github.com/lonegunmanb/terraform-provider-aws-index, which stores, per
provider release, each resource's schema function (`index/internal/service/<package>/
func.<name>.goindex`, or `method.<type>.Schema.goindex` for plugin-framework resources). For
each Pulumi type the schema of its Terraform resource is walked — nested blocks, helper
schemas and schema variables followed, state-upgrade schemas (`...V0`) not — and every
attribute marked `ForceNew: true` or `RequiresReplace...()` becomes a pulumi-aws input path
(resolved against the pulumi_aws Args classes). CustomizeDiff code that forces replacement
only in some case is printed as a comment, to be written up under `conditional` by hand.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Terraform resources whose Pulumi name is not `aws_<name>` / `aws_<module>_<name>`.
TERRAFORM_NAMES = {
    "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
    "aws:servicediscovery/httpNamespace:HttpNamespace": "aws_service_discovery_http_namespace",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "aws_sqs_queue_redrive_allow_policy",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "aws_iam_openid_connect_provider",
}

#: Attributes pulumi-aws renames (its provider/resources.go), by type and Terraform name.
RENAMED = {
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm_name"): "name",
    ("aws:lambda/function:Function", "function_name"): "name",
    ("aws:lambda/permission:Permission", "function_name"): "function",
}

_KEY = re.compile(r'(?:"([a-z0-9_]+)"|names\.Attr(\w+)|\b([a-z]\w+))\s*:\s*(?:&?[\w.]+)?\s*\{$')
_CALL_KEY = re.compile(r'"([a-z0-9_]+)"\s*:\s*$')
_REFERENCE = re.compile(r"\b([a-z]\w*)(\(\))?")
_REPLACES = re.compile(r"ForceNew:\s*true\b|\.RequiresReplace(?:IfConfigured)?\(\)")
_CUSTOM = re.compile(r"(?:\.ForceNew|ForceNewIf(?:Change)?)\(\s*([\w.\"]+)")


# ---------------------------------------------------------------- pulumi_aws input properties
def args_class(type_: str) -> type:
    """`aws:ec2/subnet:Subnet` -> pulumi_aws.ec2.SubnetArgs."""
    module, name = type_.split(":")[1].split("/")[0], type_.split(":")[2]
    package = importlib.import_module(f"pulumi_aws.{module}_" if module == "lambda" else f"pulumi_aws.{module}")
    cls: type = getattr(package, f"{name}Args")
    return cls


def input_properties(cls: type) -> dict[str, Any]:
    """An Args class's input properties by wire (camelCase) name."""
    return {
        member.fget._pulumi_name: member  # type: ignore[union-attr]
        for _, member in inspect.getmembers(cls)
        if isinstance(member, property) and hasattr(member.fget, "_pulumi_name")
    }


def _nested(cls: type, prop: Any) -> type | None:
    found = re.search(r"'(\w+Args)'", str(prop.fget.__annotations__.get("return", "")))
    package = importlib.import_module(cls.__module__.rsplit(".", 1)[0])
    return getattr(package, found.group(1)) if found else None


def _squashed(name: str) -> str:
    return name.replace("_", "").lower()


def pulumi_path(type_: str, segments: list[str]) -> str | None:
    """The input path a Terraform attribute path has in pulumi_aws (segments in snake case, or
    squashed names from provider constants), or None when the Args classes have no such path."""
    cls: type | None = args_class(type_)
    out = []
    for i, segment in enumerate(segments):
        if cls is None:
            return None
        props = input_properties(cls)
        renamed = RENAMED.get((type_, segment)) if i == 0 else None
        wanted = [renamed] if renamed else [_squashed(segment) + suffix for suffix in ("", "s", "es")]
        match = next((p for w in wanted for p in props if p == w or _squashed(p) == w), None)
        if match is None:
            return None
        out.append(match)
        cls = _nested(cls, props[match])
    return ".".join(out)


def path_exists(type_: str, path: str) -> bool:
    """Whether a dotted camelCase path is an input property of the type, nested Args followed."""
    return pulumi_path(type_, path.split(".")) == path


# ---------------------------------------------------------------- the provider source index
@dataclass(frozen=True)
class Index:
    root: Path

    def show(self, path: str) -> str | None:
        done = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=self.root, capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else None

    @functools.cache  # noqa: B019 - one Index per run
    def files(self, package: str) -> frozenset[str]:
        listing = subprocess.run(
            ["git", "ls-tree", "--name-only", "HEAD", f"index/internal/service/{package}/"],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        return frozenset(name.rsplit("/", 1)[1] for name in listing)

    @functools.cache  # noqa: B019
    def constant(self, package: str, ident: str) -> str | None:
        """The string a package-level constant holds (attribute names kept in constants)."""
        found = subprocess.run(
            ["git", "grep", "-h", "-E", ident + r'\s*=\s*"', "HEAD", "--", f"index/internal/service/{package}"],
            cwd=self.root,
            capture_output=True,
            text=True,
        ).stdout
        match = re.search(ident + r'\s*=\s*"([a-z0-9_]+)"', found)
        return match.group(1) if match else None

    @functools.cache  # noqa: B019
    def packages(self) -> dict[str, str]:
        """Package of every Terraform resource the provider registers."""
        master = json.loads(self.show("index/terraform-provider-aws-index.json") or "{}")
        return {
            name: service["package_path"].rsplit("/", 1)[1]
            for service in master["services"]
            for kind in ("aws_sdk_resources", "aws_framework_resources")
            for name in service.get(kind) or {}
        }

    def version(self) -> str:
        return str(json.loads(self.show("index/terraform-provider-aws-index.json") or "{}")["version"])

    def schema_file(self, package: str, terraform: str) -> str:
        """The index file holding the resource's schema, found through its registration."""
        for kind in ("SDKResources", "FrameworkResources"):
            source = self.show(f"index/internal/service/{package}/method.servicePackage.{kind}.goindex") or ""
            found = re.search(r'Factory:\s*(\w+),\s*TypeName:\s*"' + terraform + '"', source)
            if not found:
                continue
            if kind == "SDKResources":
                return f"index/internal/service/{package}/func.{found.group(1)}.goindex"
            factory = self.show(f"index/internal/service/{package}/func.{found.group(1)}.goindex") or ""
            struct = re.search(r"&(\w+)\{", factory).group(1)  # type: ignore[union-attr]
            while f"method.{struct}.Schema.goindex" not in self.files(package):  # an embedded struct's Schema
                declared = self.show(f"index/internal/service/{package}/type.{struct}.goindex") or ""
                struct = re.search(r"struct \{\s*(\w+)\s", declared).group(1)  # type: ignore[union-attr]
            return f"index/internal/service/{package}/method.{struct}.Schema.goindex"
        raise LookupError(f"{terraform} is registered in no service package of {package}")


def terraform_name(type_: str, index: Index) -> tuple[str, str]:
    """(Terraform resource name, provider package) of a Pulumi type."""
    module, name = type_.split(":")[1].split("/")
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    known = index.packages()
    for candidate in (TERRAFORM_NAMES.get(type_), f"aws_{snake}", f"aws_{module}_{snake}"):
        if candidate and (candidate in known or candidate.replace("aws_lb", "aws_alb", 1) in known):
            return candidate, known.get(candidate) or known[candidate.replace("aws_lb", "aws_alb", 1)]
    raise LookupError(f"no Terraform resource found for {type_}")


# ---------------------------------------------------------------- the schema walk
def _definition(source: str) -> str:
    """A goindex file without its package clause and imports."""
    start = min((i for i in (source.find("\nfunc "), source.find("\nvar ")) if i >= 0), default=0)
    return source[start:]


Found = tuple[set[tuple[str, ...]], set[str]]


def replace_paths(source: str, package: str, index: Index, prefix: tuple[str, ...] = ()) -> Found:
    """(attribute paths that replace, CustomizeDiff calls that may) in a schema's Go source.

    A path is a tuple of attribute names: snake case, or a provider constant's name
    (`names.AttrVPCID` -> `VPCID`, matched case-insensitively later)."""
    defined = re.search(r"^(?:func|var) (?:\(\w+ \*?\w+\) )?(\w+)", source, re.MULTILINE)
    seen = {defined.group(1)} if defined else set()
    return _walk(_definition(source), package, index, prefix, frozenset(seen))


def _walk(source: str, package: str, index: Index, prefix: tuple[str, ...], seen: frozenset[str]) -> Found:
    replaces: set[tuple[str, ...]] = set()
    custom: set[str] = set()
    stack: list[str | None] = []
    for i, char in enumerate(source):
        if char == "{":
            key = _KEY.search(source[max(0, i - 200) : i + 1].split("\n")[-1].strip())
            stack.append(None if key is None else key.group(1) or key.group(2) or index.constant(package, key.group(3)))
        elif char == "}" and stack:
            stack.pop()
        here = (*prefix, *(k for k in stack if k))
        if _REPLACES.match(source, i):
            replaces.add(here)
        if custom_call := _CUSTOM.match(source, i):
            custom.add(f"{'.'.join(here) or '(resource)'}: {custom_call.group(0)}")
        reference = _REFERENCE.match(source, i)
        if not reference or (i and (source[i - 1].isalnum() or source[i - 1] in "._")):
            continue
        name = reference.group(1)
        if name in seen or re.search(r"V\d+$", name):  # itself, or a state-upgrade schema
            continue
        kind = "func" if reference.group(2) or "CustomizeDiff" in name else "var"
        if f"{kind}.{name}.goindex" not in index.files(package):
            continue
        helper = index.show(f"index/internal/service/{package}/{kind}.{name}.goindex") or ""
        if "schema." not in helper:
            continue
        key = _CALL_KEY.search(source[max(0, i - 120) : i].split("\n")[-1])
        inner = (*here, key.group(1)) if key else here
        more, more_custom = _walk(_definition(helper), package, index, inner, seen | {name})
        replaces |= more
        custom |= more_custom
    return replaces, custom


def _row(type_: str, index: Index) -> list[str]:
    terraform, package = terraform_name(type_, index)
    path = index.schema_file(package, terraform)
    replaces, custom = replace_paths(index.show(path) or "", package, index)
    resolved = {pulumi_path(type_, list(p)) for p in replaces if p}
    if None in resolved:
        raise LookupError(f"{type_}: some of {sorted(replaces)} are not pulumi_aws inputs")
    props = sorted(p for p in resolved if p)
    minimal = [p for p in props if not any(p.startswith(q + ".") for q in props)]
    what = path.rsplit("/", 1)[1].removesuffix(".goindex").replace(".", " ", 1)
    lines = [
        f"[{json.dumps(type_)}]",
        f"terraform = {json.dumps(terraform)}",
        f"source = {json.dumps(f'internal/service/{package}, {what}')}",
        "properties = [" + ", ".join(json.dumps(p) for p in minimal) + "]",
    ]
    return lines + [f"# CustomizeDiff, review by hand: {c}" for c in sorted(custom)] + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.replace_on_change", description=__doc__)
    parser.add_argument("--index", type=Path, required=True, help="clone of terraform-provider-aws-index")
    parser.add_argument("types", nargs="+", help="Pulumi type tokens, e.g. aws:ec2/subnet:Subnet")
    args = parser.parse_args(argv)
    index = Index(args.index)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=index.root, capture_output=True, text=True).stdout
    print(f"# terraform-provider-aws {index.version()}, index commit {commit.strip()}")
    for type_ in args.types:
        print("\n".join(_row(type_, index)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
