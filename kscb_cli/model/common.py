"""Types and item shapes shared by every kind (RECORDS.md, "Conventions" and "Shared item shapes")."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, Self, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from kscb_cli.base.audiences import Classification

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])\Z")


def _iso_date(value: object) -> object:
    if isinstance(value, datetime):
        raise ValueError("expected a date YYYY-MM-DD without a time")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value} is not a day of the calendar; check the month and day") from None
    raise ValueError("expected a date written YYYY-MM-DD, e.g. 2025-01-31")


def _month(value: object) -> object:
    if isinstance(value, str) and _MONTH.match(value):
        return value
    if isinstance(value, (str, date)) and _DATE.match(str(value)):
        raise ValueError("keep only the month here (YYYY-MM): an exact date can identify a child")
    raise ValueError("expected a month written YYYY-MM, e.g. 2025-03")


IsoDate = Annotated[date, BeforeValidator(_iso_date), Field(json_schema_extra={"format": "date"})]
Month = Annotated[str, BeforeValidator(_month), Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
RecordId = Annotated[str, Field(pattern=r"^[A-Z0-9]+(-[A-Z0-9]+)*$", max_length=64)]
ItemId = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*$")]
Ref = Annotated[
    str,
    Field(
        pattern=r"^[A-Z0-9]+(-[A-Z0-9]+)*(#[A-Z][A-Z0-9]*)?$",
        description="A record id (LCSPR-2025-001) or a record id and item id (LCSPR-2025-001#R2)",
    ),
]
VocabId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, Field(min_length=1)]
Cycle = Annotated[str, Field(pattern=r"^\d{4}(-\d{2,4})?$")]  # a Section 11 cycle: "2025" or "2025-26"


class _Given(set[str]):
    """The names a model was given, shared by every model given the same ones (Strict.model_post_init),
    so never changed: a change would change them all."""

    __slots__ = ()

    def _refuse(self, *args: object) -> None:
        raise TypeError("a validated record is never changed in place: kscb writes its YAML and reads it again")

    add = update = discard = remove = clear = _refuse
    difference_update = intersection_update = symmetric_difference_update = _refuse
    pop = __ior__ = __iand__ = __isub__ = __ixor__ = _refuse  # type: ignore[assignment]


_GIVEN: dict[frozenset[str], _Given] = {}
_M = TypeVar("_M", bound=BaseModel)


class Strict(BaseModel):
    """Unknown fields are errors: a typo must not pass silently.

    Each model's validator is built when it is first used, not when kscb starts (``defer_build``):
    a command that reads a few kinds of record (``kscb changes``, ``kscb actions``) never builds
    the others' (about 75 ms of the 270 ms that importing the models takes).
    """

    model_config = ConfigDict(extra="forbid", validate_default=False, defer_build=True)

    def model_post_init(self, context: object, /) -> None:
        """Every model shares one set of the names it was given with the models given the
        same ones: pydantic keeps a set per model (half a kilobyte; 33 MB of a 10,000-record
        store's 65 MB of models). Records are never changed in place (kscb writes YAML): an
        assignment fails loudly (``_Given``) rather than change the others."""
        names = frozenset(self.__pydantic_fields_set__)
        shared = _GIVEN.get(names)
        if shared is None:
            shared = _GIVEN[names] = _Given(names)
        object.__setattr__(self, "__pydantic_fields_set__", shared)

    def __copy__(self) -> Self:
        """A copy has a set of its own, as pydantic gives it (``model_copy(update=...)`` adds to it)."""
        return _own_names(super().__copy__())

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        return _own_names(super().__deepcopy__(memo))


def _own_names(copied: _M) -> _M:
    """`copied` with a set of given names of its own (a plain set, which pydantic may add to)."""
    object.__setattr__(copied, "__pydantic_fields_set__", set(copied.__pydantic_fields_set__))
    return copied


class Settings(Strict):
    """A Strict model with a set of names of its own, as pydantic makes it: kscb.yaml's few settings,
    which a test or a tool may change in place."""

    def model_post_init(self, context: object, /) -> None:
        return None


class Extension(Strict):
    """An agreed extension of a deadline, or a reason for its delay (Working Together: recorded, not switched off)."""

    agreed: IsoDate = Field(description="The date the extension was agreed")
    new_due: IsoDate = Field(description="The new deadline")
    reason: str = Field(min_length=1, description="Why: the reason for the delay")
    agreed_by: str = Field(
        min_length=1, description="Who agreed it, by role (e.g. Lead safeguarding partner), never a name"
    )


class ClockExtension(Extension):
    """An extension of one of the record's clocks (docs/clocks.md names them)."""

    clock: VocabId = Field(
        description="The clock it extends: final_report, rapid_review, section11, ... (docs/clocks.md)"
    )


SignOffBy = Literal["lead_safeguarding_partner", "delegated_safeguarding_partner"]


class SignOff(Strict):
    """Who signed a decision off (Working Together 2023: lead or delegated safeguarding partner), by role."""

    by: SignOffBy = Field(description="lead_safeguarding_partner or delegated_safeguarding_partner")
    agency: RecordId | None = Field(None, description="The safeguarding partner agency they act for")
    role: str | None = Field(
        None, min_length=1, description="Their role, never a name (e.g. Director of Children's Services)"
    )
    date: IsoDate | None = Field(None, description="The date it was signed off")


class Finding(Strict):
    id: ItemId = Field(description="Item id, unique within the record, e.g. F1")
    type: Literal["systemic", "good_practice", "practice_issue"] = Field(description="What kind of learning this is")
    category: (
        Literal[
            "multi_agency_incidents_and_crises",
            "multi_agency_longer_term",
            "human_reasoning",
            "family_professional_interaction",
            "tools",
            "management_systems",
        ]
        | None
    ) = Field(None, description="SCIE Learning Together finding category")
    summary: Text = Field(description="One sentence stating the pattern, without blame")
    detail: str | None = Field(None, description="Longer text")
    themes: list[VocabId] = Field(
        default_factory=list, description="Theme ids (built-in vocabulary or kscb.yaml themes)"
    )


class Recommendation(Strict):
    id: ItemId = Field(description="Item id, unique within the record, e.g. R1")
    findings: list[Ref] = Field(
        min_length=1, description="Findings this answers: ids of this record's findings (F1) or full references"
    )
    to: Annotated[str, Field(min_length=1)] = Field(
        description="partnership, national, or the id of the agency it is made to"
    )
    text: Text = Field(description="What should change")
    response: Literal["pending", "accepted", "partially_accepted", "not_accepted"] = Field(
        description="The response to the recommendation"
    )
    rationale: str | None = Field(None, description="Why; required when partially_accepted or not_accepted")
    success_criteria: list[Text] = Field(
        default_factory=list,
        description="How we will know it worked: what an evaluation (evaluates: ID#R1) checks (optional addition)",
    )


class RecordBase(Strict):
    """Fields every record has."""

    id: RecordId = Field(description="The record id; equal to the file name without .yaml, unique in the store")
    title: Text = Field(description="A short human title. Never a child's or family member's real name")
    classification: Classification = Field(
        "partnership",
        description="public (may be published), partnership (partner agencies only; the default), restricted (named panel members only)",
    )
    workstream: VocabId | None = Field(None, description="The lead workstream's id, from kscb.yaml")
    priorities: list[VocabId] = Field(default_factory=list, description="Board priority ids, from kscb.yaml")
    themes: list[VocabId] = Field(
        default_factory=list, description="Theme ids, from the built-in vocabulary plus kscb.yaml themes"
    )
    notes: str | None = Field(None, description="Free text")


class Learning(RecordBase):
    """A source of learning: it has findings and recommendations."""

    findings: list[Finding] = Field(default_factory=list, description="What was learned")
    recommendations: list[Recommendation] = Field(
        default_factory=list, description="What should change, and the response"
    )
