"""The pure parts of supervision, request ids and JSON logs."""

from __future__ import annotations

import importlib
import inspect
import json
import logging
import uuid

import pytest

from linkwell_runtime import cli, ops
from linkwell_runtime.logs import JsonFormatter, service_of
from linkwell_runtime.request_context import request_id_from, reset_request_id, set_request_id
from linkwell_runtime.settings import PlatformSettings
from linkwell_runtime.supervisor import Backoff, describe_exit, format_uptime, status_table


def test_restart_delays_double_to_their_cap():
    backoff = Backoff(initial=1.0, maximum=30.0)
    assert [backoff.delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_exits_and_uptimes_read_well():
    assert describe_exit(-9) == "signal SIGKILL" and describe_exit(3) == "exit 3"
    assert format_uptime(None) == "-" and format_uptime(3725) == "1:02:05" and format_uptime(90000) == "1d01h"
    table = status_table(
        [{"name": "a", "state": "running", "pid": 7, "uptime_seconds": 5, "restarts": 2, "last_exit": None}]
    )
    assert table.splitlines()[1].split() == ["a", "running", "7", "0:00:05", "2", "-"]


def test_only_a_uuid_is_taken_as_a_request_id():
    given = uuid.uuid4()
    assert request_id_from(str(given)) == given
    made = request_id_from("Jane Smith, 943 476 5919")
    assert isinstance(made, uuid.UUID) and "Jane" not in str(made)
    assert isinstance(request_id_from(None), uuid.UUID)


def test_a_json_line_has_the_fields_and_the_request_id_while_one_is_set():
    formatter = JsonFormatter("referral", "api")
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "applied %d events", (3,), None)
    record.consumer = "reporting"
    token = set_request_id(uuid.UUID(int=1))
    try:
        line = json.loads(formatter.format(record))
    finally:
        reset_request_id(token)
    assert line["level"] == "warning" and line["service"] == "referral" and line["process"] == "api"
    assert line["message"] == "applied 3 events" and line["consumer"] == "reporting"
    assert line["request_id"] == str(uuid.UUID(int=1))
    assert "request_id" not in json.loads(formatter.format(record))


def test_where_things_are_defaults_to_make_up_and_follows_the_environment(monkeypatch, tmp_path):
    referral = next(s for s in cli.SERVICES if s.name == "referral")
    for suffix in ("URL", "OWNER_URL", "PASSWORD_FILE", "OWNER_PASSWORD_FILE"):
        monkeypatch.delenv(f"REFERRAL_DATABASE_{suffix}", raising=False)
    monkeypatch.setenv("PG_PORT", "56432")
    monkeypatch.setenv("LINKWELL_STATE_DIR", str(tmp_path))
    assert referral.database_url == "postgresql://linkwell_referral@127.0.0.1:56432/linkwell_referral"
    assert referral.owner_database_url == "postgresql://linkwell_referral_owner@127.0.0.1:56432/linkwell_referral"
    (tmp_path / "secrets").mkdir()
    for role, password in (("linkwell_referral", "s3rvice"), ("linkwell_referral_owner", "0wner")):
        (tmp_path / "secrets" / f"pg-{role}.password").write_text(password)
        (tmp_path / "secrets" / f"pg-{role}.password").chmod(0o600)
    assert referral.database_url == "postgresql://linkwell_referral:s3rvice@127.0.0.1:56432/linkwell_referral"
    assert referral.owner_database_url == "postgresql://linkwell_referral_owner:0wner@127.0.0.1:56432/linkwell_referral"
    monkeypatch.setenv("REFERRAL_DATABASE_URL", "postgresql://one:pw@db:5432/referral")
    assert referral.owner_database_url == referral.database_url == "postgresql://one:pw@db:5432/referral"
    monkeypatch.setenv("REFERRAL_API_URL", "http://127.0.0.1:8801")
    assert referral.api_url == "http://127.0.0.1:8801" and referral.group == "referral-engagement-events"
    assert service_of("postgresql://u:p@h:1/linkwell_reporting") == "reporting"


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["status", "--help"],
        ["dlq", "list", "--help"],
        ["dlq", "show", "--help"],
        ["dlq", "redrive", "--help"],
        ["topics", "--help"],
        ["rebuild", "--help"],
        ["migrate", "--help"],
        ["backup", "--help"],
        ["restore", "--help"],
    ],
)
def test_every_command_has_help(capsys, argv):
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 0
    assert "usage: linkwell" in capsys.readouterr().out


