"""Settings: defaults, URL handling, and one-line errors for unusable values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import ROOT, ConfigError, Environment, Settings, load_settings

PYTHON = sys.executable


def test_default_database_is_sqlite_under_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOUCHSTONE_DATABASE_URL", raising=False)
    settings = Settings(environment=Environment.TEST, _env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == f"sqlite:///{ROOT / 'data' / 'touchstone.db'}"
    assert settings.is_sqlite


def test_plain_postgresql_url_is_rewritten_to_psycopg3() -> None:
    settings = Settings(environment=Environment.TEST, database_url="postgresql://u:p@db:5432/touchstone")
    assert settings.database_url == "postgresql+psycopg://u:p@db:5432/touchstone"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"database_url": "not a url"}, "TOUCHSTONE_DATABASE_URL: 'not a url' is not a database URL"),
        ({"database_url": "mysql://x@y/z"}, "TOUCHSTONE_DATABASE_URL: 'mysql://x@y/z' is neither"),
        ({"environment": "production", "secret_key": "changeme"}, "TOUCHSTONE_SECRET_KEY: must be a random value"),
        ({"environment": "production", "secret_key": ""}, "TOUCHSTONE_SECRET_KEY:"),
        ({"environment": "production", "secret_key": "short-but-not-placeholder"}, "TOUCHSTONE_SECRET_KEY:"),
        ({"max_body_bytes": 0}, "TOUCHSTONE_MAX_BODY_BYTES:"),
        ({"log_level": "chatty"}, "TOUCHSTONE_LOG_LEVEL: 'chatty' is not one of"),
        ({"forwarded_allow_ips": "10.0.0.1, notanip"}, "TOUCHSTONE_FORWARDED_ALLOW_IPS: 'notanip' is not an IP"),
        (
            {"environment": "development", "secret_key": "", "data_dir": "/proc/forbidden"},
            "TOUCHSTONE_DATA_DIR: cannot keep the development secret in /proc/forbidden",
        ),
    ],
)
def test_unusable_values_give_one_line_naming_the_setting(overrides: dict[str, object], expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(**overrides)
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message


def test_production_accepts_a_long_random_secret() -> None:
    settings = load_settings(
        environment="production",
        secret_key="t9X-2mQv_8LrKz3Wc1NpYb7Hd5Sf0GjAe4Ui6Oo",
        base_url="https://hr.example.org",
    )
    assert settings.environment is Environment.PRODUCTION and settings.base_url_configured


def test_production_requires_the_base_url_and_development_does_not() -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(environment="production", secret_key="t9X-2mQv_8LrKz3Wc1NpYb7Hd5Sf0GjAe4Ui6Oo")
    assert str(refused.value).startswith("TOUCHSTONE_BASE_URL must be set in production")
    assert not load_settings(environment="development").base_url_configured


def test_production_refuses_a_secret_of_one_repeated_character() -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(environment="production", secret_key="k" * 48)
    assert "TOUCHSTONE_SECRET_KEY" in str(refused.value) and "k" * 48 not in str(refused.value)


def test_development_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = Settings(environment=Environment.DEVELOPMENT, data_dir=tmp_path, secret_key="")
    second = Settings(environment=Environment.DEVELOPMENT, data_dir=tmp_path, secret_key="")
    assert len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    assert (tmp_path / ".secret_key").stat().st_mode & 0o077 == 0


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, capture_output=True, text=True, env={**os.environ, **env}, timeout=60, cwd=ROOT, check=False
    )


def _touchstone(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run([PYTHON, "-m", "app", *args], env)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["migrate", "serve"])
def test_commands_refuse_bad_config_with_one_line(command: str) -> None:
    result = _touchstone(command, env={"TOUCHSTONE_DATABASE_URL": "nonsense://"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error: TOUCHSTONE_DATABASE_URL:")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_serve_refuses_placeholder_secret_in_production() -> None:
    result = _touchstone("serve", env={"TOUCHSTONE_ENVIRONMENT": "production", "TOUCHSTONE_SECRET_KEY": "changeme"})
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: TOUCHSTONE_SECRET_KEY:")
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("command", ["migrate", "serve"])
def test_commands_refuse_an_unreachable_database(command: str) -> None:
    url = "postgresql://nobody@127.0.0.1:1/none"
    result = _touchstone(command, env={"TOUCHSTONE_DATABASE_URL": url})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error: TOUCHSTONE_DATABASE_URL: cannot ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_app_factory_refuses_bad_config_with_one_line() -> None:
    uvicorn = str(Path(PYTHON).parent / "uvicorn")
    result = _run(
        [uvicorn, "app.main:create_configured_app", "--factory", "--port", "1"],
        env={"TOUCHSTONE_ENVIRONMENT": "production", "TOUCHSTONE_SECRET_KEY": "secret"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("error: TOUCHSTONE_SECRET_KEY:")


@pytest.mark.slow
def test_migrate_to_an_unknown_revision_says_so_in_one_line(tmp_path: Path) -> None:
    env = {"TOUCHSTONE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "TOUCHSTONE_DATA_DIR": str(tmp_path)}
    result = _touchstone("migrate", "nosuchrev", env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == "error: migrate nosuchrev: Can't locate revision identified by 'nosuchrev'"
