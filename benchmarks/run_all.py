"""`make bench`: Touchstone against the framework's own ceiling and an idiomatic reference, and the number of
simultaneous candidates it serves, on the same machine, in one run.

1. Ratios (wrk, 16 connections): a bare FastAPI app (benchmarks/bare_app.py) and a reference app written
   as the FastAPI documentation would (benchmarks/reference_app.py) beside Touchstone on SQLite with one
   worker: a result read, a candidate's section page, a submit with scoring. Also each server's CPU time
   per request, which a busy machine disturbs less than throughput.
2. Memory of a worker under result reads, the HR list on 1,000 vs 100,000 assessments, a PostgreSQL submit.
3. Capacity (locust, benchmarks/capacity.py): candidates taking the whole test at a person's pace, in
   steps, on SQLite with one worker and on PostgreSQL with two, with stalled clients alongside; the
   largest step with no errors and p99 under 500 ms; then 120 candidates saving at the same moment.

Prints every figure with its target, and the README's performance table; figures go to benchmarks/latest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import wrk

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PG_URL = os.environ.get("TOUCHSTONE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
P99_LIMIT_MS = 500.0
# The capacity figure is searched to this many candidates.
REFINE_STEP = 50


@dataclass
class Row:
    scenario: str
    figures: wrk.Figures
    cpu_us: float | None = None
    target: str = ""
    ratio: float | None = None
    cpu_ratio: float | None = None
    met: bool | None = None


@dataclass
class Capacity:
    label: str
    target: int
    steps: list[dict[str, Any]] = field(default_factory=list)
    burst: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def served(self) -> int:
        good = [s["users"] for s in self.steps if s["failures"] == 0 and s["p99_ms"] < P99_LIMIT_MS]
        return max(good, default=0)

    @property
    def met(self) -> bool:
        return self.served >= self.target and self.burst.get("failures") == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server for {url} exited with code {proc.returncode} before it was ready")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"server at {url} did not become ready")


@contextlib.contextmanager
def server(
    cmd: list[str], env: dict[str, str], ready: str, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    # Output goes to a file: a pipe nobody reads would fill up and stop the server mid-run.
    out = log.open("ab") if log else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_ready(ready, proc)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            out.close()  # type: ignore[union-attr]


def touchstone_env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TOUCHSTONE_ENVIRONMENT="production",
        TOUCHSTONE_SECRET_KEY=secrets.token_urlsafe(48),
        TOUCHSTONE_DATABASE_URL=database_url,
        TOUCHSTONE_DATA_DIR=str(data_dir),
        TOUCHSTONE_LOG_LEVEL="WARNING",
        TOUCHSTONE_API_RATE_LIMIT_PER_MINUTE="100000000",
        TOUCHSTONE_BASE_URL="http://127.0.0.1",
    )
    return env


def prepare(
    env: dict[str, str], *, open_count: int = 0, completed: int = 0, bulk: int = 0, invitations: int = 0
) -> dict[str, Any]:
    run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True, "text": True}
    subprocess.run([str(BIN / "touchstone"), "migrate"], **run)  # type: ignore[call-overload]
    subprocess.run([str(BIN / "touchstone"), "load-questions"], **run)  # type: ignore[call-overload]
    command = [str(BIN / "python"), "benchmarks/prepare.py", "--open", str(open_count), "--completed", str(completed)]
    command += ["--bulk", str(bulk), "--invitations", str(invitations)]
    out = subprocess.run(command, **run).stdout  # type: ignore[call-overload]
    data: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return data


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (uvicorn's workers), user and system."""
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    total = 0
    for p in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def expect_ok(url: str, method: str = "GET", headers: dict[str, str] | None = None, body: str | None = None) -> None:
    """Stop unless one request answers 200: wrk counts a redirect (to the sign-in page, say) as a success,
    and would time the wrong page."""
    reply = httpx.request(method, url, headers=headers, content=body, timeout=60)
    if reply.status_code != 200:
        where = reply.headers.get("location", "")
        raise SystemExit(f"{method} {url} answered {reply.status_code} {where}, not 200: nothing would be measured")


