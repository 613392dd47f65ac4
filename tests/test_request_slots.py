"""A process works on at most TOUCHSTONE_CONCURRENT_REQUESTS requests at once; the others wait their turn,
in order, and past the wait get 503 with Retry-After."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from app.config import Settings
from app.db.engine import connections
from app.main import create_app
from app.middleware import RequestSlotsMiddleware, leave_slot

T = TypeVar("T")


class _Held:
    """An app whose requests stay inside until released; it counts how many are inside at once."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.release = anyio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.inside += 1
        self.most = max(self.most, self.inside)
        await self.release.wait()
        self.inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def _get(app: Any, replies: list[Message]) -> None:
    # The app in the scope is what a 503 problem document is rendered with (here: JSON, no HTML page).
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b"", "app": Starlette()}

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            replies.append(message)

    await app(scope, receive, send)


def _run(main: Callable[[], Awaitable[T]]) -> T:
    # In a thread of its own: the browser tests' Playwright keeps an event loop running in the main thread
    # for the rest of the session, and an event loop cannot start inside another in one thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, main).result()


@dataclass
class _Crowd:
    inside_while_held: int
    most_inside: int
    statuses: list[int]
    free_after: int


def _crowd(held: _Held, slots: int, requests: int) -> _Crowd:
    """Send ``requests`` at once through ``slots`` slots into ``held``; count who got in before the release."""

    async def main() -> _Crowd:
        app = RequestSlotsMiddleware(held, slots=slots, wait=30)
        replies: list[Message] = []
        async with anyio.create_task_group() as group:
            for _ in range(requests):
                group.start_soon(_get, app, replies)
            await anyio.wait_all_tasks_blocked()
            inside_while_held = held.inside
            held.release.set()
        return _Crowd(inside_while_held, held.most, [reply["status"] for reply in replies], app.slots.value)

    return _run(main)


def test_no_more_requests_inside_than_the_slots() -> None:
    crowd = _crowd(_Held(), slots=2, requests=6)
    assert crowd.inside_while_held == 2 and crowd.most_inside == 2
    assert crowd.statuses == [200] * 6


def test_a_request_that_waits_too_long_gets_503_with_retry_after() -> None:
    async def main() -> list[Message]:
        held = _Held()
        app = RequestSlotsMiddleware(held, slots=1, wait=0.05)
        replies: list[Message] = []
        async with anyio.create_task_group() as group:
            group.start_soon(_get, app, replies)
            await anyio.wait_all_tasks_blocked()
            await _get(app, replies)  # the one slot is taken: this one waits, then is turned away
            held.release.set()
        return replies

    replies = _run(main)
    statuses = [reply["status"] for reply in replies]
    assert statuses == [503, 200]
    headers = dict(replies[0]["headers"])
    assert b"retry-after" in headers


def _slots(settings: Settings, engine: Engine) -> int:
    app = create_app(settings, engine=engine, run_startup=False)
    (found,) = [m for m in app.user_middleware if m.cls is RequestSlotsMiddleware]  # type: ignore[comparison-overlap]
    slots = found.kwargs["slots"]
    assert isinstance(slots, int)
    return slots


def test_the_setting_decides_the_slots_up_to_the_database_connections(settings: Settings, engine: Engine) -> None:
    assert Settings.model_fields["concurrent_requests"].default is None
    unset = settings.model_copy(update={"concurrent_requests": None})
    # Unset: fewer on SQLite, whose queries are all work of this process, than on PostgreSQL.
    assert _slots(unset, engine) == (2 if engine.dialect.name == "sqlite" else 4)
    assert _slots(settings.model_copy(update={"concurrent_requests": 3}), engine) == 3
    assert _slots(settings.model_copy(update={"concurrent_requests": 200}), engine) == connections(engine)


class _Leaving(_Held):
    """Like _Held, but each request gives its slot back (leave_slot) before it waits."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        leave_slot(Request(scope))
        await super().__call__(scope, receive, send)


def test_a_request_that_leaves_its_slot_lets_the_next_in_while_it_still_works() -> None:
    crowd = _crowd(_Leaving(), slots=1, requests=3)
    assert crowd.inside_while_held == 3  # one slot, and all three inside: each gave it back on entering
    assert crowd.statuses == [200] * 3
    assert crowd.free_after == 1  # each slot given back once, not again when the response started
