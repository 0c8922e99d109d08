"""Prometheus metrics of the relay and consumer processes, served by a small HTTP exporter of their
own when `METRICS_PORT` is set (off by default, so tests and benchmarks never open a port):
`GET http://127.0.0.1:$METRICS_PORT/metrics`.

Relay: `linkwell_relay_published_total` (rows sent and acknowledged), `linkwell_relay_backlog`
(unpublished outbox rows, refreshed at most every 5 s), `linkwell_relay_publish_seconds` (a batch's
send-to-mark time, histogram). Consumer: `linkwell_consumer_events_total{consumer,outcome}`
(`applied`, `duplicate`, `dead_lettered`, `passed_over`), `linkwell_consumer_batch_seconds{consumer}`
(histogram), `linkwell_consumer_lag{consumer,topic,partition}` (messages behind the partition's end
after the last batch applied).
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

REGISTRY = CollectorRegistry()  # this process's own: nothing else registers here
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0)

RELAY_PUBLISHED = Counter("linkwell_relay_published", "Outbox rows published and acknowledged", registry=REGISTRY)
RELAY_BACKLOG = Gauge("linkwell_relay_backlog", "Unpublished outbox rows", registry=REGISTRY)
RELAY_PUBLISH_SECONDS = Histogram(
    "linkwell_relay_publish_seconds", "Time to send a batch and mark it published", buckets=BUCKETS, registry=REGISTRY
)
CONSUMER_EVENTS = Counter(
    "linkwell_consumer_events", "Messages a consumer handled, by outcome", ("consumer", "outcome"), registry=REGISTRY
)
CONSUMER_BATCH_SECONDS = Histogram(
    "linkwell_consumer_batch_seconds", "Time to apply a batch", ("consumer",), buckets=BUCKETS, registry=REGISTRY
)
CONSUMER_LAG = Gauge(
    "linkwell_consumer_lag",
    "Messages behind the partition's end",
    ("consumer", "topic", "partition"),
    registry=REGISTRY,
)

_serving: list[int] = []


def enabled() -> bool:
    return bool(_serving)


def serve_from_env() -> int | None:
    """Start the exporter on 127.0.0.1:$METRICS_PORT (`METRICS_HOST` to change the address) when the
    variable is set; returns the port, or None when metrics are off."""
    port = os.environ.get("METRICS_PORT", "").strip()
    if not port or port == "0":
        return None
    if not _serving:
        start_http_server(int(port), addr=os.environ.get("METRICS_HOST", "127.0.0.1"), registry=REGISTRY)
        _serving.append(int(port))
    return _serving[0]
