"""Kafka credentials, in one place: every client the platform creates (kafka-python's producers,
consumers and admin clients, faust's aiokafka ones) authenticates with what these settings name.

The broker (deploy/bin/kafka, the linkwell/kafka image) listens with SASL_PLAINTEXT and
SCRAM-SHA-512 and authorises each principal by ACL (linkwell_runtime.kafka_acls): a service may write
only its own topics and read only what it consumes. A process names its principal with
`KAFKA_SASL_USERNAME` and reads the password from `KAFKA_SASL_PASSWORD_FILE` (an owner-only file:
deploy/bin/kafka writes them under its state directory) or `KAFKA_SASL_PASSWORD`. No username: no
authentication, which a broker with SASL refuses; outside development and test it is refused here.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from linkwell_runtime.secret_files import read_secret_file

if TYPE_CHECKING:
    from faust.auth import SASLCredentials

SCRAM = "SCRAM-SHA-512"  # every client's; PLAIN only for the broker's own bootstrap (deploy/bin/kafka)
MECHANISMS = (SCRAM, "PLAIN")

# kafka-python warns at every SCRAM login over SASL_PLAINTEXT that credentials go "in the clear":
# SCRAM never sends the password (a salted challenge and proof); what is in clear is the session,
# which stays on 127.0.0.1 (docs/security.md §12). One line per connection would drown the logs.
logging.getLogger("kafka.sasl.scram").setLevel(logging.ERROR)


class KafkaCredentials(BaseSettings):
    """The principal this process is on Kafka; PlatformSettings has these fields too."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    kafka_sasl_username: str = ""  # empty: no SASL (a broker without authentication)
    kafka_sasl_password: str = ""
    kafka_sasl_password_file: str = ""  # preferred: never in the environment or on a command line
    kafka_sasl_mechanism: str = SCRAM

    @model_validator(mode="after")
    def _credentials_complete(self) -> KafkaCredentials:
        if not self.kafka_sasl_username:
            return self  # refused at the first Kafka client outside development and test (client_kwargs)
        if self.kafka_sasl_mechanism not in MECHANISMS:
            raise ValueError(f"KAFKA_SASL_MECHANISM must be one of {', '.join(MECHANISMS)}")
        if not self.kafka_sasl_password_file and not self.kafka_sasl_password:
            raise ValueError(
                f"KAFKA_SASL_USERNAME is {self.kafka_sasl_username!r} but neither KAFKA_SASL_PASSWORD_FILE"
                " nor KAFKA_SASL_PASSWORD is set"
            )
        return self

    def sasl_password(self) -> str:
        """The password, read from its file at each use (a rotated file is picked up on reconnect)."""
        if not self.kafka_sasl_password_file:
            return self.kafka_sasl_password
        try:
            return read_secret_file(self.kafka_sasl_password_file, "KAFKA_SASL_PASSWORD_FILE")
        except ValueError as exc:
            raise RuntimeError(str(exc)) from None


def client_kwargs(credentials: KafkaCredentials | None = None) -> dict[str, Any]:
    """SASL arguments for a kafka-python or aiokafka client (they share the names); {} without a
    username. `credentials`: from the environment unless given."""
    creds = credentials if credentials is not None else KafkaCredentials()
    if not creds.kafka_sasl_username:
        _refuse_anonymous_outside_development(creds)
        return {}
    return {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": creds.kafka_sasl_mechanism,
        "sasl_plain_username": creds.kafka_sasl_username,
        "sasl_plain_password": creds.sasl_password(),
    }


def connection(bootstrap: str, credentials: KafkaCredentials | None = None) -> dict[str, Any]:
    """`bootstrap_servers` and the SASL arguments: `KafkaProducer(**connection(bootstrap), acks=...)`."""
    return {"bootstrap_servers": bootstrap.split(","), **client_kwargs(credentials)}


def faust_credentials(credentials: KafkaCredentials | None = None) -> SASLCredentials | None:
    """faust's `broker_credentials` (it passes them to aiokafka); None without a username."""
    from faust.auth import SASLCredentials

    creds = credentials if credentials is not None else KafkaCredentials()
    if not creds.kafka_sasl_username:
        _refuse_anonymous_outside_development(creds)
        return None
    return SASLCredentials(
        username=creds.kafka_sasl_username, password=creds.sasl_password(), mechanism=creds.kafka_sasl_mechanism
    )


def _refuse_anonymous_outside_development(credentials: KafkaCredentials) -> None:
    """Fails closed: a process that talks to Kafka outside development and test names its principal.
    Checked when a client is made, not in the settings: processes that never use Kafka (the console)
    need no principal."""
    environment = getattr(credentials, "environment", "") or os.environ.get("ENVIRONMENT", "")
    if environment not in ("", "development", "test"):
        raise RuntimeError(
            f"KAFKA_SASL_USERNAME is not set: outside development and test (ENVIRONMENT={environment}) every"
            " Kafka client authenticates as its service's principal, with KAFKA_SASL_PASSWORD_FILE"
        )
