"""A questionnaire version: the questionnaire plus every data file it is scored with."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import model_validator

from app.scoring.model import Frozen, Lexicon, PlatformCatalogue, Questionnaire, ruled_out_rules
from app.scoring.policy import Policy


class Bundle(Frozen):
    """Everything one questionnaire version is scored with; its content hash is the version."""

    questionnaire: Questionnaire
    policy: Policy
    platforms: PlatformCatalogue
    lexicon: Lexicon

    @model_validator(mode="after")
    def _messages_for_the_questionnaire(self) -> Bundle:
        if "answer_ruled_out" not in self.policy.messages and any(
            ruled_out_rules(item) for item in self.questionnaire.items()
        ):
            raise ValueError("policy: messages lacks answer_ruled_out, which an answer with 'ruled_out_by' needs")
        return self

    def definition(self) -> dict[str, Any]:
        """Return the bundle as plain JSON data, the form stored with each version."""
        return self.model_dump(mode="json")

    def content_hash(self) -> str:
        """Return the SHA-256 of the canonical JSON of the bundle."""
        return definition_hash(self.definition())


def definition_hash(definition: dict[str, Any]) -> str:
    """Hash a stored definition the same way a freshly loaded bundle is hashed."""
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
