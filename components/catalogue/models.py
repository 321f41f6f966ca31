"""AWS's own API models, as published in botocore (pinned in constraints.txt).

The models are botocore's data files (`botocore/data/<service>/<api-version>/service-2.json`),
read here as plain JSON: botocore's own model layer costs a plan more than everything it
is used for (importing `botocore.model` pulls in its HTTP and auth stack, ~0.2 s, and its
loader builds ordered dicts, ~0.1 s more for ec2's model). What is read is the part the
checks use: an operation's input shape, members, list items, `min`/`max`/`pattern` and
enums, followed by reference as botocore follows it (tests/test_catalogue.py compares
them with botocore's `ServiceModel`). The latest API version is taken, as botocore does;
models in `~/.aws/models` or `AWS_DATA_PATH` are not read: a plan checks against the pinned
models alone. Each service model loads once per process, and its parse is kept beside this
module's bytecode for the next process, each operation and shape apart, read when first
used (`_sections`).
"""

from __future__ import annotations

import gzip
import importlib.machinery
import importlib.util
import json
import marshal
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from components.problems import did_you_mean

#: The limits a shape may carry that the checks read (botocore's `Shape.metadata` keys).
LIMIT_KEYS = ("min", "max", "pattern")


@cache
def _data_dir() -> Path:
    """botocore's data folder, found without importing botocore."""
    spec = importlib.util.find_spec("botocore")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("botocore is not installed: its API models are needed (see requirements.txt)")
    return Path(spec.origin).parent / "data"


#: botocore ships its models plain or gzipped.
_SUFFIXES = (".json", ".json.gz")


def _model_file(version: Path) -> Path | None:
    """The `service-2` file of one API version of a service, if it has one."""
    return next((version / f"service-2{s}" for s in _SUFFIXES if (version / f"service-2{s}").is_file()), None)


@dataclass(frozen=True)
class Shape:
    """One shape of a service model: its definition, members and item shape resolved."""

    model: ServiceModel
    name: str

    @property
    def definition(self) -> Mapping[str, Any]:
        return self.model.shapes[self.name]

    @property
    def type_name(self) -> str:
        return str(self.definition["type"])

    @property
    def metadata(self) -> dict[str, Any]:
        """The shape's `min`, `max` and `pattern`, where it has them."""
        return {key: self.definition[key] for key in LIMIT_KEYS if key in self.definition}

    @property
    def enum(self) -> tuple[str, ...]:
        return tuple(self.definition.get("enum", ()))

    @property
    def members(self) -> dict[str, Shape]:
        """A structure's members by name."""
        return {name: self.model.shape(ref["shape"]) for name, ref in self.definition.get("members", {}).items()}

    @property
    def member(self) -> Shape:
        """A list's item shape."""
        return self.model.shape(self.definition["member"]["shape"])


@dataclass(frozen=True, eq=False)
class ServiceModel:
    """A service's `service-2` model: operations and shapes, by name, and the file read."""

    service: str
    source: Path
    operations: Mapping[str, Any]
    shapes: Mapping[str, Any]

    def shape(self, name: str) -> Shape:
        if name not in self.shapes:
            raise KeyError(f"the {self.service} model has no shape {name!r}")
        return Shape(self, name)

    def input_shape(self, operation: str) -> Shape:
        """The input shape of `operation` (`CreateFunction`); KeyError when there is none."""
        return self.shape(self.operations[operation]["input"]["shape"])


@cache
def service_model(service: str) -> ServiceModel:
    """The pinned model of `service` (`ec2`, `lambda`, `ecs`, ...) at its latest API version."""
    folder = _data_dir() / service
    files = sorted(f for v in (folder.iterdir() if folder.is_dir() else ()) if (f := _model_file(v)))
    if not files:
        raise KeyError(f"botocore has no model of the {service!r} service")
    latest = files[-1]  # API versions are dates: the latest sorts last
    operations, shapes = _sections(latest, _cache_file(service))
    return ServiceModel(service, latest, operations, shapes)


def _cache_file(service: str) -> Path:
    return Path(__file__).parent / "__pycache__" / f"botocore-{service}.{sys.implementation.cache_tag}.marshal"


