"""Create or update a virtualenv with what a command needs: `runtime` (plan), `dev` (tests,
linters; both in `.venv`) or `scan` (checkov, in `.venv-scan`: its pins clash with .venv's).

`make plan` installs only requirements.txt; `make test` adds requirements-dev.txt. Packages
are installed by uv, pinned in requirements-setup.txt and installed by pip once per machine
into the user's cache (`~/.cache/aws-compute/uv-<version>`, keyed by the pinned version, so
the next clone skips it). uv reads the same indexes, find-links and constraints as this
machine's pip configuration (`pip config list`), so it installs from where pip would.
Without uv (pip cannot fetch it) the venv gets pip and pip installs. Every step prints one
line; the installers print only their summary or errors.

Bytecode is not compiled here: the Makefile lets imports write it, so exactly the modules
a plan or a test imports are compiled, once (pulumi_aws alone has ~2,600 modules, of which
a plan imports about a hundred).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aws-compute"
#: kind -> (virtualenv, requirements, constraints, what it is for)
KINDS = {
    "runtime": (".venv", "requirements.txt", "constraints.txt", "`make plan`"),
    "dev": (".venv", "requirements-dev.txt", "constraints.txt", "`make test`"),
    "scan": (".venv-scan", "requirements-scan.txt", "constraints-scan.txt", "`make scan`"),
}
#: pip's config keys that say where packages come from, by pip's precedence (env first).
PIP_SCOPES = (":env:", "install", "global")
START = time.monotonic()


def step(message: str) -> None:
    print(f"[setup {time.monotonic() - START:5.1f}s] {message}", flush=True)


def pinned_uv() -> str:
    lines = (ROOT / "requirements-setup.txt").read_text().splitlines()
    return next(line.split("==")[1].strip() for line in lines if line.startswith("uv=="))


def pip_sources() -> dict[str, str]:
    """index-url, extra-index-url, find-links, constraint and cert as this machine's pip has them."""
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, check=False
    ).stdout
    found: dict[str, tuple[int, str]] = {}
    for line in listed.splitlines():
        key, _, value = line.partition("=")
        scope, _, name = key.rpartition(".")
        if scope in PIP_SCOPES and value:
            rank = PIP_SCOPES.index(scope)
            if name not in found or rank < found[name][0]:
                found[name] = (rank, ast.literal_eval(value))
    return {name: value for name, (_, value) in found.items()}


def uv_source_args(sources: dict[str, str]) -> list[str]:
    args = ["--index-strategy", "unsafe-best-match"]  # pip's: all indexes' versions, best wins
    for name, flag in (
        ("index-url", "--index-url"),
        ("extra-index-url", "--extra-index-url"),
        ("find-links", "--find-links"),
        ("constraint", "--constraint"),
    ):
        for value in sources.get(name, "").split():
            args += [flag, value]
    return args


def uv_version(uv: Path) -> str | None:
    if not uv.exists():
        return None
    words = subprocess.run([str(uv), "--version"], capture_output=True, text=True, check=False).stdout.split()
    return words[1] if len(words) > 1 else None


def cached_uv(version: str) -> Path | None:
    """uv at the pinned version, if an earlier setup installed it into the user's cache."""
    uv = CACHE / f"uv-{version}" / "bin" / "uv"
    return uv if uv_version(uv) == version else None


def ensure_uv(version: str) -> Path | None:
    """uv at the pinned version, installed by this Python's pip into the user's cache if missing."""
    if uv := cached_uv(version):
        return uv
    tools = CACHE / f"uv-{version}"
    uv = tools / "bin" / "uv"
    step(f"installing uv {version} with pip into {tools}")
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    options = ["--root-user-action=ignore", "--no-deps", "--only-binary", ":all:", "--upgrade", "--target", str(tools)]
    result = subprocess.run([*pip, *options, f"uv=={version}"], capture_output=True, text=True, check=False)
    if result.returncode != 0 or uv_version(uv) != version:
        reason = (result.stderr.strip().splitlines() or ["no uv binary"])[-1]
        step(f"uv unavailable ({reason}); installing with pip instead")
        return None
    return uv


def install(kind: str) -> None:
    folder, *files, purpose = KINDS[kind]
    requirements = [ROOT / file for file in files]
    venv_dir = ROOT / folder
    python = venv_dir / "bin" / "python"
    if not python.exists():
        step(f"creating {folder}")
        venv.EnvBuilder(with_pip=False, symlinks=True).create(venv_dir)
    uv = ensure_uv(pinned_uv())
    if uv is not None:
        step(f"installing {requirements[0].name} with uv")
        sources = pip_sources()
        env = dict(os.environ)
        if sources.get("cert") and "SSL_CERT_FILE" not in env:
            env["SSL_CERT_FILE"] = sources["cert"]
        command = [str(uv), "pip", "install", "--python", str(python), *uv_source_args(sources)]
        command += ["-r", str(requirements[0]), "-c", str(requirements[1])]
        subprocess.run(command, check=True, env=env)
    else:
        if subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True, check=False).returncode:
            step(f"adding pip to {folder}")
            subprocess.run([str(python), "-m", "ensurepip", "--default-pip"], check=True, capture_output=True)
        step(f"installing {requirements[0].name} with pip")
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "-r", str(requirements[0]), "-c", str(requirements[1])], check=True)
    step(f"{folder} ready for {purpose}")


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in KINDS:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(KINDS)}}}")
    try:
        install(sys.argv[1])
    except subprocess.CalledProcessError as error:
        sys.exit(f"setup failed: {' '.join(map(str, error.cmd[:4]))} ... exited with {error.returncode}")
