"""The learning loop measured: how far round the cycle each source of learning has got.

DOMAIN.md, "The learning cycle": source → findings → recommendations → action plan →
evidence that each action was done → evidence of impact → dissemination. For every review,
audit, Section 11 return, rapid review and child death review, ``loop`` counts each stage:

| stage | done / total |
| --- | --- |
| ``findings`` | 1/1 once the record has a finding; nothing to do (0/0) when it has reported without any (an assured Section 11 return) |
| ``recommendations`` | findings (other than good practice) answered by a recommendation — of this record or any other record that cites the finding |
| ``actions`` | recommendations responded to and, where accepted or partially accepted, answered by at least one action in an action plan (``not_accepted`` needs none; ``pending`` is not done) |
| ``evidence`` | actions of this record (answering its recommendations, or in a plan whose ``source`` it is), withdrawn ones aside, that are complete or embedded |
| ``impact`` | those actions that are embedded (impact evidenced) |
| ``dissemination`` | 1/1 once an approved or published briefing, or delivered or evaluated training, cites the record or one of its items |

A stage is *met* when all of it is done. A stage with nothing to do (no recommendations
because every finding is good practice; no actions because none was accepted) is met
only when every stage before it is, so an empty record is not "round the loop". The
record's ``stage`` is the furthest stage of the unbroken run of met stages from the start
(``none`` before any finding); ``fraction`` is the mean over the six stages of
done/total (an empty stage scores as it is met), rounded to two places; ``next`` is the
first stage not met (None when the loop is closed).

A rapid review whose learning is carried into a review (the review's ``rapid_review``
names it) goes round the loop through that review: its findings count as answered, the
review's recommendations, actions, evidence and impact are added to its own, and the
review's dissemination counts for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .links import DONE_ACTION, Links
from .refs import LEARNING

STAGES = ("findings", "recommendations", "actions", "evidence", "impact", "dissemination")
# Statuses at which a source of learning has reported: its findings are final (before this
# they are drafts, and an empty list means "not yet", not "nothing to learn").
REPORTED = {
    "review": ("final_report", "awaiting_publication", "published", "closed"),
    "audit": ("reported", "qa_approved", "actions_open", "closed"),
    "rapid_review": ("completed", "sent_to_panel", "closed"),
    "section11": ("challenged", "closed"),
    "child_death": ("reviewed", "closed"),
    "inspection": ("reported", "actions_open", "closed"),
    "voice": ("reported", "responded", "closed"),
    "guidance": ("assessed", "consulting", "implementing", "compliant", "closed"),
    "challenge_event": ("reported", "closed"),
}
DISSEMINATING = {"briefing": ("approved", "published"), "training": ("delivered", "evaluated")}


@dataclass(frozen=True)
class Stage:
    name: str
    done: int
    total: int
    met: bool

    def as_dict(self) -> dict:
        return {"name": self.name, "done": self.done, "total": self.total, "met": self.met}


@dataclass(frozen=True)
class Loop:
    record_id: str
    kind: str
    stages: tuple[Stage, ...]
    stage: str  # the furthest stage of the unbroken run of met stages, or "none"
    fraction: float  # 0.0 .. 1.0, two decimal places
    next: str | None  # the first stage not met; None when the loop is closed
    continued_in: tuple[str, ...] = ()  # reviews that carry a rapid review's learning
    disseminated_by: tuple[str, ...] = ()  # briefings and training that count

    @property
    def closed(self) -> bool:
        return self.next is None

    @property
    def label(self) -> str:
        """Short form for tables: ``actions 67%``."""
        return f"{self.stage} {round(self.fraction * 100)}%"

    def as_dict(self) -> dict:
        return {
            "record": self.record_id, "kind": self.kind, "stage": self.stage, "fraction": self.fraction,
            "next": self.next, "closed": self.closed, "stages": [s.as_dict() for s in self.stages],
            "continued_in": list(self.continued_in), "disseminated_by": list(self.disseminated_by),
        }


def _counts(record: Any, links: Links, carried: bool) -> dict[str, list[int]]:
    rid = record.id
    findings = record.findings
    needing = [f for f in findings if f.type != "good_practice"]
    answered = len(needing) if carried else sum(1 for f in needing if links.recs_for_finding.get(f"{rid}#{f.id}"))
    recs = record.recommendations
    responded = 0
    for rec in recs:
        if rec.response == "not_accepted" or (rec.response in ("accepted", "partially_accepted") and links.actions_for_rec.get(f"{rid}#{rec.id}")):
            responded += 1
    actions = [a.action for a in links.actions_of_source.get(rid, ()) if a.action.status != "withdrawn"]
    return {
        "findings": [1, 1] if findings else ([0, 0] if record.status in REPORTED[record.kind] else [0, 1]),
        "recommendations": [answered, len(needing)],
        "actions": [responded, len(recs)],
        "evidence": [sum(1 for a in actions if a.status in DONE_ACTION), len(actions)],
        "impact": [sum(1 for a in actions if a.status == "embedded"), len(actions)],
    }


def disseminators(record_id: str, links: Links) -> list[str]:
    """Approved or published briefings and delivered or evaluated training citing the record or its items."""
    out = []
    for sid in links.disseminated_by(record_id):
        source = links.store.get(sid)
        if source.status in DISSEMINATING[source.kind]:
            out.append(sid)
    return out


def loop(record: Any, links: Links) -> Loop:
    """How far round the learning cycle one source record has got."""
    continued = tuple(sorted(links.continued_in.get(record.id, ()))) if record.kind == "rapid_review" else ()
    counts = _counts(record, links, bool(continued))
    spread = disseminators(record.id, links)
    for review_id in continued:
        review = links.store.get(review_id)
        if review is None or review.kind != "review":
            continue
        theirs = _counts(review, links, False)
        for name in ("recommendations", "actions", "evidence", "impact"):
            counts[name] = [counts[name][0] + theirs[name][0], counts[name][1] + theirs[name][1]]
        spread += [s for s in disseminators(review_id, links) if s not in spread]
    counts["dissemination"] = [1 if spread else 0, 1]
    stages: list[Stage] = []
    chain = True
    reached = "none"
    score = 0.0
    for name in STAGES:
        done, total = counts[name]
        met = chain if total == 0 else done >= total
        score += (1.0 if met else 0.0) if total == 0 else done / total
        stages.append(Stage(name, done, total, met))
        chain = chain and met
        if chain:
            reached = name
    nxt = next((s.name for s in stages if not s.met), None)
    return Loop(record.id, record.kind, tuple(stages), reached, round(score / len(STAGES), 2), nxt, continued, tuple(sorted(spread)))


def loops(store: Any, links: Links | None = None) -> dict[str, Loop]:
    """The loop of every source record in the store, by record id (in id order)."""
    links = links if links is not None else Links(store)
    found = {r.id: loop(r, links) for r in store.records if r.kind in LEARNING}
    return dict(sorted(found.items()))


def summary(found: dict[str, Loop]) -> dict:
    """Store-wide: how many sources stopped at each stage, how many closed, the mean fraction; by kind too."""

    def block(items: list[Loop]) -> dict:
        by_stage = {name: 0 for name in ("none", *STAGES)}
        for lp in items:
            by_stage[lp.stage] += 1
        mean = round(sum(lp.fraction for lp in items) / len(items), 2) if items else 0.0
        return {"sources": len(items), "closed": sum(1 for lp in items if lp.closed), "mean_fraction": mean, "by_stage": by_stage}

    kinds = sorted({lp.kind for lp in found.values()})
    return {
        "all": block(list(found.values())),
        "by_kind": {k: block([lp for lp in found.values() if lp.kind == k]) for k in kinds},
    }


def recommendations_for_standard(record: Any, standard: Any) -> list[str]:
    """Ids of the Section 11 return's recommendations that answer one of its standards.

    A recommendation answers a standard when its text, or the summary or detail of a finding
    it answers (in this return), names the standard: by item id as a word (``S4``), by
    standard id (``service_development_informed_by_children``) or by that id written with
    spaces ("service development informed by children"), in any case.
    """
    import re

    words = [re.escape(standard.id), re.escape(standard.standard), re.escape(standard.standard.replace("_", " "))]
    pattern = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(words) + r")(?![A-Za-z0-9_])", re.IGNORECASE)
    findings = {f.id: f for f in record.findings}
    found = []
    for rec in record.recommendations:
        texts = [rec.text]
        for ref in rec.findings:
            rid, _, item = ref.rpartition("#")
            f = findings.get(item) if rid in ("", record.id) else None
            if f is not None:
                texts += [f.summary, f.detail or ""]
        if any(pattern.search(t) for t in texts):
            found.append(rec.id)
    return found
