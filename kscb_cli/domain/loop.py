"""The learning loop measured: how far round the cycle each source of learning has got.

DOMAIN.md, "The learning cycle" (and the framework's Table Two): source → findings →
recommendations → action plan → evidence that each action was done → evidence of impact →
evaluation, with dissemination running alongside the actions, not after them. For every
review, audit, Section 11 return, rapid review and child death review, ``loop`` counts:

| stage | done / total |
| --- | --- |
| ``findings`` | 1/1 once the record has a finding; 0/0 (nothing to do) when it has reported without any (an assured Section 11 return), 0/1 before it has reported |
| ``recommendations`` | findings (other than good practice) answered by a recommendation — of this record or any other record that cites the finding |
| ``actions`` | recommendations responded to and, where accepted or partially accepted, answered by at least one action in an action plan (``not_accepted`` needs none; ``pending`` is not done) |
| ``evidence`` | actions of this record (answering its recommendations, or in a plan whose ``source`` it is), withdrawn ones aside, that are complete or embedded |
| ``impact`` | those actions that are embedded (impact evidenced) |
| ``evaluation`` | 1/1 once the learning has been evaluated: training that disseminates it was evaluated (``status: evaluated``, or an ``evaluation`` with a follow-up), or another audit re-audits it (an audit that cites the record or one of its items), or an audit, survey or inspection ``evaluates:`` one of its recommendations or their actions; 0/0 (nothing to evaluate) when no finding asks for change and nothing evaluated it |
| ``dissemination`` | 1/1 once a *published* briefing, or delivered or evaluated training, cites the record or one of its items (an approved briefing not yet published does not count) |

The chain is findings → recommendations → actions → evidence → impact → evaluation. A
stage is *met* when all of it is done; a stage with nothing to do is met only when every
stage before it is. The record's ``stage`` is the furthest stage of the unbroken run of met
chain stages (``none`` before any finding). Dissemination is parallel: it does not wait
for the actions and does not hold up ``stage``, but the loop is not closed without it.

``fraction`` is the mean of done/total over the stages that have something to do (total
above 0), rounded to two places: **an empty stage earns nothing** and costs nothing, so
a record is only as far round the loop as the work it shows — an audit that reported no
findings scores only for sharing what it found, 0.0 until it is shared. ``next`` is the
first chain stage not met, else ``dissemination`` if it is not met (None when closed).

A rapid review's learning can go round the loop through another record, whose
recommendations, actions, evidence, impact, evaluation and dissemination are then added to
its own: a review whose ``rapid_review`` names it (its findings count as answered), or,
when the rapid review's ``decision`` is ``alternative_learning``, any audit or review that
cites it (its findings count as answered once one of those has an accepted or partially
accepted recommendation with an action). Training or briefings citing it count as
dissemination, as for any source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kscb_cli.base.paths import field_of
from kscb_cli.domain.links import Links
from kscb_cli.store.refs import LEARNING

CHAIN = ("findings", "recommendations", "actions", "evidence", "impact", "evaluation")
PARALLEL = ("dissemination",)
STAGES = CHAIN + PARALLEL
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
DISSEMINATING = {"briefing": ("published",), "training": ("delivered", "evaluated")}
CARRIERS = ("audit", "review")  # the records that can carry a rapid review's alternative learning


@dataclass(frozen=True)
class Stage:
    name: str
    done: int
    total: int
    met: bool

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "done": self.done, "total": self.total, "met": self.met}


@dataclass(frozen=True)
class Loop:
    record_id: str
    kind: str
    stages: tuple[Stage, ...]
    stage: str  # the furthest stage of the unbroken run of met chain stages, or "none"
    fraction: float  # 0.0 .. 1.0, two decimal places
    next: str | None  # the first stage not met; None when the loop is closed
    continued_in: tuple[str, ...] = ()  # records that carry a rapid review's learning
    disseminated_by: tuple[str, ...] = ()  # briefings and training that count
    evaluated_by: tuple[str, ...] = ()  # evaluated training and re-audits that count

    @property
    def closed(self) -> bool:
        return self.next is None

    @property
    def label(self) -> str:
        """Short form for tables: ``actions 67%``."""
        return f"{self.stage} {round(self.fraction * 100)}%"

    def as_dict(self) -> dict[str, Any]:
        return {
            "record": self.record_id,
            "kind": self.kind,
            "stage": self.stage,
            "fraction": self.fraction,
            "next": self.next,
            "closed": self.closed,
            "stages": [s.as_dict() for s in self.stages],
            "continued_in": list(self.continued_in),
            "disseminated_by": list(self.disseminated_by),
            "evaluated_by": list(self.evaluated_by),
        }


def _answered_by_action(record: Any, links: Links) -> bool:
    """Whether the record has an accepted (or partially accepted) recommendation answered by an action."""
    return any(
        rec.response in ("accepted", "partially_accepted") and links.actions_for_rec.get(f"{record.id}#{rec.id}")
        for rec in record.recommendations
    )


def _counts(record: Any, links: Links, carried: bool) -> dict[str, list[int]]:
    rid = record.id
    findings = record.findings
    needing = [f for f in findings if f.type != "good_practice"]
    answered = len(needing) if carried else sum(1 for f in needing if links.recs_for_finding.get(f"{rid}#{f.id}"))
    recs = record.recommendations
    responded = 0
    for rec in recs:
        if rec.response == "not_accepted" or (
            rec.response in ("accepted", "partially_accepted") and links.actions_for_rec.get(f"{rid}#{rec.id}")
        ):
            responded += 1
    actions = [a.action for a in links.actions_of_source.get(rid, ()) if a.action.status != "withdrawn"]
    return {
        "findings": [1, 1] if findings else ([0, 0] if record.status in REPORTED[record.kind] else [0, 1]),
        "recommendations": [answered, len(needing)],
        "actions": [responded, len(recs)],
        "evidence": [sum(1 for a in actions if a.is_done), len(actions)],
        "impact": [sum(1 for a in actions if a.status == "embedded"), len(actions)],
    }


def disseminators(record_id: str, links: Links) -> list[str]:
    """Published briefings and delivered or evaluated training citing the record or its items."""
    out = []
    for sid in links.disseminated_by(record_id):
        source = links.store.get(sid)
        if source.status in DISSEMINATING[source.kind]:
            out.append(sid)
    return out


def evaluators(record_id: str, links: Links) -> list[str]:
    """Evaluated training citing the record or its items, audits (other than itself) that cite it (a
    re-audit), and audits, surveys (voice) or inspections recording that they evaluate one of its
    recommendations or the actions answering them (``evaluates:``, issue 14)."""
    out = []
    for sid in links.disseminated_by(record_id):
        source = links.store.get(sid)
        if source.kind == "training" and (
            source.status == "evaluated" or (source.evaluation is not None and source.evaluation.follow_up is not None)
        ):
            out.append(sid)
    for link in links.links_in(record_id):
        source = links.store.get(link.source)
        if source is not None and source.kind == "audit" and source.id != record_id and source.id not in out:
            out.append(source.id)
    for evaluating in links.evaluations_for(record_id).values():
        out += [e for e in evaluating if e != record_id and e not in out]
    return sorted(out)


def carriers(record: Any, links: Links) -> tuple[tuple[str, ...], bool]:
    """(records carrying a rapid review's learning, whether its findings count as answered)."""
    if record.kind != "rapid_review":
        return (), False
    found = set(links.continued_in.get(record.id, ()))
    carried = bool(found)
    if field_of(record, "decision") == "alternative_learning":
        alt = {
            l.source
            for l in links.links_in(record.id)
            if getattr(links.store.get(l.source), "kind", None) in CARRIERS and l.source != record.id
        }
        found |= alt
        carried = carried or any(_answered_by_action(links.store.get(a), links) for a in alt)
    return tuple(sorted(found)), carried


def loop(record: Any, links: Links) -> Loop:
    """How far round the learning cycle one source record has got."""
    continued, carried = carriers(record, links)
    counts = _counts(record, links, carried)
    spread = disseminators(record.id, links)
    checked = evaluators(record.id, links)
    for other_id in continued:
        other = links.store.get(other_id)
        if other is None or other.kind not in CARRIERS:
            continue
        theirs = _counts(other, links, False)
        for name in ("recommendations", "actions", "evidence", "impact"):
            counts[name] = [counts[name][0] + theirs[name][0], counts[name][1] + theirs[name][1]]
        spread += [s for s in disseminators(other_id, links) if s not in spread]
        checked += [s for s in evaluators(other_id, links) if s not in checked and s != other_id]
    needs_change = (
        any(f.type != "good_practice" for f in record.findings)
        or bool(record.recommendations)
        or counts["recommendations"][1] > 0
    )
    counts["evaluation"] = [1, 1] if checked else [0, 1 if needs_change else 0]
    counts["dissemination"] = [1 if spread else 0, 1]
    stages: list[Stage] = []
    chain = True
    reached = "none"
    score = 0.0
    scored = 0
    for name in STAGES:
        done, total = counts[name]
        parallel = name in PARALLEL
        met = (chain if not parallel else True) if total == 0 else done >= total
        if total:  # an empty stage earns nothing, and costs nothing
            score += done / total
            scored += 1
        stages.append(Stage(name, done, total, met))
        if not parallel:
            chain = chain and met
            if chain:
                reached = name
    nxt = next((s.name for s in stages if s.name in CHAIN and not s.met), None) or next(
        (s.name for s in stages if not s.met), None
    )
    return Loop(
        record.id,
        record.kind,
        tuple(stages),
        reached,
        round(score / scored, 2) if scored else 0.0,
        nxt,
        continued,
        tuple(sorted(spread)),
        tuple(sorted(set(checked))),
    )


def loops(store: Any, links: Links | None = None) -> dict[str, Loop]:
    """The loop of every source record in the store, by record id (in id order)."""
    links = links if links is not None else Links(store)
    found = {r.id: loop(r, links) for r in store.records if r.kind in LEARNING}
    return dict(sorted(found.items()))


def summary(found: dict[str, Loop]) -> dict[str, Any]:
    """Store-wide: how many sources stopped at each stage, how many closed, the mean fraction; by kind too."""

    def block(items: list[Loop]) -> dict[str, Any]:
        by_stage = {name: 0 for name in ("none", *CHAIN)}
        for lp in items:
            by_stage[lp.stage] += 1
        mean = round(sum(lp.fraction for lp in items) / len(items), 2) if items else 0.0
        return {
            "sources": len(items),
            "closed": sum(1 for lp in items if lp.closed),
            "mean_fraction": mean,
            "by_stage": by_stage,
        }

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
