"""How a reference or a judgement about it was checked."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, StringConstraints, model_validator

from claimtrack.models.common import IsoDate, Record
from claimtrack.vocab import VerificationLevel


class Verification(Record):
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"level": {"const": "unverified"}}},
            "else": {
                "required": ["evidence_url", "checked"],
                "properties": {"evidence_url": {"type": "string"}, "checked": {"type": "string"}},
            },
        }
    )

    level: VerificationLevel
    evidence_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    """The page (publisher, catalogue, review) that confirms the work or its content."""
    checked: IsoDate | None = None
    """When the evidence was consulted (YYYY-MM-DD)."""

    @model_validator(mode="after")
    def _evidence_for_checked_levels(self) -> Verification:
        if self.level is not VerificationLevel.UNVERIFIED and (
            self.evidence_url is None or self.checked is None
        ):
            raise ValueError(f"level {self.level.value!r} needs evidence_url and checked")
        return self
