"""The aws-compute wheel, built from a copy of this checkout (setuptools writes `build/` and
`*.egg-info` into the tree it builds, and a stale `build/` leaks deleted files into the
wheel), and installed into a throwaway virtualenv outside the repository, as a consumer
would have it. `make wheel` runs `build_wheel` into `dist/`.

The virtualenv gets the wheel and nothing else of the repository; its third-party
dependencies are this checkout's pinned ones, reached through one `.pth` line to
`.venv`'s site-packages (which holds no repository code), so no download is needed.
Both are cached under the system temp folder, keyed on a hash of everything the wheel is
built from: a repeat run reuses them, any edit to the package builds afresh.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from scripts import setup_venv

ROOT = Path(__file__).resolve().parent.parent
#: What setuptools reads to build the wheel.
WHEEL_INPUTS = ("pyproject.toml", "setup.py", "README.md", "components", "offline")
_BUILD = "import sys, setuptools.build_meta as backend; backend.build_wheel(sys.argv[1])"
#: Never copied into the build tree: dot-folders (git, virtualenvs, caches), other
#: virtualenvs, earlier build output, and bench/cdk's npm packages and `cdk synth` output.
_NOT_COPIED = shutil.ignore_patterns(
    ".*", "venv", "__pycache__", "*.pyc", "build", "dist", "*.egg-info", "node_modules", "cdk.out"
)


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def console_script(self) -> Path:
        return self.venv / "bin" / "aws-compute"


def inputs_hash() -> str:
    """Of the wheel's inputs, the interpreter, and the virtualenv the dependencies come from."""
    digest = hashlib.sha256(f"{sys.version}\n{sys.prefix}\n".encode())
    for top in WHEEL_INPUTS:
        path = ROOT / top
        for file in sorted([path] if path.is_file() else path.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(f"{file.relative_to(ROOT)}\n".encode() + file.read_bytes())
    return digest.hexdigest()[:16]


def _run(*args: str | Path, cwd: Path | str | None = None) -> str:
    """The command's stdout; its stderr in the error when it fails."""
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{' '.join(map(str, args))} exited {result.returncode}:\n{result.stderr}")
    return result.stdout


def build_wheel(dist: Path) -> Path:
    """Build the wheel into `dist` from a fresh copy of the checkout; its path."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "src"
        shutil.copytree(ROOT, source, ignore=_NOT_COPIED)
        # setuptools' PEP 517 backend, in process: no pip needed (uv-made virtualenvs have none).
        dist.mkdir(parents=True, exist_ok=True)
        _run(sys.executable, "-c", _BUILD, dist.resolve(), cwd=source)
    return max(dist.glob("aws_compute-*.whl"), key=lambda path: path.stat().st_mtime)


def _build(target: Path) -> Installed:
    wheel = build_wheel(target / "dist")
    installed = Installed(wheel, target / "venv")
    # The pinned uv `make` set up installs in a tenth of a second; without it, the
    # interpreter's bundled pip (ensurepip, offline) takes seconds to put pip in the venv.
    uv = setup_venv.cached_uv(setup_venv.pinned_uv())
    _run(sys.executable, "-m", "venv", *(["--without-pip"] if uv else []), installed.venv)
    purelib = _run(installed.python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    (Path(purelib) / "aws_compute_pinned_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    if uv:
        _run(uv, "pip", "install", "--quiet", "--python", installed.python, "--no-deps", "--no-index", wheel)
    else:
        _run(installed.python, "-m", "pip", "--disable-pip-version-check", "install", "--no-deps", "--no-index", wheel)
    return installed


#: The `<hash>.lock` files of the builds this process uses, held shared until it exits: a
#: build any process uses is never pruned.
_IN_USE: list[IO[str]] = []


def installed_wheel() -> Installed:
    """The wheel and its virtualenv for the current inputs, built once (under an exclusive
    `<hash>.build` lock, so concurrent test workers and checkouts share one build). Builds of
    other inputs that no process is using are removed: every edit makes a new one."""
    cache = Path(tempfile.gettempdir()) / "aws-compute-wheel"
    cache.mkdir(exist_ok=True)
    target = cache / inputs_hash()
    in_use = (cache / f"{target.name}.lock").open("a")
    fcntl.flock(in_use, fcntl.LOCK_SH)
    _IN_USE.append(in_use)
    with (cache / f"{target.name}.build").open("a") as building:
        fcntl.flock(building, fcntl.LOCK_EX)
        done = target / "complete"
        if not done.exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            _build(target)
            done.touch()
    prune(cache, keep=target.name)
    [wheel] = (target / "dist").glob("aws_compute-*.whl")
    return Installed(wheel, target / "venv")


def prune(cache: Path, keep: str) -> None:
    """Remove the builds of other inputs that no process uses (nor builds: a builder holds
    its build's `.lock` shared first)."""
    for lock in cache.glob("*.lock"):
        if lock.stem == keep:
            continue
        with lock.open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            shutil.rmtree(cache / lock.stem, ignore_errors=True)
            (cache / f"{lock.stem}.build").unlink(missing_ok=True)
            lock.unlink()


if __name__ == "__main__":
    print(build_wheel(ROOT / (sys.argv[1] if len(sys.argv) > 1 else "dist")).relative_to(ROOT))  # noqa: T201
