"""How the platform's topics sit on the cluster (docker-compose.cluster.yml), checked with a deadline.

    python cluster_topics.py --brokers 3     # three brokers; every topic 3 replicas, all in sync
    python cluster_topics.py --brokers 2     # after one is lost: every partition led by a live
                                             # broker with the two live ones in sync

Every platform topic (contracts.topics, with its .dlq twin) must have replication factor 3 and
min.insync.replicas=2, and so must the consumer offsets topic once it exists. Prints one line per
condition; exit 1 with what is wrong when it does not hold within --deadline seconds.
Settings: KAFKA_BOOTSTRAP_SERVERS.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType

from contracts.topics import deployed
from linkwell_runtime.kafka_auth import connection

REPLICATION, MIN_ISR = 3, "2"


def state(admin: KafkaAdminClient, names: list[str], brokers: int) -> tuple[list[str], str]:
    live = {b["node_id"] for b in admin.describe_cluster()["brokers"]}
    problems = [] if len(live) == brokers else [f"{len(live)} brokers alive ({sorted(live)}), not {brokers}"]
    partitions = 0
    for topic in admin.describe_topics(names):
        if topic["error_code"]:
            problems.append(f"{topic['topic']}: error {topic['error_code']}")
            continue
        for p in topic["partitions"]:
            partitions += 1
            where = f"{topic['topic']}[{p['partition']}]"
            if len(p["replicas"]) != REPLICATION:
                problems.append(f"{where}: {len(p['replicas'])} replicas, not {REPLICATION}")
            if p["leader"] not in live:
                problems.append(f"{where}: no live leader ({p['leader']})")
            if set(p["isr"]) != set(p["replicas"]) & live:
                problems.append(
                    f"{where}: in sync {sorted(p['isr'])}, live replicas {sorted(set(p['replicas']) & live)}"
                )
    for answer in admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, n) for n in names]):
        for error, _, _, name, entries in (r[:5] for r in answer.resources):
            found = {e[0]: e[1] for e in entries}
            if not error and found.get("min.insync.replicas") != MIN_ISR:
                problems.append(f"{name}: min.insync.replicas={found.get('min.insync.replicas')}, not {MIN_ISR}")
    summary = (
        f"{brokers} brokers alive {sorted(live)}; {len(names)} topics, {partitions} partitions: "
        f"replication factor {REPLICATION}, min.insync.replicas {MIN_ISR}, each led by a live broker, "
        f"{min(brokers, REPLICATION)} replicas in sync"
    )
    return problems, summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--brokers", type=int, required=True, help="brokers expected alive")
    ap.add_argument("--deadline", type=float, default=120.0)
    args = ap.parse_args()
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092,127.0.0.1:19192,127.0.0.1:19292")
    admin = KafkaAdminClient(**connection(bootstrap), client_id="linkwell-cluster-check")
    names = deployed()
    if "__consumer_offsets" in admin.list_topics():
        names.append("__consumer_offsets")
    deadline = time.monotonic() + args.deadline
    while True:
        problems, summary = state(admin, names, args.brokers)
        if not problems or time.monotonic() > deadline:
            break
        time.sleep(1)
    admin.close()
    if problems:
        for problem in problems[:20]:
            print(f"cluster: {problem}", file=sys.stderr)
        print(f"cluster: {len(problems)} problems after {args.deadline:.0f}s", file=sys.stderr)
        return 1
    print(f"cluster: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
