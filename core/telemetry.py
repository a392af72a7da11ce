"""Prometheus counters shared by the API and the job runners of this process."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "pacesetter_http_requests_total",
    "HTTP requests",
    ["method", "path", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "pacesetter_http_request_seconds", "HTTP request latency", ["method", "path"], registry=REGISTRY
)
GRAPHQL_ERRORS = Counter(
    "pacesetter_graphql_errors_total",
    "GraphQL operations answered with errors",
    registry=REGISTRY,
)
JOBS = Counter(
    "pacesetter_jobs_total",
    "Jobs enqueued by this process, and the outcome of those it ran itself (embedded mode)",
    ["function", "event"],
    registry=REGISTRY,
)
QUEUED = Gauge(
    "pacesetter_jobs_queued", "Jobs waiting in the arq queue (production mode)", registry=REGISTRY
)
TASKS = Gauge(
    "pacesetter_asyncio_tasks", "Tasks alive in this process's event loop", registry=REGISTRY
)
LISTENERS = Gauge(
    "pacesetter_event_listeners",
    "Subscribers of this process listening to live events (registered with the bus), by the "
    "kind of channel (awards, progress, credentials: a subscription's own watch, …)",
    ["kind"],
    registry=REGISTRY,
)


def listeners(excluding: str = "credentials") -> float:
    """Subscribers registered in this process, on every kind of channel but `excluding`."""
    return sum(
        sample.value
        for metric in LISTENERS.collect()
        for sample in metric.samples
        if sample.labels.get("kind") != excluding
    )


POLICY_WITHHELD = Counter(
    "pacesetter_policy_withheld_total",
    "Objects a root field's store returned that the viewer may not see (a store bug: the "
    "policy guard withheld them)",
    ["field"],
    registry=REGISTRY,
)
