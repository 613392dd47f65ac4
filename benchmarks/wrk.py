"""Run wrk against a URL and read back throughput and latency percentiles.

wrk's Lua `done()` hook prints one JSON line with the figures, so nothing depends on parsing its
human-readable summary.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors))
end
"""


@dataclass(frozen=True)
class Figures:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def available() -> bool:
    return shutil.which("wrk") is not None


def run(url: str, *, seconds: int = 8, connections: int = 16, threads: int = 2, lua: str = "") -> Figures:
    """Load ``url`` for ``seconds`` and return the figures; ``lua`` may define request()/response()."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua + "\n" + REPORT)
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name, url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)
    line = next(line for line in out.splitlines() if line.startswith("WRK_JSON "))
    return Figures(**json.loads(line.removeprefix("WRK_JSON ")))


def post_lua(path: str, body: str, headers: dict[str, str]) -> str:
    """A wrk script that POSTs ``body`` to ``path`` with ``headers``."""
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(body)}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    lines.append(f"wrk.path = {json.dumps(path)}")
    return "\n".join(lines)


def rotating_lua(method: str, paths: list[str], body: str, headers: dict[str, str], threads: int = 2) -> str:
    """A wrk script that sends every request to a path of its own (one fresh object per request).

    Each wrk thread has its own Lua state, so threads take interleaved slots of ``paths``.
    """
    listing = ", ".join(json.dumps(p) for p in paths)
    header_lines = "\n".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
    return f"""
local paths = {{{listing}}}
local next_tid = 0
setup = function(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
end
local counter = 0
{header_lines}
request = function()
  local slot = (counter * {threads} + tid) % #paths + 1
  counter = counter + 1
  return wrk.format({json.dumps(method)}, paths[slot], nil, {json.dumps(body)})
end
"""
