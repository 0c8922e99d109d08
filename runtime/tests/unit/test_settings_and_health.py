import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from linkwell_runtime.health import health_router, kafka_check
from linkwell_runtime.settings import PlatformSettings


def test_development_secret_is_refused_in_production():
    with pytest.raises(ValueError, match="JWT_SECRET must be set to a real secret outside development"):
        PlatformSettings(environment="production")
    with pytest.raises(ValueError, match="JWT_SECRET"):
        PlatformSettings(environment="staging")


def test_settings_refuse_to_exist_without_an_explicit_environment(monkeypatch):
    monkeypatch.delenv("ENVIRONMENT", raising=False)
    with pytest.raises(ValueError, match="ENVIRONMENT is not set"):
        PlatformSettings()
    with pytest.raises(ValueError, match="ENVIRONMENT is not set"):
        PlatformSettings(environment="")


def test_an_unknown_environment_name_is_refused():
    with pytest.raises(ValueError, match="ENVIRONMENT must be one of"):
        PlatformSettings(environment="prod")


def test_production_with_a_real_secret_starts(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("JWT_SECRET", "a-real-secret-that-is-at-least-32-chars")
    assert not PlatformSettings().development


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1")
    assert PlatformSettings().kafka_bootstrap_servers == "127.0.0.1:1"


def test_database_url_is_logged_without_its_password():
    settings = PlatformSettings(database_url="postgresql://svc:s3cret@127.0.0.1:5432/db")
    assert "s3cret" not in settings.safe_database_url


def test_ready_answers_503_naming_the_unreachable_dependency():
    app = FastAPI()
    app.include_router(health_router({"kafka": kafka_check("127.0.0.1:9", timeout=0.2), "noop": lambda: None}))
    client = TestClient(app)
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"kafka": "unavailable: ConnectionError", "noop": "ok"}
