"""`opad user tokens`: an operator lists and revokes an account's tokens on the server."""

from __future__ import annotations

import subprocess
from pathlib import Path

from opad.bootstrap import build_services
from opad.services import accounts
from tests.conftest import make_settings
from tests.processes import OPAD, base_env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OPAD, *args], env={**env, "COLUMNS": "120"}, capture_output=True, text=True, timeout=180
    )


def rows(output: str) -> dict[str, list[str]]:
    """The listing's rows by token name: [id, name, kind, state, created, last used, end]."""
    lines = output.strip().splitlines()
    header = lines.index("id\tname\tkind\tstate\tcreated\tlast used\texpires")
    return {cols[1]: cols for cols in (line.split("\t") for line in lines[header + 1 :])}


def test_list_and_revoke_a_users_tokens(tmp_path: Path, machine_redis_url: str) -> None:
    env = base_env(tmp_path, REDIS_URL=machine_redis_url)
    subprocess.run([*OPAD, "migrate"], env=env, check=True, capture_output=True, timeout=180)
    services = build_services(make_settings(tmp_path, REDIS_URL=machine_redis_url))
    try:
        user = accounts.create_user(services, "ana@example.org", "correct horse battery")
        accounts.issue_token(services, user.id, "web sign-in", kind="session")
        laptop, _ = accounts.issue_token(services, user.id, "laptop", expires_in_days=90)
    finally:
        services.close()

    listed = run(env, "user", "tokens", "ana@example.org")
    assert listed.returncode == 0, listed.stderr
    table = rows(listed.stdout)
    assert table["web sign-in"][2:4] == ["session", "active"]
    assert table["laptop"][0] == laptop.id and table["laptop"][2:4] == ["personal", "active"]
    assert table["laptop"][5] == "-" and table["laptop"][6] != "never"

    revoked = run(env, "user", "tokens", "ana@example.org", "--revoke", laptop.id)
    assert revoked.returncode == 0, revoked.stderr
    assert f"revoked {laptop.id}" in revoked.stdout
    assert rows(revoked.stdout)["laptop"][3] == "revoked"
    assert rows(revoked.stdout)["web sign-in"][3] == "active"

    nobody = run(env, "user", "tokens", "nobody@example.org")
    assert nobody.returncode == 1 and "no user with email nobody@example.org" in nobody.stderr
    wrong = run(env, "user", "tokens", "ana@example.org", "--revoke", "not-a-token")
    assert wrong.returncode == 1 and "no token with id not-a-token" in wrong.stderr