@pytest.mark.parametrize("service", [s.name for s in cli.SERVICES])
def test_every_service_has_a_rebuild_the_cli_can_drive(service):
    """`<service>.entrypoints.rebuild`: `rebuild(settings, progress)`, `total_events(settings)`, `Settings`."""
    module = importlib.import_module(next(s for s in cli.SERVICES if s.name == service).rebuilder)
    assert list(inspect.signature(module.rebuild).parameters) == ["settings", "progress"]
    assert inspect.signature(module.rebuild).parameters["progress"].default is None
    assert list(inspect.signature(module.total_events).parameters) == ["settings"]
    assert issubclass(module.Settings, PlatformSettings)


def test_a_rebuild_reads_kafka_as_the_services_own_principal(monkeypatch, tmp_path):
    """The operator's principal reads no event topic: a rebuild logs in as the service, with the
    password file deploy/bin/kafka wrote, or the one `<SERVICE>_KAFKA_SASL_*` name."""
    monkeypatch.setenv("LINKWELL_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "operator")
    engagement = next(s for s in cli.SERVICES if s.name == "engagement")
    assert engagement.kafka_login() == {}  # no file: the CLI's own (tests, a broker without SASL)
    secrets = tmp_path / "kafka" / "secrets"
    secrets.mkdir(parents=True)
    (secrets / "engagement.password").write_text("s3cret")
    login = engagement.kafka_login()
    assert login["kafka_sasl_username"] == "engagement"
    assert login["kafka_sasl_password_file"] == str(secrets / "engagement.password")
    monkeypatch.setenv("ENGAGEMENT_KAFKA_SASL_USERNAME", "engagement-eu")
    monkeypatch.setenv("ENGAGEMENT_KAFKA_SASL_PASSWORD_FILE", "/run/secrets/kafka.password")
    assert engagement.kafka_login()["kafka_sasl_username"] == "engagement-eu"
    assert engagement.kafka_login()["kafka_sasl_password_file"] == "/run/secrets/kafka.password"


def test_the_cli_logs_in_to_kafka_as_the_operator_unless_told_otherwise(tmp_path):
    environ: dict[str, str] = {}
    cli.operator_login_by_default(environ, tmp_path)
    assert environ == {}  # no generated password: nothing to log in with (a broker without SASL)
    secrets = tmp_path / "kafka" / "secrets"
    secrets.mkdir(parents=True)
    (secrets / "operator.password").write_text("s3cret")
    cli.operator_login_by_default(environ, tmp_path)
    assert environ == {
        "KAFKA_SASL_USERNAME": "operator",
        "KAFKA_SASL_PASSWORD_FILE": str(secrets / "operator.password"),
    }
    for given in ({"KAFKA_SASL_USERNAME": "ops-eu"}, {"KAFKA_SASL_PASSWORD_FILE": "/run/secrets/kafka"}):
        cli.operator_login_by_default(environ := dict(given), tmp_path)
        assert environ == given  # what the shell names is used as it is


def test_a_redrive_asks_the_group_a_letter_names_or_every_group_consuming_its_topic():
    from contracts import topics

    def letter(*headers: tuple[str, bytes]) -> ops.DeadLetterRecord:
        named = (("dlq_source_partition", b"2"), ("dlq_source_offset", b"7"), *headers)
        return ops.DeadLetterRecord(topics.dlq(topics.REFERRAL), 0, 5, 0, b"k", named)

    assert cli._groups_for(letter(("dlq_consumer_group", b"reporting")), None) == (["reporting"], None)
    assert cli._groups_for(letter(), "engagement") == (["engagement"], None)
    assert cli._groups_for(letter(), None) == (["engagement", "reporting"], None)  # an older letter
    no_source = ops.DeadLetterRecord(topics.dlq(topics.REFERRAL), 0, 5, 0, b"k", ())
    assert cli._groups_for(no_source, None)[1] == "it names no source partition and offset"