#: Writes as Python writes bytecode: folders made, the file replaced whole, a place it
#: cannot write skipped.
_BYTECODE_WRITER = importlib.machinery.SourceFileLoader(__name__, __file__)


class _Section(Mapping[str, Any]):
    """A model's operations or its shapes by name, each entry unmarshalled from the kept parse
    when first read: apps-prod's plan reads one of ec2's 4,414 shapes, 34 of lambda's 612."""

    def __init__(self, spans: dict[str, tuple[int, int]], packed: memoryview) -> None:
        self._spans, self._packed = spans, packed
        self._read: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._read:
            start, end = self._spans[name]
            self._read[name] = marshal.loads(self._packed[start:end])
        return self._read[name]

    def __contains__(self, name: object) -> bool:
        return name in self._spans

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)


_SECTIONS = ("operations", "shapes")
#: Starts a kept parse: the interpreter's bytecode magic number (marshal's format follows it)
#: and this layout's name.
_HEADER = importlib.util.MAGIC_NUMBER + b"botocore-model-sections\x00"
#: A kept parse: for each section, each entry's span in the packed bytes; the packed bytes.
_Packed = tuple[dict[str, dict[str, tuple[int, int]]], bytes]


def _packed(document: dict[str, Any]) -> _Packed:
    """Each operation and shape of a parsed model marshalled apart, into one run of bytes."""
    spans: dict[str, dict[str, tuple[int, int]]] = {}
    chunks: list[bytes] = []
    end = 0
    for section in _SECTIONS:
        spans[section] = {}
        for name, entry in document[section].items():
            chunk = marshal.dumps(entry)
            chunks.append(chunk)
            spans[section][name] = (end, end + len(chunk))
            end += len(chunk)
    return spans, b"".join(chunks)


def _sections(model_file: Path, cache_file: Path) -> tuple[_Section, _Section]:
    """The operations and shapes of `model_file`, parsed once per model file: the parse is
    kept in `cache_file` (marshal, beside this module's bytecode, where bytecode is written),
    stamped with the model file's path, size and modification time, as Python stamps bytecode
    with its source's. Only the index of entries loads at once (ec2's model, 4 MB of JSON: 29 ms
    to unmarshal whole, 2 ms for its index); an entry is unmarshalled when first read."""
    stat = model_file.stat()
    stamp = (str(model_file), stat.st_size, stat.st_mtime_ns)
    packed: _Packed | None = None
    try:
        data = cache_file.read_bytes()
        if data.startswith(_HEADER):
            cached_stamp, cached = marshal.loads(memoryview(data)[len(_HEADER) :])
            if cached_stamp == stamp:
                packed = cached
    except (OSError, EOFError, ValueError, TypeError):
        pass  # no cache yet, or one another interpreter wrote: parse
    if packed is None:
        raw = model_file.read_bytes()
        packed = _packed(json.loads(gzip.decompress(raw) if model_file.suffix == ".gz" else raw))
        if not sys.dont_write_bytecode:
            _BYTECODE_WRITER.set_data(str(cache_file), _HEADER + marshal.dumps((stamp, packed)))
    spans, entries = packed
    view = memoryview(entries)
    return _Section(spans["operations"], view), _Section(spans["shapes"], view)


def shape(service: str, name: str) -> Shape:
    return service_model(service).shape(name)


@cache
def enum(service: str, shape_name: str) -> frozenset[str]:
    """The values an enum shape allows (`ec2` `InstanceType`, `lambda` `Runtime`)."""
    return frozenset(shape(service, shape_name).enum)


def instance_types() -> frozenset[str]:
    """Every EC2 instance type the EC2 API knows."""
    return enum("ec2", "InstanceType")


def lambda_runtimes() -> frozenset[str]:
    """Every runtime identifier the Lambda API knows (supported or not)."""
    return enum("lambda", "Runtime")


def unknown_instance_type(instance_type: str) -> str | None:
    """Why `instance_type` is not an EC2 instance type (with a did-you-mean), or None."""
    if instance_type in instance_types():
        return None
    return f"{instance_type!r} is not an EC2 instance type{did_you_mean(instance_type, instance_types())}"
