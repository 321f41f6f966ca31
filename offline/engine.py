"""Run a Pulumi program under a recording mock engine.

The program runs exactly as the CLI would run it (inside a root Stack, with stack config,
stack transforms applied), but every resource registration is answered by
`offline.fixtures` and recorded: type, logical name, URN, parent, the inputs the provider
would receive, and the state it answered with. Component outputs and stack outputs are
read back from `register_outputs`.

Pulumi's own MockMonitor neither records parents nor runs stack transforms; the
`RecordingMonitor` here does both, so governance transforms are exercised offline exactly
as the engine would run them (before the provider sees the inputs).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import gc
import json
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import pulumi
from pulumi import _types as sdk_types
from pulumi.runtime import known_types, mocks, rpc, settings
from pulumi.runtime import resource as sdk_resource
from pulumi.runtime.proto import engine_pb2, resource_pb2, source_pb2
from pulumi.runtime.stack import run_in_stack

from . import fixtures
from .references import STACK_REFERENCE, References, StackReferenceError
from .type_hints import TypeHintsMemo

STACK_TYPE = "pulumi:pulumi:Stack"
T = TypeVar("T")


class RefusedNamesError(ValueError):
    """Physical names AWS would refuse; `pulumi preview` fails on them, so the plan does too."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("AWS would refuse these names:\n" + "\n".join(f"  - {p}" for p in problems))


class DuplicateUrnError(ValueError):
    """Resources registered under a URN already taken (a name reused): `pulumi preview` fails on it."""

    def __init__(self, urns: list[str]) -> None:
        self.urns = urns
        super().__init__("\n".join(f"Duplicate resource URN '{urn}'; give each resource a unique name" for urn in urns))


@dataclass(frozen=True)
class Secret:
    """A value the engine marks secret; plans print it as `[secret]`."""

    value: Any

    def __repr__(self) -> str:
        return "[secret]"


