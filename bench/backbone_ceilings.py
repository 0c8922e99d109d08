"""What the machine can do without our code: Kafka's own producer benchmark, PostgreSQL's COPY."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from backbone_infra import BenchFailure, query

from contracts import Envelope
from linkwell_runtime import db
from linkwell_runtime.kafka_auth import client_kwargs

ROOT = Path(__file__).resolve().parent.parent
POM = ROOT / "bench" / "kafka-tools" / "pom.xml"
TOOLS_LIBS = ROOT / ".local" / "kafka" / "tools-libs"
BROKER_LOG4J = ROOT / "deploy" / "kafka" / "tools-log4j2.yaml"

SUMMARY = re.compile(
    r"(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\),"
    r" ([\d.]+) ms avg latency, ([\d.]+) ms max latency"
)


def tools_libs() -> Path:
    """kafka-tools jars, copied once from Maven Central; the stamp is the pom's hash."""
    stamp = TOOLS_LIBS / ".installed"
    wanted = hashlib.sha256(POM.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return TOOLS_LIBS
    tmp = TOOLS_LIBS.with_name(TOOLS_LIBS.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    print("bench: copying kafka-tools jars from Maven Central (once)")
    subprocess.run(
        ["mvn", "-q", "-B", "-f", str(POM), "dependency:copy-dependencies", f"-DoutputDirectory={tmp}"],
        check=True,
        capture_output=True,
        timeout=900,
    )
    (tmp / ".installed").write_text(wanted)
    shutil.rmtree(TOOLS_LIBS, ignore_errors=True)  # swap, so a failed copy never looks complete
    tmp.rename(TOOLS_LIBS)
    return TOOLS_LIBS


def kafka_producer_perf(bootstrap: str, topic: str, records: int, record_size: int) -> dict:
    """org.apache.kafka.tools.ProducerPerformance, same jar version and durability as the relay, and
    the same SASL login (its properties in an owner-only temporary file, never on the command line)."""
    with tempfile.NamedTemporaryFile("w", suffix=".properties") as config:
        config.write("".join(f"{key}={value}\n" for key, value in java_client_properties().items()))
        config.flush()
        return _producer_perf(bootstrap, topic, records, record_size, config.name)


def java_client_properties() -> dict[str, str]:
    """The SASL settings of linkwell_runtime.kafka_auth for a Java client ({} without a username)."""
    sasl = client_kwargs()
    if not sasl:
        return {}
    module = "scram.ScramLoginModule" if sasl["sasl_mechanism"].startswith("SCRAM") else "plain.PlainLoginModule"
    return {
        "security.protocol": sasl["security_protocol"],
        "sasl.mechanism": sasl["sasl_mechanism"],
        "sasl.jaas.config": f"org.apache.kafka.common.security.{module} required"
        f' username="{sasl["sasl_plain_username"]}" password="{sasl["sasl_plain_password"]}";',
    }


def _producer_perf(bootstrap: str, topic: str, records: int, record_size: int, config: str) -> dict:
    cmd = [
        "java",
        f"-Dlog4j2.configurationFile={BROKER_LOG4J}",
        "-cp",
        f"{tools_libs()}/*",
        "org.apache.kafka.tools.ProducerPerformance",
        "--topic",
        topic,
        "--num-records",
        str(records),
        "--record-size",
        str(record_size),
        "--throughput",
        "-1",
        "--producer.config",
        config,
        "--producer-props",
        f"bootstrap.servers={bootstrap}",
        "acks=all",
        "enable.idempotence=true",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    matches = SUMMARY.findall(out.stdout)
    if out.returncode != 0 or not matches:
        raise BenchFailure(f"ProducerPerformance failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    sent, per_sec, mb, avg_ms, max_ms = matches[-1]  # the last line is the whole run's summary
    return {
        "records": int(sent),
        "records_per_sec": float(per_sec),
        "mb_per_sec": float(mb),
        "avg_latency_ms": float(avg_ms),
        "max_latency_ms": float(max_ms),
        "record_size": record_size,
    }


def postgres_copy(dsn: str, events: list[Envelope]) -> dict:
    """COPY event-store rows into a logged copy of `events` (same columns and indexes, same
    durability as the pipeline's tables) in one transaction; rows/s of the COPY and commit."""
    conn = db.connect(dsn)
    try:
        with db.transaction(conn) as cur:
            cur.execute("CREATE TABLE copy_events (LIKE events INCLUDING CONSTRAINTS INCLUDING INDEXES)")
        buf = io.StringIO()
        writer = csv.writer(buf)
        for position, e in enumerate(events, 1):
            writer.writerow(
                [
                    position,
                    e.event_id,
                    e.aggregate_type,
                    e.aggregate_id,
                    e.aggregate_version,
                    e.event_type,
                    e.schema_version,
                    e.occurred_at.isoformat(),
                    e.recorded_at.isoformat(),
                    e.model_dump_json(),
                ]
            )
        buf.seek(0)
        start = time.monotonic()
        with db.transaction(conn) as cur:
            cur.copy_expert("COPY copy_events FROM STDIN WITH (FORMAT csv)", buf)
        seconds = time.monotonic() - start
    finally:
        conn.close()
    settings = dict(
        query(dsn, "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_level')")
    )
    return {"rows": len(events), "rows_per_sec": len(events) / seconds, "table": "logged", **settings}
