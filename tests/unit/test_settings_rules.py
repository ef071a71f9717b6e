"""Settings read from the environment: the derived values other modules rely on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from opad.settings import Settings, local_url
from tests.conftest import make_settings

Make = Callable[..., Settings]


@pytest.fixture
def settings_in(tmp_path: Path) -> Make:
    def make(**values: object) -> Settings:
        return make_settings(tmp_path, **values)

    return make


@pytest.mark.parametrize(
    ("env", "rate", "queued", "limits"),
    [
        ("development", None, None, (0, 0)),  # a local install has no limits
        ("production", None, None, (20, 5)),  # production has them by default
        ("production", 0, 0, (0, 0)),  # an operator may lift them
        ("development", 3, 1, (3, 1)),
        ("production", 100, None, (100, 5)),
    ],
)
def test_generation_limits(
    settings_in: Make, env: str, rate: int | None, queued: int | None, limits: tuple[int, int]
) -> None:
    values: dict[str, object] = {"OPAD_ENV": env}
    if rate is not None:
        values["OPAD_RATE_LIMIT_PER_HOUR"] = rate
    if queued is not None:
        values["OPAD_MAX_QUEUED_PER_USER"] = queued
    assert settings_in(**values).generation_limits == limits


def test_negative_limits_are_refused(settings_in: Make) -> None:
    with pytest.raises(ValidationError, match="OPAD_RATE_LIMIT_PER_HOUR"):
        settings_in(OPAD_RATE_LIMIT_PER_HOUR=-1)


@pytest.mark.parametrize(
    ("auth", "env", "required"),
    [
        ("auto", "development", False),
        ("auto", "production", True),
        ("required", "development", True),
        ("off", "development", False),
    ],
)
def test_when_a_token_is_required(settings_in: Make, auth: str, env: str, required: bool) -> None:
    assert settings_in(OPAD_AUTH=auth, OPAD_ENV=env).auth_required is required


@pytest.mark.parametrize(
    ("registration", "env", "open_"),
    [
        ("auto", "development", True),
        ("auto", "production", False),
        ("open", "production", True),
        ("closed", "development", False),
    ],
)
def test_when_anyone_may_register(
    settings_in: Make, registration: str, env: str, open_: bool
) -> None:
    assert settings_in(OPAD_REGISTRATION=registration, OPAD_ENV=env).registration_open is open_


def test_production_refuses_a_short_secret_and_auth_off(settings_in: Make) -> None:
    with pytest.raises(ValueError, match="OPAD_SECRET_KEY") as info:
        settings_in(
            OPAD_ENV="production", OPAD_AUTH="off", OPAD_SECRET_KEY="short"
        ).check_production()
    assert "OPAD_AUTH=off" in str(info.value)
    settings_in(OPAD_ENV="production", OPAD_SECRET_KEY="k" * 32).check_production()
    settings_in(OPAD_AUTH="off").check_production()  # development: anything goes


def test_database_urls(settings_in: Make, tmp_path: Path) -> None:
    assert settings_in().effective_database_url == f"sqlite:///{tmp_path.resolve()}/opad.db"
    for given in ("postgres://u@h/db", "postgresql://u@h/db"):
        url = settings_in(DATABASE_URL=given).effective_database_url
        assert url == "postgresql+psycopg://u@h/db"
    assert settings_in(DATABASE_URL="sqlite:///x.db").effective_database_url == "sqlite:///x.db"
    # An empty variable (a blank line in .env) means the embedded default.
    assert settings_in(DATABASE_URL="  ").database_url is None


def test_the_offline_engine_is_the_leveler(settings_in: Make) -> None:
    assert settings_in(OPAD_ENGINE=" Offline ").engine == "leveler"
    assert settings_in().engine == "leveler"


def test_client_urls_follow_the_bind_addresses(settings_in: Make) -> None:
    settings = settings_in(OPAD_API_HOST="0.0.0.0", OPAD_API_PORT=9001, OPAD_WEB_HOST="::")
    assert settings.api_url == "http://127.0.0.1:9001"
    assert settings.web_url == f"http://[::1]:{settings.web_port}"
    given = settings_in(OPAD_API_URL="https://api.example.org")
    assert given.api_url == "https://api.example.org"


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("", "http://127.0.0.1:80"),
        ("0.0.0.0", "http://127.0.0.1:80"),
        ("::", "http://[::1]:80"),
        ("fe80::1", "http://[fe80::1]:80"),
        ("[::1]", "http://[::1]:80"),
        ("example.org", "http://example.org:80"),
    ],
)
def test_local_urls(host: str, url: str) -> None:
    assert local_url(host, 80) == url


def test_trusted_proxies_and_content_folder(settings_in: Make, tmp_path: Path) -> None:
    settings = settings_in(OPAD_TRUSTED_PROXIES=" 10.0.0.1, ,192.168.0.0/16 ")
    assert settings.trusted_proxy_list == ["10.0.0.1", "192.168.0.0/16"]
    assert settings.content_dir == tmp_path.resolve() / "content"
    assert settings.heartbeat_path == tmp_path.resolve() / "worker.heartbeat"
    stored = settings_in(STORAGE_URL=f"file://{tmp_path}/store")
    assert stored.content_dir == (tmp_path / "store").resolve()