def measure(name: str, pid: int, url: str, secs: int, conns: int, lua: str = "") -> Row:
    before = cpu_seconds(pid)
    figures = wrk.run(url, seconds=secs, connections=conns, lua=lua)
    used = cpu_seconds(pid) - before
    return Row(name, figures, cpu_us=used / figures.requests * 1e6 if figures.requests else None)


def ratio_row(row: Row, base: Row, minimum: float, what: str) -> Row:
    row.ratio = row.figures.rps / base.figures.rps if base.figures.rps else 0.0
    if row.cpu_us and base.cpu_us:
        row.cpu_ratio = base.cpu_us / row.cpu_us
    row.target = f">= {minimum}x {what}"
    row.met = row.ratio >= minimum and row.figures.errors == 0
    return row


def ratios(tmp: Path, secs: int, conns: int, memory_requests: int) -> tuple[list[Row], dict[str, Any]]:
    rows: list[Row] = []
    env = touchstone_env(f"sqlite:///{tmp / 'bench.db'}", tmp)
    data = prepare(env, open_count=6000, completed=300)
    auth = {"Authorization": f"Bearer {data['api_key']}", "Content-Type": "application/json"}
    reads = [f"/api/v1/assessments/{i}/result" for i in data["completed"]]
    plain = [str(BIN / "uvicorn"), "--no-access-log", "--log-level", "warning", "--port"]

    port = free_port()
    with server([*plain, str(port), "benchmarks.bare_app:app"], env, f"http://127.0.0.1:{port}/ping") as proc:
        expect_ok(f"http://127.0.0.1:{port}/ping")
        bare_get = measure("bare GET (small JSON)", proc.pid, f"http://127.0.0.1:{port}/ping", secs, conns)
        body = json.dumps({"answers": {f"q{i}": i for i in range(40)}})
        expect_ok(f"http://127.0.0.1:{port}/answers", "POST", {"Content-Type": "application/json"}, body)
        lua = wrk.post_lua("/answers", body, {"Content-Type": "application/json"})
        bare_post = measure(
            "bare POST (40 answers validated)", proc.pid, f"http://127.0.0.1:{port}/answers", secs, conns, lua
        )
    port = free_port()
    reference_env = {**env, "REFERENCE_DATABASE_URL": env["TOUCHSTONE_DATABASE_URL"]}
    with server(
        [*plain, str(port), "benchmarks.reference_app:app"], reference_env, f"http://127.0.0.1:{port}/docs"
    ) as proc:
        expect_ok(f"http://127.0.0.1:{port}{reads[0]}", headers=auth)
        lua = wrk.rotating_lua("GET", reads, "", auth)
        reference = measure("reference app: read a result", proc.pid, f"http://127.0.0.1:{port}", secs, conns, lua)
    rows += [bare_get, bare_post, reference]

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = [str(BIN / "touchstone"), "serve", "--port", str(port), "--workers", "1"]
    with server(serve, env, f"{url}/readyz", tmp / "serve.log") as proc:
        expect_ok(f"{url}{reads[0]}", headers=auth)
        read = measure("read a result (API)", proc.pid, url, secs, conns, wrk.rotating_lua("GET", reads, "", auth))
        rows.append(ratio_row(read, reference, 1.0, "reference"))
        page_url = f"{url}/t/{data['page_token']}/s/scenarios_1"
        expect_ok(page_url)
        rows.append(
            ratio_row(
                measure("a candidate's section page", proc.pid, page_url, secs, conns), bare_get, 0.25, "bare GET"
            )
        )
        submits = [f"/api/v1/assessments/{i}/submit" for i in data["open"]]
        # The probe submits the first; wrk's own submit of it later answers the stored result.
        expect_ok(f"{url}{submits[0]}", "POST", auth, json.dumps({"answers": data["answers"]}))
        lua = wrk.rotating_lua("POST", submits, json.dumps({"answers": data["answers"]}), auth)
        submit = measure("submit + score a self-test (API)", proc.pid, url, secs, conns, lua)
        rows.append(ratio_row(submit, bare_post, 0.15, "bare POST"))

        # Memory: resident size of the worker while it serves memory_requests result reads.
        samples: list[tuple[int, float]] = [(0, rss_mb(proc.pid))]
        served = 0
        while served < memory_requests:
            chunk = wrk.run(url, seconds=3, connections=conns, lua=wrk.rotating_lua("GET", reads, "", auth))
            served += chunk.requests
            samples.append((served, rss_mb(proc.pid)))
    half = samples[len(samples) // 2 :]
    growth = (half[-1][1] - half[0][1]) / max(1, (half[-1][0] - half[0][0])) * 10_000
    memory = {"rss_mb": round(samples[-1][1], 1), "growth_mb_per_10k": round(growth, 3), "samples": samples}
    return rows, memory


def hr_lists(tmp: Path, secs: int, conns: int) -> list[Row]:
    found = {}
    for size in (1_000, 100_000):
        d = tmp / f"list{size}"
        d.mkdir()
        env = touchstone_env(f"sqlite:///{d / 'bench.db'}", d)
        data = prepare(env, bulk=size)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        cmd = [str(BIN / "touchstone"), "serve", "--port", str(port), "--workers", "1"]
        with server(cmd, env, f"{url}/readyz"):
            listing = f"{url}/hr/assessments?status=completed"
            expect_ok(listing, headers={"Cookie": data["hr_cookie"]})
            lua = f'wrk.headers["Cookie"] = {json.dumps(data["hr_cookie"])}'
            found[size] = wrk.run(listing, seconds=secs, connections=conns, lua=lua)
    small, large = found[1_000], found[100_000]
    row = Row("HR assessment list, 100,000 assessments", large, target="p99 <= 1.5x the 1,000 case")
    row.ratio = large.p99_ms / small.p99_ms if small.p99_ms else None
    row.met = row.ratio is not None and row.ratio <= 1.5 and large.errors == 0
    return [Row("HR assessment list, 1,000 assessments", small), row]


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    import psycopg

    name = f"touchstone_bench_{secrets.token_hex(4)}"
    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_submit(tmp: Path, secs: int, conns: int, bare_post: Row) -> Row:
    with postgres_database() as url:
        env = touchstone_env(url, tmp)
        data = prepare(env, open_count=8000, completed=10)
        port = free_port()
        serve = [str(BIN / "touchstone"), "serve", "--port", str(port), "--workers", "2"]
        auth = {"Authorization": f"Bearer {data['api_key']}", "Content-Type": "application/json"}
        submits = [f"/api/v1/assessments/{i}/submit" for i in data["open"]]
        with server(serve, env, f"http://127.0.0.1:{port}/readyz", tmp / "serve-pg.log") as proc:
            expect_ok(f"http://127.0.0.1:{port}{submits[0]}", "POST", auth, json.dumps({"answers": data["answers"]}))
            lua = wrk.rotating_lua("POST", submits, json.dumps({"answers": data["answers"]}), auth)
            row = measure(
                "submit + score (API, PostgreSQL, 2 workers)", proc.pid, f"http://127.0.0.1:{port}", secs, conns, lua
            )
    row.ratio = row.figures.rps / bare_post.figures.rps if bare_post.figures.rps else None
    return row


def capacity(
    label: str,
    database_url: str,
    data_dir: Path,
    *,
    workers: int,
    steps: list[int],
    target: int,
    slow: int,
    seconds: int,
    refine: int = 2,
) -> Capacity:
    """Step up the number of candidates until one step has errors or a p99 of 500 ms or more, narrow the gap
    to the last step that passed by halving it ``refine`` times, then the burst."""
    found = Capacity(label, target)
    env = touchstone_env(database_url, data_dir)
    burst = 120
    # Each candidate takes one link per journey (several minutes); a few spare ones per step.
    data = prepare(env, invitations=(sum(steps) + refine * max(steps)) * 2 + burst + 100)
    plan = data_dir / f"plan-{workers}.json"
    plan.write_text(json.dumps({"tokens": data["tokens"], "journey": data["journey"]}))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = [str(BIN / "touchstone"), "serve", "--port", str(port), "--workers", str(workers)]
    used = 0
    locust = [str(BIN / "python"), "benchmarks/capacity.py", "--url", url, "--plan", str(plan)]
    with server(serve, env, f"{url}/readyz", data_dir / f"serve-capacity-{workers}.log"):

        def run_step(users: int) -> bool:
            nonlocal used
            args = ["--users", str(users), "--seconds", str(seconds), "--slow", str(slow), "--skip-tokens", str(used)]
            out = subprocess.run([*locust, *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout
            step = json.loads(out.strip().splitlines()[-1])
            used += users * 2
            found.steps.append(step)
            print(
                f"  {label}: {users} candidates: {step['rps']} req/s, "
                f"p99 {step['p99_ms']} ms, {step['failures']} errors",
                flush=True,
            )
            return not step["failures"] and step["p99_ms"] < P99_LIMIT_MS

        failed = next((users for users in steps if not run_step(users)), None)
        # Between the last step that passed and the first that failed, halve the gap a few times: the figure
        # is then within REFINE_STEP of the real one rather than a whole step below it.
        for _ in range(refine):
            if failed is None or failed - found.served <= REFINE_STEP:
                break
            middle = (found.served + failed) // 2 // REFINE_STEP * REFINE_STEP
            if middle <= found.served:
                break
            if not run_step(middle):
                failed = middle
        out = subprocess.run(
            [*locust, "--burst", str(burst), "--skip-tokens", str(used)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        found.burst = json.loads(out.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="per wrk scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--memory-requests", type=int, default=30_000)
    parser.add_argument("--capacity-seconds", type=int, default=60, help="measured per capacity step")
    parser.add_argument("--sqlite-steps", default="100,250,500,750")
    parser.add_argument("--postgres-steps", default="250,500,1000,1500")
    parser.add_argument("--refine", type=int, default=2, help="capacity steps that halve the last gap")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-capacity", action="store_true")
    parser.add_argument("--skip-lists", action="store_true")
    args = parser.parse_args()
    if not wrk.available():
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does this when run as root)")
    tmp = Path(tempfile.mkdtemp(prefix="touchstone-bench-"))
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    print("ratios ...", flush=True)
    rows, memory = ratios(tmp, args.seconds, args.connections, args.memory_requests)
    if not args.skip_lists:
        print("HR lists ...", flush=True)
        rows += hr_lists(tmp, args.seconds, args.connections)
    notes = []
    if not args.skip_postgres:
        try:
            rows.append(postgres_submit(tmp, args.seconds, args.connections, rows[1]))
        except (subprocess.CalledProcessError, OSError, RuntimeError) as error:
            notes.append(f"PostgreSQL submit skipped: {error}")
    capacities: list[Capacity] = []
    if not args.skip_capacity:
        print("capacity ...", flush=True)
        d = tmp / "capacity-sqlite"
        d.mkdir()
        sqlite_steps = [int(n) for n in args.sqlite_steps.split(",")]
        capacities.append(
            capacity(
                "SQLite, 1 worker",
                f"sqlite:///{d / 'bench.db'}",
                d,
                workers=1,
                steps=sqlite_steps,
                target=500,
                slow=1,
                seconds=args.capacity_seconds,
                refine=args.refine,
            )
        )
        if not args.skip_postgres:
            try:
                with postgres_database() as url:
                    d = tmp / "capacity-pg"
                    d.mkdir()
                    pg_steps = [int(n) for n in args.postgres_steps.split(",")]
                    capacities.append(
                        capacity(
                            "PostgreSQL, 2 workers",
                            url,
                            d,
                            workers=2,
                            steps=pg_steps,
                            target=1000,
                            slow=16,
                            seconds=args.capacity_seconds,
                            refine=args.refine,
                        )
                    )
            except (subprocess.CalledProcessError, OSError, RuntimeError) as error:
                notes.append(f"PostgreSQL capacity skipped: {error}")
    load_after = os.getloadavg()[0]
    notes.append(
        f"load average {load_before:.1f} before, {load_after:.1f} after; {time.monotonic() - started:.0f} s in all"
    )
    report(rows, memory, capacities, notes)
    shutil.rmtree(tmp, ignore_errors=True)


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "NOT met")


def report(rows: list[Row], memory: dict[str, Any], capacities: list[Capacity], notes: list[str]) -> None:
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"{'scenario':<48} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>8} {'err':>4} {'CPU µs':>7}  "
        f"{'ratio':>5} {'CPU':>5}  target"
    )
    for row in rows:
        f = row.figures
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        cpu_ratio = f"{row.cpu_ratio:.2f}" if row.cpu_ratio is not None else ""
        cpu = f"{row.cpu_us:.0f}" if row.cpu_us else ""
        print(
            f"{row.scenario:<48} {f.rps:>8.0f} {f.p50_ms:>7.1f} {f.p99_ms:>8.1f} {f.errors:>4} {cpu:>7}  "
            f"{ratio:>5} {cpu_ratio:>5}  {row.target} {_verdict(row.met)}"
        )
    memory_met = memory["rss_mb"] <= 150 and memory["growth_mb_per_10k"] < 1.0
    print(
        f"memory: worker RSS {memory['rss_mb']:.0f} MB after {memory['samples'][-1][0]:,} reads, growth "
        f"{memory['growth_mb_per_10k']:.2f} MB per 10k over the second half (<= 150 MB, no growth): "
        f"{_verdict(memory_met)}"
    )
    for c in capacities:
        print(f"\ncapacity, {c.label} (candidates at a person's pace; p99 < {P99_LIMIT_MS:.0f} ms, no errors):")
        for s in c.steps:
            print(
                f"  {s['users']:>5} candidates + {s['slow_clients']} stalled: {s['rps']:>6} req/s  "
                f"p50 {s['p50_ms']} ms  p99 {s['p99_ms']} ms  errors {s['failures']} {s['errors'] or ''}"
            )
        b = c.burst
        print(
            f"  burst of {b.get('burst')} saving at once: errors {b.get('failures')}, "
            f"p50 {b.get('p50_ms')} ms, p99 {b.get('p99_ms')} ms"
        )
        print(f"  served: {c.served} (target >= {c.target}; burst 0 errors): {_verdict(c.met)}")
    for note in notes:
        print(note)
    print("\nREADME table:\n")
    print("| scenario | req/s | p50 ms | p99 ms | ratio (CPU per request) | target | |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        f = row.figures
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        if row.cpu_ratio is not None:
            ratio += f" ({row.cpu_ratio:.2f})"
        print(
            f"| {row.scenario} | {f.rps:,.0f} | {f.p50_ms:.1f} | {f.p99_ms:.0f} | {ratio} | {row.target} "
            f"| {_verdict(row.met)} |"
        )
    for c in capacities:
        last = max((s for s in c.steps if s["users"] == c.served), key=lambda s: s["users"], default=None)
        shown = f"p99 {last['p99_ms']} ms at {c.served}" if last else "no step passed"
        b = c.burst
        print(
            f"| simultaneous candidates, {c.label} | {c.served:,} | | {shown} | | >= {c.target:,}; burst of "
            f"{b.get('burst')}: {b.get('failures')} errors | {_verdict(c.met)} |"
        )
    print(
        f"| worker memory after {memory['samples'][-1][0]:,} reads | {memory['rss_mb']:.0f} MB, "
        f"{memory['growth_mb_per_10k']:+.2f} MB per 10k | | | | <= 150 MB, no growth | {_verdict(memory_met)} |"
    )
    out = {
        "date": dt.date.today().isoformat(),
        "machine": {"arch": platform.machine(), "cores": os.cpu_count(), "python": platform.python_version()},
        "rows": [
            {
                "scenario": r.scenario,
                "rps": round(r.figures.rps, 1),
                "p50_ms": round(r.figures.p50_ms, 2),
                "p99_ms": round(r.figures.p99_ms, 2),
                "errors": r.figures.errors,
                "cpu_us_per_request": round(r.cpu_us, 1) if r.cpu_us else None,
                "ratio": r.ratio,
                "cpu_ratio": r.cpu_ratio,
                "target": r.target,
                "met": r.met,
            }
            for r in rows
        ],
        "memory": memory,
        "capacity": [
            {"label": c.label, "target": c.target, "served": c.served, "met": c.met, "steps": c.steps, "burst": c.burst}
            for c in capacities
        ],
        "notes": notes,
    }
    (ROOT / "benchmarks" / "latest.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