@dataclass(frozen=True)
class RecordedResource:
    type: str
    name: str
    urn: str
    parent: str | None
    """URN of the parent resource; None for resources directly under the stack."""
    inputs: dict[str, Any]
    """What the provider receives, after transforms, with camelCase (wire) keys."""
    custom: bool
    id: str
    state: dict[str, Any]
    dependencies: frozenset[str] = frozenset()
    """URNs the engine waits for before creating this resource: explicit `depends_on`
    (components expanded to their children) and every resource an input was wired from."""
    property_dependencies: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Per top-level input (camelCase): the URNs of the resources its value was wired from,
    as CrossGuard's `property_dependencies` and Terraform's references see them."""
    protect: bool = False
    """`protect`: the engine refuses to delete it until the option is lifted."""
    aliases: frozenset[str] = frozenset()
    """Other URNs this resource answers to (its `aliases`, and its parent's passed down), so
    a state holding one of them updates this resource instead of replacing it."""


@dataclass
class Plan:
    """Everything one program run registered and exported."""

    project: str
    stack: str
    region: str = "us-east-1"
    """`aws:region` of the run (the provider's default region)."""
    config: dict[str, Any] = field(default_factory=dict)
    """The config the program ran with (full keys, values as in the stack file)."""
    resources: list[RecordedResource] = field(default_factory=list)
    """In tree order (`tree_order`) once the run is over, however the SDK registered them."""
    outputs: dict[str, Any] = field(default_factory=dict)
    component_outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def of_type(self, type_: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_]

    def named(self, name: str) -> RecordedResource:
        matches = [r for r in self.resources if r.name == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources are named {name!r}")
        return matches[0]

    def children(self, parent: RecordedResource | None) -> list[RecordedResource]:
        urn = parent.urn if parent else None
        return [r for r in self.resources if r.parent == urn]

    def descendants(self, root: RecordedResource) -> Iterator[RecordedResource]:
        for child in self.children(root):
            yield child
            yield from self.descendants(child)

    def by_id(self, id_: str) -> RecordedResource:
        return next(r for r in self.resources if r.custom and r.id == id_)

    def count_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.resources:
            counts[r.type] = counts.get(r.type, 0) + 1
        return dict(sorted(counts.items()))


def tree_order(resources: Iterable[RecordedResource]) -> list[RecordedResource]:
    """Depth-first from the roots, siblings by name (then type): a stable order whatever
    order the engine's scheduling registered them in. A resource whose parent was not
    recorded counts as a root."""
    resources = list(resources)
    urns = {r.urn for r in resources}
    children: dict[str | None, list[RecordedResource]] = {}
    for r in resources:
        children.setdefault(r.parent if r.parent in urns else None, []).append(r)
    ordered: list[RecordedResource] = []
    pending = sorted(children.get(None, []), key=_sibling_order, reverse=True)
    while pending:
        resource = pending.pop()
        ordered.append(resource)
        pending += sorted(children.get(resource.urn, []), key=_sibling_order, reverse=True)
    return ordered


def _sibling_order(resource: RecordedResource) -> tuple[str, str]:
    return resource.name, resource.type


def _unwrap_secrets(value: Any) -> Any:
    """Turn the wire form of secrets into `Secret` markers, recursively."""
    if isinstance(value, dict):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return Secret(_unwrap_secrets(value["value"]))
        return {k: _unwrap_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unwrap_secrets(v) for v in value]
    return value


class _FixtureMocks(mocks.Mocks):
    def __init__(self, region: str, stack: str, references: References) -> None:
        self.region = region
        self.stack = stack
        self.references = references

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        if args.typ == STACK_REFERENCE:
            return self.references.answer(args.inputs["name"])
        if not args.custom:
            return "", {}
        return fixtures.resource_state(args.typ, args.name, args.inputs, self.region, scope=self.stack)

    def call(self, args: mocks.MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        return fixtures.invoke(args.token, args.args, self.region)


class RecordingMonitor(mocks.MockMonitor):
    """A MockMonitor that records every registration with its parent and runs transforms."""

    def __init__(self, fixture_mocks: _FixtureMocks, plan: Plan) -> None:
        super().__init__(fixture_mocks)
        self.plan = plan
        self.refused_names: list[str] = []
        self.duplicate_urns: list[str] = []
        self._stack_urn = ""
        #: Each resource's own transforms and its parent, so children inherit transforms.
        self._own_transforms: dict[str, list[Any]] = {}
        self._parents: dict[str, str] = {}
        self._aliases: dict[str, frozenset[str]] = {}

    def make_urn(self, parent: str, type_: str, name: str, stack: str = "", project: str = "") -> str:
        """URNs as the engine writes them: the parent chain's types, without the Stack's."""
        if parent and parent != self._stack_urn and parent.split("::")[2] != STACK_TYPE:
            type_ = parent.split("::")[2] + "$" + type_
        stack, project = stack or settings.get_stack(), project or settings.get_project()
        return "urn:pulumi:" + "::".join([stack, project, type_, name])

    def _alias_urns(self, request: Any, urn: str) -> frozenset[str]:
        """As the engine resolves them: each alias (a URN, or a spec whose blanks default to
        this resource's name, type and parent), then this resource under each alias of its
        parent, a name that starts with the parent's taking the parent alias's name instead."""
        found = set()
        for alias in request.aliases:
            if alias.urn:
                found.add(alias.urn)
                continue
            spec = alias.spec
            parent = "" if spec.noParent else (spec.parentUrn or request.parent)
            name, type_ = spec.name or request.name, spec.type or request.type
            found.add(self.make_urn(parent, type_, name, spec.stack, spec.project))
        parent_name = request.parent.rsplit("::", 1)[-1] if request.parent else ""
        for parent_alias in self._aliases.get(request.parent, frozenset()):
            name = request.name
            if parent_name and name.startswith(parent_name):
                name = parent_alias.rsplit("::", 1)[-1] + name[len(parent_name) :]
            found.add(self.make_urn(parent_alias, request.type, name))
        self._aliases[urn] = frozenset(found - {urn})
        return self._aliases[urn]

    def _transforms(self, urn: str, request: Any) -> list[Any]:
        """As the engine orders them: the resource's own transforms, then each ancestor's
        (a component's `transforms` reach everything under it), then the stack's."""
        own = mocks._resolve_callbacks(request.transforms)
        self._own_transforms[urn] = own
        self._parents[urn] = request.parent
        inherited = []
        parent = request.parent
        while parent:
            inherited += self._own_transforms.get(parent, [])
            parent = self._parents.get(parent, "")
        return own + inherited + self._stack_transforms

    def _apply_transforms(self, urn: str, request: Any, props: dict[str, Any]) -> dict[str, Any]:
        for transform in self._transforms(urn, request):
            args = pulumi.ResourceTransformArgs(
                custom=request.custom,
                type_=request.type,
                name=request.name,
                props=props,
                opts=pulumi.ResourceOptions(),
            )
            result = transform(args)
            if asyncio.iscoroutine(result):
                result = _await_aside(result)
            if result is not None:
                props = dict(result.props)
        return props

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == STACK_TYPE:
            self._stack_urn = urn
            return resource_pb2.RegisterResourceResponse(urn=urn)

        if urn in self.resources:
            # The Pulumi engine refuses a second registration of a URN; the plan fails after the run.
            self.duplicate_urns.append(urn)
            return resource_pb2.RegisterResourceResponse(urn=urn, id=self.resources[urn].id)
        inputs = rpc.deserialize_properties(request.object)
        inputs = self._apply_transforms(urn, request, inputs)
        custom = bool(request.custom)
        # Multi-language components (awsx) are answered like custom resources: under mocks
        # their children never run, so their outputs must come from a fixture.
        answered = custom or bool(request.remote)
        resource_args = mocks.MockResourceArgs(typ=request.type, name=request.name, inputs=inputs, custom=answered)
        answered_id, state = self.mocks.new_resource(resource_args)
        id_ = answered_id or ""
        refused = fixtures.name_problem(request.type, request.name, inputs, state.get("name", "")) if custom else None
        if refused:
            self.refused_names.append(refused)
        self.resources[urn] = mocks.MockMonitor.ResourceRegistration(urn, id_, state)
        parent = request.parent if request.parent and request.parent != self._stack_urn else None
        self.plan.resources.append(
            RecordedResource(
                type=request.type,
                name=request.name,
                urn=urn,
                parent=parent,
                inputs=_unwrap_secrets(inputs),
                custom=custom,
                id=id_,
                state=_unwrap_secrets(state),
                dependencies=frozenset(request.dependencies),
                property_dependencies={
                    key: frozenset(deps.urns) for key, deps in request.propertyDependencies.items() if deps.urns
                },
                protect=bool(request.protect),
                aliases=self._alias_urns(request, urn),
            )
        )
        obj = _completed(rpc.serialize_properties(state, {}))
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=obj)

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        outputs = _unwrap_secrets(rpc.deserialize_properties(request.outputs))
        if request.urn == self._stack_urn:
            self.plan.outputs = outputs
        else:
            self.plan.component_outputs[request.urn] = outputs
        return super().RegisterResourceOutputs(request)


class _WarningRecorder(mocks.MockEngine):
    """The engine's log: warnings (and errors), each with the URN of the resource it is about
    ("" for none). `pulumi.log.warn(..., resource=r)` logs once `r`'s URN resolves, which is
    when the SDK gets to it; `ordered` gives them the plan's order."""

    def __init__(self) -> None:
        super().__init__(logging.Logger("offline", level=logging.WARNING))  # no registry: dies with the run
        self.warnings: list[tuple[str, str]] = []

    def Log(self, request: Any) -> None:  # noqa: N802 - gRPC method name
        if request.severity in (engine_pb2.WARNING, engine_pb2.ERROR):
            self.warnings.append((request.urn, request.message))

    def ordered(self, resources: list[RecordedResource]) -> list[str]:
        """Warnings about no resource first, as logged; then by their resource's place in
        `resources` (tree order), each resource's as logged."""
        position = {r.urn: i for i, r in enumerate(resources)}
        place = [position.get(urn, -1) if urn else -2 for urn, _ in self.warnings]
        order = sorted(range(len(self.warnings)), key=lambda i: (place[i], i))
        return [self.warnings[i][1] for i in order]


def _config_value(value: Any) -> str:
    """Pulumi hands structured config to programs as JSON strings, scalars as strings."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _no_stack_trace() -> source_pb2.StackTrace:
    return source_pb2.StackTrace()


def _contains_unknowns(val: Any) -> bool:
    """`rpc.contains_unknowns`: whether an Unknown lies anywhere in `val`'s dicts and lists
    (each object looked into once, so shared and cyclic structures end), walked without a
    recursive closure. The SDK's defines one per call: a function and its cell in a reference
    cycle, holding its annotations. apps-prod's plan calls it about 13,000 times, and those cycles
    were two thirds of the objects it left for the cyclic collector (116,000; 38,000 now).
    tests/test_engine_runtime.py checks that both give the same answers. Most values it is
    asked about (12,000 of apps-prod's 15,000) are neither a dict nor a list: answered at once."""
    if not isinstance(val, (dict, list)):
        return known_types.is_unknown(val)
    seen: set[int] = set()
    pending = [val]
    while pending:
        item = pending.pop()
        if known_types.is_unknown(item):
            return True
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            pending.extend(item[key] for key in item)
        elif isinstance(item, list):
            pending.extend(item)
    return False


class _InlineExecutor(concurrent.futures.ThreadPoolExecutor):
    """Runs the SDK's engine calls at once, on the event loop's own thread.

    The SDK sends every engine RPC through `loop.run_in_executor`, so that a blocking gRPC
    call never stalls its event loop. The recording monitor answers at once, and the hop to
    a worker thread and back (queue, wake-up, GIL hand-off, the loop's self-pipe) was a
    fifth of each registration. Inline, registrations also happen in the program's own
    order, run after run, where worker threads interleaved them at random. Anything else a
    program hands the loop's default executor (its own blocking work, which may wait on the
    loop) still gets a worker thread.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        if not getattr(fn, "__module__", "").startswith("pulumi."):
            return super().submit(fn, *args, **kwargs)
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # noqa: BLE001 - as a worker thread hands it over; the SDK re-raises it
            future.set_exception(error)
        return future


def _completed(awaitable: Awaitable[T]) -> T:
    """The value of a coroutine that finishes without waiting on anything.

    The monitor serialises plain state (fixture answers, invoke results) through the SDK's
    `rpc.serialize_properties`, a coroutine only because Outputs may need awaiting; the SDK's
    mocks await it with `_sync_await`, which on the loop's own thread would pump the loop
    re-entrantly, running other registrations inside this one.
    """
    if not isinstance(awaitable, Coroutine):
        raise TypeError(f"the offline engine completes coroutines only, not {awaitable!r}")
    try:
        awaitable.send(None)
    except StopIteration as done:
        return cast(T, done.value)
    awaitable.close()
    raise RuntimeError("the offline engine serialises plain values only; this one awaited an Output or a future")


def _await_aside(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine (an async transform) to its end on a thread and loop of its own, in
    this context (the SDK's settings: stack, project, config): the plan's loop is busy
    running the SDK, on this thread."""
    context = contextvars.copy_context()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as aside:
        return aside.submit(context.run, asyncio.run, coroutine).result()


@contextlib.contextmanager
def _plan_runtime() -> Iterator[None]:
    """The process as one plan needs it, restored after (so runs nest and alternate freely).

    - The cyclic collector pauses: a plan builds tens of thousands of long-lived futures,
      outputs and messages and few cycles, and each full collection re-walks all of them,
      which made plan time grow faster than the resource count. Its garbage is collected
      once the collector resumes.
    - Engine RPCs run inline (`_InlineExecutor`), and the SDK's mocks serialise their
      answers without pumping the loop (`_completed`).
    - The SDK's source-position capture is skipped: it walks and formats the Python stack
      for every resource (a sixth of a plan) to fill `sourcePosition`/`stackTrace` in the
      registration request, which only the Pulumi service's UI reads; no plan records them.
    - Outputs look for unknowns with `_contains_unknowns`, which leaves no garbage cycles.
    - The SDK's type hints for property getters come from a table of the plan's own
      (`type_hints.TypeHintsMemo`): each annotation text is evaluated once per binding.
    """
    collecting = gc.isenabled()
    gc.disable()
    stack_trace = sdk_resource._get_stack_trace
    sdk_resource._get_stack_trace = _no_stack_trace
    sync_await = mocks._sync_await
    mocks._sync_await = _completed
    contains_unknowns = rpc.contains_unknowns
    rpc.contains_unknowns = _contains_unknowns
    get_type_hints = sdk_types.get_type_hints
    sdk_types.get_type_hints = TypeHintsMemo(get_type_hints)
    try:
        yield
    finally:
        sdk_resource._get_stack_trace = stack_trace
        mocks._sync_await = sync_await
        rpc.contains_unknowns = contains_unknowns
        sdk_types.get_type_hints = get_type_hints
        if collecting:
            gc.enable()


def run(
    program: Callable[[], Any],
    *,
    stack: str = "test",
    project: str = "aws-compute",
    config: Mapping[str, Any] | None = None,
    secret_keys: Sequence[str] = (),
    references: References | None = None,
) -> Plan:
    """Run `program` as the body of a Pulumi stack and return what it registered.

    `config` maps full keys (`aws-compute:network`, `aws:region`) to values as they stand
    in a stack file. Exceptions from the program propagate unchanged (a `pulumi.RunError`
    is what the CLI would print without a traceback). `references` answers StackReferences
    (`offline.references`); a reference it cannot answer raises StackReferenceError.
    """
    config = dict(config or {})
    region = str(config.get("aws:region", "us-east-1"))
    plan = Plan(project=project, stack=stack, region=region, config=config)
    references = references or References(project)
    monitor = RecordingMonitor(_FixtureMocks(region, stack, references), plan)
    log = _WarningRecorder()

    pulumi.runtime.set_all_config({key: _config_value(value) for key, value in config.items()}, list(secret_keys))
    settings.configure(
        mocks.MockSettings(
            monitor=monitor,
            monitor_features=set(monitor.GetDeploymentInfo(None).supportedFeatures),
            engine=log,
            project=project,
            stack=stack,
            dry_run=False,
            organization="organization",
            callbacks=None,
            # MockSettings keeps the previous run's pending outputs; a run that failed (e.g. a
            # governance transform refusing a resource) would hand them to the next run.
            outputs=set(),
        )
    )
    settings.ROOT.set(None)
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(_report_loop_errors)
    loop.set_default_executor(_InlineExecutor())
    asyncio.set_event_loop(loop)
    try:
        with _plan_runtime():
            loop.run_until_complete(run_in_stack(program))
    except Exception:
        _raise_reference_errors(references)
        raise
    finally:
        _end_leftovers(loop)
        settings.ROOT.set(None)
        loop.close()
    _raise_reference_errors(references)
    # Siblings list by name: the order they registered in is the order their inputs resolved.
    plan.resources[:] = tree_order(plan.resources)
    plan.warnings[:] = log.ordered(plan.resources)
    if monitor.duplicate_urns:
        raise DuplicateUrnError(monitor.duplicate_urns)
    if monitor.refused_names:
        raise RefusedNamesError(monitor.refused_names)
    return plan


#: How asyncio reports a future finalized with an exception nobody read (`<class> exception
#: was never retrieved`) and a task finalized while still waiting on one.
_LEFTOVERS = re.compile(r"\w+ exception was never retrieved|Task was destroyed but it is pending!")


def _end_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel the tasks a failed run leaves pending and let them end, as `asyncio.run` does:
    one that never started would be reported as a coroutine never awaited whenever the
    collector reached it, inside some later run."""
    leftovers = asyncio.all_tasks(loop)
    for task in leftovers:
        task.cancel()
    if leftovers:
        loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))


def _report_loop_errors(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The run's event-loop errors, less the futures and tasks a failed run leaves behind:
    the run already raised the error they hold, and asyncio's report formats a traceback
    wherever they are finalized (on CPython 3.11 that parses source with `ast`, which fails
    with "AST constructor recursion depth mismatch" when it happens inside another parse)."""
    if not _LEFTOVERS.fullmatch(str(context.get("message", ""))):
        loop.default_exception_handler(context)


def _raise_reference_errors(references: References) -> None:
    """A reference nothing answered is the cause of whatever the program made of it."""
    if references.errors:
        raise StackReferenceError("\n".join(dict.fromkeys(str(e) for e in references.errors))) from None
