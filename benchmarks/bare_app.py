"""The framework's own ceiling: a bare FastAPI app with one GET and one POST that validates 40 answers.

`make bench` runs it beside Touchstone on the same machine, so the figures are ratios, not absolutes.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

app = FastAPI()


class Answers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(min_length=40, max_length=40)


@app.get("/ping")
def ping() -> dict[str, str]:
    """Return a small JSON object."""
    return {"status": "ok", "service": "bare"}


@app.post("/answers")
def answers(body: Answers) -> dict[str, int]:
    """Validate a 40-answer body and say how many answers it had."""
    return {"received": len(body.answers)}
