"""`make bench`: Touchstone against the framework's own ceiling, on the same machine, in one run.

Starts a bare FastAPI app (benchmarks/bare_app.py) and Touchstone side by side, drives both with wrk,
and prints throughput, p50 and p99 per scenario with the ratio to its target. Absolute numbers on a
shared machine mean little; the ratios are the result. Figures also go to benchmarks/latest.json.
"""

from __future__ import annotations

import argparse
import contextlib
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
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import wrk

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PG_URL = os.environ.get("TOUCHSTONE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@dataclass
class Row:
    scenario: str
    figures: wrk.Figures
    target: str = ""
    ratio: float | None = None
    met: bool | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"server at {url} did not become ready")


@contextlib.contextmanager
def server(cmd: list[str], env: dict[str, str], ready: str) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_ready(ready)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


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


def prepare(env: dict[str, str], *, open_count: int, completed: int, bulk: int = 0) -> dict[str, object]:
    run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True, "text": True}
    subprocess.run([str(BIN / "touchstone"), "migrate"], **run)  # type: ignore[call-overload]
    subprocess.run([str(BIN / "touchstone"), "load-questions"], **run)  # type: ignore[call-overload]
    out = subprocess.run(  # type: ignore[call-overload]
        [
            str(BIN / "python"),
            "benchmarks/prepare.py",
            "--open",
            str(open_count),
            "--completed",
            str(completed),
            "--bulk",
            str(bulk),
        ],
        **run,
    ).stdout
    data: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return data


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ratio_row(row: Row, base: wrk.Figures, minimum: float) -> Row:
    row.ratio = row.figures.rps / base.rps if base.rps else 0.0
    row.target = f">= {minimum}x bare"
    row.met = row.ratio >= minimum and row.figures.errors == 0
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--memory-requests", type=int, default=50_000)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    if not wrk.available():
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does this when run as root)")
    secs, conns = args.seconds, args.connections
    rows: list[Row] = []
    tmp = Path(tempfile.mkdtemp(prefix="touchstone-bench-"))
    base_env = dict(os.environ)

    bare_port = free_port()
    bare_cmd = [
        str(BIN / "uvicorn"),
        "benchmarks.bare_app:app",
        "--port",
        str(bare_port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    answers_body = json.dumps({"answers": {f"q{i}": i for i in range(40)}})
    with server(bare_cmd, base_env, f"http://127.0.0.1:{bare_port}/ping"):
        bare_get = wrk.run(f"http://127.0.0.1:{bare_port}/ping", seconds=secs, connections=conns)
        bare_post = wrk.run(
            f"http://127.0.0.1:{bare_port}/answers",
            seconds=secs,
            connections=conns,
            lua=wrk.post_lua("/answers", answers_body, {"Content-Type": "application/json"}),
        )
    rows += [Row("bare GET (small JSON)", bare_get), Row("bare POST (40 answers validated)", bare_post)]

    # --- Touchstone on SQLite, one worker -------------------------------------------------------
    env = touchstone_env(f"sqlite:///{tmp / 'bench.db'}", tmp)
    data = prepare(env, open_count=6000, completed=300)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = [str(BIN / "touchstone"), "serve", "--port", str(port), "--workers", "1"]
    auth = {"Authorization": f"Bearer {data['api_key']}", "Content-Type": "application/json"}
    submit_body = json.dumps({"answers": data["answers"]})
    with server(serve, env, f"{url}/readyz") as proc:
        submit = wrk.run(
            url,
            seconds=secs,
            connections=conns,
            lua=wrk.rotating_lua("POST", [f"/api/v1/assessments/{i}/submit" for i in data["open"]], submit_body, auth),  # type: ignore[union-attr]
        )
        rows.append(ratio_row(Row("submit + score a self-test (API, SQLite, 1 worker)", submit), bare_post, 0.5))
        read = wrk.run(
            url,
            seconds=secs,
            connections=conns,
            lua=wrk.rotating_lua("GET", [f"/api/v1/assessments/{i}/result" for i in data["completed"]], "", auth),  # type: ignore[union-attr]
        )
        rows.append(ratio_row(Row("read a result (API)", read), bare_get, 0.7))
        page = wrk.run(f"{url}/t/{data['page_token']}/s/scenarios_1", seconds=secs, connections=conns)
        rows.append(ratio_row(Row("render a self-test page", page), bare_get, 0.5))

        # Memory: resident size of the worker while it serves --memory-requests result reads.
        samples: list[tuple[int, float]] = [(0, rss_mb(proc.pid))]
        served = 0
        while served < args.memory_requests:
            chunk = wrk.run(
                url,
                seconds=3,
                connections=conns,
                lua=wrk.rotating_lua("GET", [f"/api/v1/assessments/{i}/result" for i in data["completed"]], "", auth),  # type: ignore[union-attr]
            )
            served += chunk.requests
            samples.append((served, rss_mb(proc.pid)))
    half = samples[len(samples) // 2 :]
    growth = (half[-1][1] - half[0][1]) / max(1, (half[-1][0] - half[0][0])) * 10_000
    final_rss = samples[-1][1]

    # --- the HR assessment list: 1,000 against 100,000 assessments -------------------------------
    list_rows = {}
    for size in (1_000, 100_000):
        d = tmp / f"list{size}"
        d.mkdir()
        list_env = touchstone_env(f"sqlite:///{d / 'bench.db'}", d)
        list_data = prepare(list_env, open_count=0, completed=0, bulk=size)
        list_port = free_port()
        list_url = f"http://127.0.0.1:{list_port}"
        cookie = {"Cookie": f"touchstone_session={list_data['hr_cookie']}"}
        cmd = [str(BIN / "touchstone"), "serve", "--port", str(list_port), "--workers", "1"]
        with server(cmd, list_env, f"{list_url}/readyz"):
            lua = "\n".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in cookie.items())
            list_rows[size] = wrk.run(
                f"{list_url}/hr/assessments?status=completed", seconds=secs, connections=conns, lua=lua
            )
    small, large = list_rows[1_000], list_rows[100_000]
    rows.append(Row("HR assessment list, 1,000 assessments", small))
    list_row = Row("HR assessment list, 100,000 assessments", large, target="p99 <= 1.5x the 1,000 case")
    list_row.ratio = large.p99_ms / small.p99_ms if small.p99_ms else None
    list_row.met = list_row.ratio is not None and list_row.ratio <= 1.5 and large.errors == 0
    rows.append(list_row)

    # --- PostgreSQL, two workers ----------------------------------------------------------------
    pg_note = ""
    if not args.skip_postgres:
        try:
            rows.append(postgres_submit(tmp, secs, conns, bare_post))
        except (subprocess.CalledProcessError, OSError, RuntimeError) as error:
            pg_note = f"PostgreSQL run skipped: {error}"

    print_report(rows, final_rss, growth, samples, pg_note)
    shutil.rmtree(tmp, ignore_errors=True)


def postgres_submit(tmp: Path, secs: int, conns: int, bare_post: wrk.Figures) -> Row:
    import psycopg

    name = f"touchstone_bench_{secrets.token_hex(4)}"
    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
        env = touchstone_env(url, tmp)
        data = prepare(env, open_count=8000, completed=10)
        port = free_port()
        serve = [str(BIN / "touchstone"), "serve", "--port", str(port), "--workers", "2"]
        auth = {"Authorization": f"Bearer {data['api_key']}", "Content-Type": "application/json"}
        with server(serve, env, f"http://127.0.0.1:{port}/readyz"):
            figures = wrk.run(
                f"http://127.0.0.1:{port}",
                seconds=secs,
                connections=conns,
                lua=wrk.rotating_lua(
                    "POST",
                    [f"/api/v1/assessments/{i}/submit" for i in data["open"]],  # type: ignore[union-attr]
                    json.dumps({"answers": data["answers"]}),
                    auth,
                ),
            )
        return ratio_row(Row("submit + score (API, PostgreSQL, 2 workers)", figures), bare_post, 0.5)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def print_report(rows: list[Row], rss: float, growth: float, samples: list[tuple[int, float]], pg_note: str) -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'scenario':<54} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}  {'ratio':>6}  target")
    for row in rows:
        f = row.figures
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        verdict = "" if row.met is None else ("met" if row.met else "NOT met")
        print(
            f"{row.scenario:<54} {f.rps:>9.0f} {f.p50_ms:>8.2f} {f.p99_ms:>8.2f} {f.errors:>6}  {ratio:>6}  "
            f"{row.target} {verdict}"
        )
    memory_met = rss <= 150 and growth < 1.0
    print(
        f"memory: worker RSS {rss:.0f} MB after {samples[-1][0]:,} requests; growth {growth:.2f} MB per 10k "
        f"requests over the second half (target <= 150 MB, no growth trend): {'met' if memory_met else 'NOT met'}"
    )
    if pg_note:
        print(pg_note)
    out = {
        "machine": {"arch": platform.machine(), "cores": os.cpu_count(), "python": platform.python_version()},
        "rows": [
            {
                "scenario": r.scenario,
                "rps": round(r.figures.rps, 1),
                "p50_ms": round(r.figures.p50_ms, 2),
                "p99_ms": round(r.figures.p99_ms, 2),
                "errors": r.figures.errors,
                "ratio": r.ratio,
                "target": r.target,
                "met": r.met,
            }
            for r in rows
        ],
        "memory": {"rss_mb": round(rss, 1), "growth_mb_per_10k": round(growth, 3), "samples": samples},
    }
    (ROOT / "benchmarks" / "latest.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
