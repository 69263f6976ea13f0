"""The performance targets measured on the served process, each beside a no-op of the same server.

Every row starts its own `python -m oncall serve` (bench/served.py: gunicorn, engine on, the fake
Twilio via TWILIO_API_URL, a token from `oncall token create`), sends its load from a separate
client process (bench/client.py, keep-alive http.client over 127.0.0.1) and measures GET /healthz
with the same client, the same way, in the same run. bench/run_all.py runs the rows and prints
the summary; a row function only measures and returns `Row`s.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict

from bench.engine_lag import bench_config, e164
from bench.loadgen import Answer, Request, noop_requests, quantile, send
from bench.rows import ALERTMANAGER, Row, Sizes, escalation_starts, ingest_body, now_iso, scalar, wait_for
from bench.served import DEMO_CONFIG, double_pages, served_stack
from bench.storm import most_in_a_minute
from tests.integration.configs import PHONE, Timing, demo_config, many_teams_config, team_phone
from tests.integration.payloads import am_alert, am_payload

MAX_TEAMS = 1000  # team_phone() numbers people for teams below 1000
WARMUP = 10  # alerts paged before measuring: a fresh worker's first requests are slow
PACED_CONNECTIONS = 32  # threads of a paced client: enough that a slow answer never delays a send


def ingest_rows(
    sizes: Sizes, *, database_url: str | None = None, instances: int = 1, database: str = "SQLite"
):
    """Alertmanager webhook ingest: new alerts, then the same alerts again (dedup); alerts/s."""
    per, posts, starts_at = sizes.per_post, sizes.ingest_posts, now_iso()
    bodies = [Request("POST", ALERTMANAGER, ingest_body(i * per, per, starts_at)) for i in range(posts)]
    warmups = [
        Request("POST", ALERTMANAGER, ingest_body(10**7 + i * per, per, starts_at)) for i in range(instances)
    ]
    connections = 2 * instances
    with served_stack(DEMO_CONFIG, database_url=database_url, instances=instances) as stack:
        noop = send(stack.urls, stack.token, noop_requests(sizes.noop_requests), connections=connections)
        send(stack.urls, stack.token, warmups, connections=connections)
        new = send(stack.urls, stack.token, bodies, connections=connections)
        dedup = send(stack.urls, stack.token, bodies, connections=connections)
        stored = scalar(stack.database_url, "SELECT count(*) FROM alerts")
        doubles = double_pages(stack.fake.snapshot())
    rows = []
    for name, run, target, ok in (
        ("new alerts", new, 5_000, (201,)),
        ("repeats (dedup)", dedup, 20_000, (200,)),
    ):
        rate = len(run.answered) * per / run.elapsed
        rows.append(
            Row(
                name=f"Alertmanager ingest, {per} alerts/POST, {name}",
                target=f">= {target:,} alerts/s",
                figure=rate,
                unit="alerts/s",
                noop=noop.per_second,
                noop_unit="req/s",
                ratio=rate / noop.per_second,
                ratio_means="alerts/s ÷ no-op requests/s: alerts stored in the time of one no-op",
                met=rate >= target and run.errors(ok) == 0,
                database=database,
                instances=instances,
                details={
                    "posts": posts,
                    "connections": connections,
                    "post_p50_ms": run.quantile_ms(0.5),
                    "post_p99_ms": run.quantile_ms(0.99),
                    "noop_p50_ms": noop.quantile_ms(0.5),
                    "noop_p99_ms": noop.quantile_ms(0.99),
                    "http_errors": run.errors(ok),
                    "alerts_stored": stored,
                    "double_pages": doubles,
                },
            )
        )
    return rows


def _team_alert(team: int, severity: str = "page", starts_at: str | None = None) -> Request:
    alert = am_alert(
        f"Bench{team % 10}", severity=severity, team=f"t{team}", starts_at=starts_at or now_iso()
    )
    return Request("POST", ALERTMANAGER, am_payload([alert]))


def paging_row(
    sizes: Sizes, *, database_url: str | None = None, instances: int = 1, database: str = "SQLite"
):
    """Webhook received -> SMS request at the fake Twilio at `paging_rate` alerts/s; p99 ms.

    Each alert is for a team of its own (one SEV-2 SMS each, the call an hour out), so no rate
    limit or bundle delays a page. Latency: the fake's receive time minus the client's send time.
    """
    rate = sizes.paging_rate
    count = min(int(rate * sizes.paging_seconds), MAX_TEAMS - WARMUP)
    config = many_teams_config(count + WARMUP, Timing(level2_after=3600, level3_after=7200), levels=1)
    with served_stack(
        config, database_url=database_url, instances=instances, ONCALL_VOICE_DELAY="3600"
    ) as stack:
        send(stack.urls, stack.token, [_team_alert(t) for t in range(count, count + WARMUP)], connections=2)
        wait_for(lambda: len(stack.fake.first_sms_at()) >= WARMUP, sizes.grace_seconds)
        noop = send(
            stack.urls,
            stack.token,
            noop_requests(int(rate * sizes.noop_seconds)),
            rate=rate,
            connections=PACED_CONNECTIONS,
        )
        stack.fake.clear()
        run = send(
            stack.urls,
            stack.token,
            [_team_alert(t) for t in range(count)],
            rate=rate,
            connections=PACED_CONNECTIONS,
        )
        phones = [e164(team_phone(team, 1)) for team in range(count)]
        wait_for(lambda: all(p in stack.fake.first_sms_at() for p in phones), sizes.grace_seconds)
        arrivals = stack.fake.first_sms_at()
        doubles = double_pages(stack.fake.snapshot())
    latencies = [
        (arrivals[phone] - answer.sent_at) * 1000
        for phone, answer in zip(phones, run.answers, strict=True)
        if phone in arrivals
    ]
    p99, missing = quantile(latencies, 0.99), count - len(latencies)
    return Row(
        name=f"Webhook -> SMS request at the fake Twilio, {rate:g} alerts/s",
        target="p99 <= 250 ms",
        figure=p99,
        unit="ms p99",
        noop=noop.quantile_ms(0.99),
        noop_unit="ms p99",
        ratio=p99 / noop.quantile_ms(0.99),
        ratio_means="p99 ÷ no-op p99 (same rate)",
        met=missing == 0 and p99 <= 250 and doubles == 0,
        database=database,
        instances=instances,
        details={
            "alerts": count,
            "sent_per_s": run.sent_per_second,
            "paged": len(latencies),
            "missing": missing,
            "http_errors": run.errors(),
            "p50_ms": quantile(latencies, 0.5),
            "max_ms": max(latencies, default=float("nan")),
            "double_pages": doubles,
        },
    )


def lag_row(sizes: Sizes) -> Row:
    """Due escalation step -> SMS sent, with `lag_open` held open alerts stored first; p99 lag ms.

    As bench/engine_lag.py defines it: the level-2 SMS request's arrival at the fake minus the
    escalation's started_at (from the database) plus `lag_after`.
    """
    rate = sizes.lag_rate
    count = min(int(rate * sizes.lag_seconds), MAX_TEAMS - WARMUP - 1)
    held_team = count + WARMUP
    config = bench_config(held_team + 1, held_team, sizes.lag_after)
    held = [
        am_alert(f"Held{i % 13}", severity="warning", team=f"t{held_team}", instance=f"h{i}")
        for i in range(sizes.lag_open)
    ]
    seeds = [Request("POST", ALERTMANAGER, am_payload(held[i : i + 100])) for i in range(0, len(held), 100)]
    with served_stack(config, ONCALL_VOICE_DELAY="3600") as stack:
        seeded = send(stack.urls, stack.token, seeds, connections=2, deadline=300)
        open_alerts = scalar(stack.database_url, "SELECT count(*) FROM alerts WHERE status != 'resolved'")
        send(stack.urls, stack.token, [_team_alert(t) for t in range(count, count + WARMUP)], connections=2)
        wait_for(lambda: len(stack.fake.first_sms_at()) >= 2 * WARMUP, sizes.lag_after + sizes.grace_seconds)
        noop = send(
            stack.urls,
            stack.token,
            noop_requests(int(rate * sizes.noop_seconds)),
            rate=rate,
            connections=PACED_CONNECTIONS,
        )
        run = send(
            stack.urls, stack.token, [_team_alert(t) for t in range(count)], rate=rate, keep_bodies=True
        )
        level2 = _level2_phones(run.answers)
        stream_end = max((a.sent_at for a in run.answers), default=time.time())
        wait_for(
            lambda: all(p in stack.fake.first_sms_at() for p in level2.values()), sizes.lag_after + 20, 0.1
        )
        arrivals, starts = stack.fake.first_sms_at(), escalation_starts(stack.database_url)
    due = {alert_id: starts[alert_id] + sizes.lag_after for alert_id in level2 if alert_id in starts}
    lags = {
        alert_id: (arrivals[level2[alert_id]] - at) * 1000
        for alert_id, at in due.items()
        if level2[alert_id] in arrivals
    }
    p99 = quantile(list(lags.values()), 0.99)
    after_stream = [lag for alert_id, lag in lags.items() if due[alert_id] > stream_end]
    return Row(
        name=f"Due escalation step -> sent, {open_alerts:,} open alerts",
        target="p99 lag <= 1 s",
        figure=p99,
        unit="ms p99",
        noop=noop.quantile_ms(0.99),
        noop_unit="ms p99",
        ratio=p99 / noop.quantile_ms(0.99),
        ratio_means="p99 lag ÷ no-op p99 (same rate)",
        met=len(lags) == count and p99 <= 1000,
        details={
            "steps": len(lags),
            "missing": count - len(lags),
            "p50_ms": quantile(list(lags.values()), 0.5),
            "max_ms": max(lags.values(), default=float("nan")),
            "due_after_stream_p99_ms": quantile(after_stream, 0.99),
            "seeded_alerts_per_s": len(held) / seeded.elapsed,
            "seed_http_errors": seeded.errors(),
            "http_errors": run.errors(),
        },
    )


def _level2_phones(answers: list[Answer]) -> dict[int, str]:
    """Alert id -> its level-2 person's number, from the stream's answers (team t is request t)."""
    found = {}
    for team, answer in enumerate(answers):
        if answer.status == 201:
            found[json.loads(answer.body)["created"][0]] = e164(team_phone(team, 2))
    return found


def storm_row(sizes: Sizes) -> Row:
    """10,000 SEV-1 alerts in under 60 s for the demo team: all stored, <= 2 SMS per person a minute."""
    per, alerts = 100, sizes.storm_alerts
    posts = -(-alerts // per)
    rate = posts / sizes.storm_seconds
    bodies = [
        Request(
            "POST",
            ALERTMANAGER,
            am_payload(
                [
                    am_alert(f"Storm{i % 7}", instance=f"host-{i}")
                    for i in range(first, min(first + per, alerts))
                ]
            ),
        )
        for first in range(0, alerts, per)
    ]
    with served_stack(demo_config(), ONCALL_VOICE_DELAY="120") as stack:
        noop = send(
            stack.urls, stack.token, noop_requests(max(10, int(rate * sizes.noop_seconds))), rate=rate
        )
        began = time.time()
        run = send(
            stack.urls, stack.token, bodies, rate=rate, connections=4, deadline=sizes.storm_seconds + 60
        )
        time.sleep(max(0.0, began + sizes.storm_watch - time.time()))
        stored = scalar(stack.database_url, "SELECT count(*) FROM alerts")
        pages = stack.fake.snapshot()
    sms: dict[str, list[float]] = defaultdict(list)
    for page in pages:
        if page.channel == "sms":
            sms[page.to].append(page.at)
    per_person = {person: most_in_a_minute(sorted(sms.get(phone, []))) for person, phone in PHONE.items()}
    worst = max(per_person.values())
    return Row(
        name=f"Storm: {alerts:,} alerts in {sizes.storm_seconds:g} s for one team",
        target="all stored; <= 2 SMS/person/min",
        figure=worst,
        unit="SMS/person/min max",
        noop=noop.quantile_ms(0.99),
        noop_unit="ms p99",
        ratio=run.quantile_ms(0.99) / noop.quantile_ms(0.99),
        ratio_means="storm POST p99 ÷ no-op p99 (same rate)",
        met=stored == alerts and run.errors((201,)) == 0 and worst <= 2,
        note=f"{stored:,}/{alerts:,} stored",
        details={
            "stored": stored,
            "http_errors": run.errors((201,)),
            "post_p50_ms": run.quantile_ms(0.5),
            "post_p99_ms": run.quantile_ms(0.99),
            "watched_s": sizes.storm_watch,
            "sms_per_person_in_watch": {p: len(sms.get(phone, [])) for p, phone in PHONE.items()},
            "most_sms_in_60s": per_person,
        },
    )


def idle_rss_row(sizes: Sizes) -> Row:
    """RSS of the served tree (master + worker) after start, a few requests and `idle_seconds` idle."""
    with served_stack(DEMO_CONFIG) as stack:
        send(stack.urls, stack.token, noop_requests(20))
        time.sleep(1)
        master, workers = stack.instances[0].rss_mb()
        after_noop = master + sum(workers)
        starts_at = now_iso()
        work = [Request("POST", ALERTMANAGER, ingest_body(i * 100, 100, starts_at)) for i in range(3)]
        work += [Request("GET", "/api/v1/alerts?limit=50"), Request("GET", "/api/v1/oncall")]
        send(stack.urls, stack.token, work, connections=1)
        time.sleep(sizes.idle_seconds)
        master, workers = stack.instances[0].rss_mb()
    total = master + sum(workers)
    return Row(
        name="Idle RSS, serve --workers 1 (master + worker)",
        target="<= 120 MB",
        figure=total,
        unit="MB",
        noop=after_noop,
        noop_unit="MB after no-ops only",
        ratio=total / after_noop,
        ratio_means="RSS after alerts ÷ RSS after no-op requests only",
        met=bool(workers) and total <= 120,
        details={"master_mb": master, "workers_mb": workers, "idle_s": sizes.idle_seconds},
    )
