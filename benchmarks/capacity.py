"""Simultaneous candidates: locust plays real people taking the self-test, and reports what they met.

Run by `make bench` (benchmarks/run_all.py) once per step; prints one JSON line. Each simulated candidate
takes an invitation link of its own and goes through the whole test as a browser would: opens the link,
accepts the notice, gets each section page, saves every answer as it is given (htmx autosave) after a
think time, sends the section (the plain form), submits on the review page and reads the feedback. Some
clients stall on purpose: they announce an autosave body and send only part of it, again and again.

    python benchmarks/capacity.py --url http://127.0.0.1:8000 --plan plan.json --users 500 --seconds 60
    python benchmarks/capacity.py --url ... --plan plan.json --burst 120
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import gevent  # noqa: E402
from gevent.event import Event  # noqa: E402
from locust import HttpUser, task  # noqa: E402
from locust.env import Environment  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PLAN: dict[str, Any] = {}
# Seconds a candidate thinks before answering a question, and before sending a page.
THINK = (3.0, 7.0)
PAGE_THINK = (1.0, 3.0)


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


class Candidate(HttpUser):
    """One person taking the self-test behind an invitation link, at a person's pace."""

    def wait_time(self) -> float:
        return random.uniform(*PAGE_THINK)

    def _think(self, bounds: tuple[float, float]) -> None:
        gevent.sleep(random.uniform(*bounds))

    @task
    def take_the_test(self) -> None:
        if not PLAN["tokens"]:
            gevent.sleep(1)
            return
        token = PLAN["tokens"].pop()
        link = f"/t/{token}"
        consent = self.client.get(link, name="/t/[token] consent")
        self._think(PAGE_THINK)
        section = self.client.post(link, data={"csrf_token": _csrf(consent.text)}, name="/t/[token] start")
        for step in PLAN["journey"]:
            page = f"{link}/s/{step['section']}"
            if not section.url.endswith(page):
                section = self.client.get(page, name="/t/[token]/s/[section]")
            csrf = _csrf(section.text)
            everything: dict[str, Any] = {"csrf_token": csrf}
            for answer in step["items"]:
                self._think(THINK)
                fields = {"csrf_token": csrf, "autosave_item": answer["item"], **answer["fields"]}
                self.client.post(f"{page}/autosave", data=fields, name="/t/[token]/s/[section]/autosave")
                everything.update(answer["fields"])
            self._think(PAGE_THINK)
            everything["go"] = "next"
            section = self.client.post(page, data=everything, name="/t/[token]/s/[section] send")
        review = section if section.url.endswith("/review") else self.client.get(f"{link}/review", name="review")
        self._think(PAGE_THINK)
        self.client.post(f"{link}/review", data={"csrf_token": _csrf(review.text)}, name="/t/[token]/review submit")


def _stall_forever(url: str, token: str, section: str, stop: Event) -> None:
    """Keep one autosave body stalled after 10 of 87 bytes; when the server gives up (408), start another."""
    parts = urlsplit(url)
    head = (
        f"POST /t/{token}/s/{section}/autosave HTTP/1.1\r\nHost: {parts.hostname}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 87\r\n\r\n"
    ).encode()
    while not stop.is_set():
        try:
            with socket.create_connection((parts.hostname, parts.port or 80), timeout=120) as sock:
                sock.sendall(head + b"csrf_token")
                while sock.recv(65536) and not stop.is_set():
                    pass
        except OSError:
            gevent.sleep(0.5)


def _figures(env: Environment) -> dict[str, Any]:
    total = env.stats.total
    return {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": round(total.total_rps, 1),
        "p50_ms": total.get_response_time_percentile(0.5),
        "p99_ms": total.get_response_time_percentile(0.99),
        "errors": {f"{e.method} {e.name}: {e.error}"[:200]: e.occurrences for e in env.stats.errors.values()},
    }


def run_step(url: str, users: int, seconds: float, slow: int) -> dict[str, Any]:
    """Ramp up to ``users`` candidates, then measure for ``seconds`` with ``slow`` stalled clients alongside."""
    env = Environment(user_classes=[Candidate], host=url)
    runner = env.create_local_runner()
    stop = Event()
    stallers = [gevent.spawn(_stall_forever, url, PLAN["slow_token"], "about_you", stop) for _ in range(slow)]
    runner.start(users, spawn_rate=max(10, users / 10))
    while runner.user_count < users:
        gevent.sleep(0.5)
    gevent.sleep(min(10.0, seconds / 4))  # the first pages of everyone are a burst of their own
    env.stats.reset_all()
    gevent.sleep(seconds)
    figures = _figures(env)
    runner.quit()
    stop.set()
    gevent.killall(stallers, timeout=5)
    return {"users": users, "slow_clients": slow, "seconds": seconds, **figures}


def run_burst(url: str, count: int) -> dict[str, Any]:
    """``count`` candidates on their first section page all save an answer at the same moment."""
    import requests

    go = Event()
    ready: list[int] = []
    timings: list[float] = []
    failures: list[str] = []
    step = PLAN["journey"][0]
    answer = step["items"][0]

    def person() -> None:
        http = requests.Session()
        token = PLAN["tokens"].pop()
        link = f"{url}/t/{token}"
        consent = http.get(link, timeout=60)
        page = http.post(link, data={"csrf_token": _csrf(consent.text)}, timeout=60)
        fields = {"csrf_token": _csrf(page.text), "autosave_item": answer["item"], **answer["fields"]}
        ready.append(1)
        go.wait()
        started = time.perf_counter()
        try:
            saved = http.post(f"{link}/s/{step['section']}/autosave", data=fields, timeout=60)
            if saved.status_code != 200:
                failures.append(f"HTTP {saved.status_code}")
        except requests.RequestException as error:
            failures.append(type(error).__name__)
        timings.append((time.perf_counter() - started) * 1000)

    people = [gevent.spawn(person) for _ in range(count)]
    while len(ready) < count and not all(p.dead for p in people):
        gevent.sleep(0.1)
    go.set()
    gevent.joinall(people, timeout=120)
    timings.sort()
    return {
        "burst": count,
        "requests": len(timings),
        "failures": len(failures) + (count - len(timings)),
        "errors": {text: failures.count(text) for text in set(failures)},
        "p50_ms": round(timings[len(timings) // 2], 1) if timings else None,
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 1) if timings else None,
        "max_ms": round(timings[-1], 1) if timings else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--plan", required=True, type=Path, help="JSON from benchmarks/prepare.py (tokens, journey)")
    parser.add_argument("--skip-tokens", type=int, default=0, help="tokens used by earlier steps")
    parser.add_argument("--users", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--slow", type=int, default=0, help="stalled clients alongside")
    parser.add_argument("--burst", type=int, default=0)
    args = parser.parse_args()
    plan = json.loads(args.plan.read_text())
    tokens = plan["tokens"][args.skip_tokens :]
    PLAN.update(journey=plan["journey"], slow_token=tokens[0], tokens=tokens[1:][::-1])
    if args.burst:
        print(json.dumps(run_burst(args.url, args.burst)))
    else:
        print(json.dumps(run_step(args.url, args.users, args.seconds, args.slow)))


if __name__ == "__main__":
    main()
