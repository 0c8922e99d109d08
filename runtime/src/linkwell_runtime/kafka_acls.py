"""Who may do what on Kafka: one principal per service, each allowed to write only the topics it
publishes (through its outbox relay) and to read only the topics it consumes (in its own consumer
group), plus the dead letters of what it consumes and the retry requests on the ops topic; an
`operator` principal for the `linkwell` command and deploy/bin/topics, which reads no event: it
creates and configures topics, reads offsets and dead letters (headers only, no payload), and
writes retry requests (linkwell_runtime.retry: the consumer fetches the record itself). The broker
refuses everything else (`allow.everyone.if.no.acl.found=false`); its own `admin` principal is the
only super user.

Derived from the services' settings (contracts.topics, each consumer's `consumer_name`);
tests/security/test_kafka_acls_follow_the_services.py checks that they still agree. A deployment
that renames a topic or a consumer group changes it here too.

`python -m linkwell_runtime.kafka_acls` (run by deploy/bin/kafka and compose's topics job, as
`admin`: KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD_FILE/KAFKA_SASL_MECHANISM) creates the ACLs and
removes any other a platform principal holds (a grant narrowed here is narrowed on a running broker
too); run again it changes nothing.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Any

from contracts import topics
from linkwell_runtime.kafka_auth import connection

log = logging.getLogger(__name__)

ADMIN = "admin"  # the broker's own principal (inter-broker, controller): the only super user
OPERATOR = "operator"


@dataclass(frozen=True)
class Principal:
    """What one service's principal may do: `writes` its published topics, `reads` its consumed
    ones (and writes their `.dlq`) and the retry requests, in its consumer `groups`."""

    writes: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    dead_letters: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dead_letters", tuple(topics.dlq(t) for t in self.reads))


SERVICES: dict[str, Principal] = {
    "referral": Principal(  # its consumer follows the cases and the discharge summaries sent to practices
        writes=(topics.REFERRAL, topics.PATIENT_PSEUDONYMS),
        reads=(topics.ENGAGEMENT, topics.PRACTICE),
        groups=("referral-engagement-events",),
    ),
    "engagement": Principal(
        writes=(topics.ENGAGEMENT, topics.PRACTICE),
        reads=(topics.REFERRAL, topics.DIRECTORY),
        groups=("engagement",),
    ),
    "directory": Principal(writes=(topics.DIRECTORY,)),
    "reporting": Principal(
        writes=(topics.COMMISSIONER, topics.REPORTING),
        reads=(topics.REFERRAL, topics.ENGAGEMENT, topics.COMMISSIONER, topics.PATIENT_PSEUDONYMS),
        groups=("reporting",),
    ),
}
PRINCIPALS = (ADMIN, OPERATOR, *SERVICES)  # deploy/bin/kafka gives each a SCRAM password
TOPIC_PREFIX = "linkwell."  # every platform topic: the operator creates and configures them


def acls() -> list[object]:
    """Every ACL the platform needs (kafka-python ACL objects)."""
    from kafka.admin import ACL, ACLOperation, ACLPermissionType, ResourcePattern, ResourceType
    from kafka.admin.acl_resource import ACLResourcePatternType

    def allow(principal: str, op: ACLOperation, kind: ResourceType, name: str, prefixed: bool = False) -> ACL:
        pattern = ACLResourcePatternType.PREFIXED if prefixed else ACLResourcePatternType.LITERAL
        return ACL(f"User:{principal}", "*", op, ACLPermissionType.ALLOW, ResourcePattern(kind, name, pattern))

    found = []
    for name, grant in SERVICES.items():
        for topic in (*grant.writes, *grant.dead_letters):
            found.append(allow(name, ACLOperation.WRITE, ResourceType.TOPIC, topic))
        for topic in grant.reads:
            found.append(allow(name, ACLOperation.READ, ResourceType.TOPIC, topic))
        for topic in (*grant.reads, *grant.dead_letters):  # a consumer checks their retention first
            found.append(allow(name, ACLOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, topic))
        for group in grant.groups:
            found.append(allow(name, ACLOperation.READ, ResourceType.GROUP, group))
    for name, grant in SERVICES.items():
        if grant.groups:  # a consumer acts on the retry requests for its group (linkwell_runtime.retry)
            found.append(allow(name, ACLOperation.READ, ResourceType.TOPIC, topics.RETRY))
            found.append(allow(name, ACLOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, topics.RETRY))
    # The operator: every platform topic's metadata, configuration and offsets (create, retention,
    # lag, counts), the dead letters (headers only) and the retry requests it writes; no event topic
    # to read or write. Named operations, not ALL: no DELETE (the event topics are logs of record).
    for operation in (
        ACLOperation.CREATE,
        ACLOperation.DESCRIBE,  # metadata and offsets: `status` counts and lag without reading a record
        ACLOperation.DESCRIBE_CONFIGS,
        ACLOperation.ALTER_CONFIGS,  # `linkwell topics` sets retention and min.insync.replicas
    ):
        found.append(allow(OPERATOR, operation, ResourceType.TOPIC, TOPIC_PREFIX, prefixed=True))
    for topic in topics.ALL:
        found.append(allow(OPERATOR, ACLOperation.READ, ResourceType.TOPIC, topics.dlq(topic)))
    found.append(allow(OPERATOR, ACLOperation.WRITE, ResourceType.TOPIC, topics.RETRY))
    found.append(allow(OPERATOR, ACLOperation.DESCRIBE, ResourceType.GROUP, "*"))
    found.append(allow(OPERATOR, ACLOperation.CREATE, ResourceType.CLUSTER, "kafka-cluster"))
    found.append(allow(OPERATOR, ACLOperation.DESCRIBE, ResourceType.CLUSTER, "kafka-cluster"))
    found.append(allow(OPERATOR, ACLOperation.DESCRIBE_CONFIGS, ResourceType.CLUSTER, "kafka-cluster"))
    return found


def apply(bootstrap: str) -> tuple[int, int]:
    """Create every ACL and revoke every other one a platform principal holds (as the principal the
    environment names, which must be a super user); returns (ACLs held, ACLs revoked)."""
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(**connection(bootstrap), client_id="linkwell-acls", request_timeout_ms=30000)
    try:
        wanted = acls()
        result = admin.create_acls(wanted)
        if result.get("failed"):
            raise RuntimeError(f"the broker refused {len(result['failed'])} ACLs: {result['failed'][:3]}")
        stale = _held_beyond(admin, wanted)
        if stale:
            for _, matched, error in admin.delete_acls(stale):
                if error.errno or any(e.errno for _, e in matched):
                    raise RuntimeError(f"the broker did not revoke a stale ACL: {error}")
        return len(wanted), len(stale)
    finally:
        admin.close()


def _held_beyond(admin: Any, wanted: list[Any]) -> list[Any]:
    """The ACLs the broker holds for the platform's principals (not `admin`) that `wanted` lacks."""
    from kafka.admin import ACLFilter, ACLOperation, ACLPermissionType, ResourcePatternFilter, ResourceType
    from kafka.admin.acl_resource import ACLResourcePatternType

    def key(acl: Any) -> tuple[object, ...]:
        p = acl.resource_pattern
        return (
            acl.principal,
            acl.host,
            acl.operation,
            acl.permission_type,
            p.resource_type,
            p.resource_name,
            p.pattern_type,
        )

    every = ACLFilter(
        None,
        None,
        ACLOperation.ANY,
        ACLPermissionType.ANY,
        ResourcePatternFilter(ResourceType.ANY, None, ACLResourcePatternType.ANY),
    )
    held, error = admin.describe_acls(every)
    if error.errno:
        raise RuntimeError(f"the broker did not list its ACLs: {error}")
    ours, keep = {f"User:{p}" for p in PRINCIPALS if p != ADMIN}, {key(a) for a in wanted}
    return [a for a in held if a.principal in ours and key(a) not in keep]


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    try:
        count, revoked = apply(bootstrap)
    except Exception as exc:  # noqa: BLE001 - one line for the operator, then a non-zero exit
        print(f"kafka-acls: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"kafka-acls: {count} ACLs for {', '.join(PRINCIPALS[1:])} on {bootstrap}, {revoked} stale revoked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
