"""`kscb show` output: readable text (or Markdown) following the learning cycle; json and yaml as data."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TextIO


def emit(doc: dict[str, Any], fmt: str, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        out.write(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    elif fmt == "yaml":
        import yaml

        out.write(yaml.safe_dump(doc, sort_keys=True, allow_unicode=True, default_flow_style=False, width=10_000))
    else:
        out.write("\n".join(lines(doc, markdown=fmt == "markdown")) + "\n")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ("; " if any(isinstance(v, dict) for v in value) else ", ").join(_scalar(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items())
    return " ".join(str(value).split())


def _who(d: dict[str, Any]) -> str:
    if d.get("missing"):
        return f"{d['id']} (no such record)"
    return f"{d['id']} ({d['kind'].replace('_', ' ')}, {d['status']}) {d['title']}"


def _when(a: dict[str, Any]) -> str:
    if a["brag"] in ("blue", "withdrawn"):
        return f"completed {a['completed']}" if a.get("completed") else a["status"]
    return f"due {a['due']}" + (f" (was {a['original_due']})" if a["due"] != a["original_due"] else "")


class _Writer:
    """The lines being written, and the three shapes they come in: heading, bullet, action."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown
        self.out: list[str] = []

    def heading(self, text: str) -> None:
        self.out.extend(["", f"## {text}" if self.markdown else f"{text}:"])

    def bullet(self, text: str, depth: int = 0) -> None:
        self.out.append("  " * depth + f"- {text}")

    def action(self, a: dict[str, Any], depth: int) -> None:
        self.bullet(
            f"{a['ref']} [{a['brag'].upper()}] {a['status'].replace('_', ' ')}, {_when(a)} — {a['lead_agency']}, {a['lead_role']}: {_scalar(a['action'])}",
            depth,
        )
        if a.get("last_update") and a["brag"] not in ("blue", "withdrawn"):
            self.bullet(f"last update {a['last_update']}", depth + 1)
        for e in a.get("evidence", ()):
            self.bullet(f"evidence {e['date']}: {_scalar(e['text'])}", depth + 1)
        if a.get("impact"):
            self.bullet(f"impact: {_scalar(a['impact'])}", depth + 1)
        for d in a.get("evaluated_by", ()):
            self.bullet(f"evaluated by {_who(d)}", depth + 1)


def lines(doc: dict[str, Any], *, markdown: bool = False) -> list[str]:
    """The view as lines: a heading per part, bullets nested by the cycle."""
    w = _Writer(markdown)
    title = f"{doc['ref']} — {doc['title']}"
    w.out.append(f"# {title}" if markdown else title)
    w.out.append(f"{doc['kind'].replace('_', ' ')}, {doc['status']}" + (f" · {doc['path']}" if doc.get("path") else ""))
    _problems(doc, w)
    if doc.get("unreadable"):
        _unreadable(doc, w)
        return w.out
    if "item" in doc:
        _item_lines(doc, w)
    else:
        for section in _RECORD_SECTIONS:
            section(doc, w)
    if doc.get("links_in"):
        w.heading("Pointed at by")
        for l in doc["links_in"]:
            w.bullet(f"{l['id']} ({l['kind'].replace('_', ' ')}, {l['status']}) {l['field']} → {l['ref']}")
    return w.out


def _problems(doc: dict[str, Any], w: _Writer) -> None:
    if not doc.get("problems"):
        return
    whole = doc.get("unreadable") and "item" not in doc
    w.heading(
        "Could not be read"
        if whole
        else "Could not be read in full" + (f" ({', '.join(doc['left_out'])} left out)" if doc.get("left_out") else "")
    )
    for p in doc["problems"]:
        w.bullet(p)
    w.bullet("run `kscb lint` for every problem; fix the file, then this record is shown in full")


def _unreadable(doc: dict[str, Any], w: _Writer) -> None:
    if "item" in doc:
        w.heading("Item")
        w.bullet(f"{doc['item']} could not be read: it is left out of the tracker and every report until it is fixed")
        return
    fields = doc.get("fields", {})
    if fields:
        w.heading("Fields that could be read (not checked)")
        for k, v in fields.items():
            w.bullet(f"{k}: {_scalar(v)}")


# A record's parts, in the order they are shown. Most are a list under one key: a heading,
# then each entry written by a function of (writer, entry); the rest are functions of (doc, writer).
_Part = Callable[[dict[str, Any], _Writer], None]


def _listed(key: str, label: str, each: Callable[[_Writer, Any], None]) -> _Part:
    """A part shown when doc[key] is a non-empty list: the heading, then each entry."""

    def section(doc: dict[str, Any], w: _Writer) -> None:
        if doc.get(key):
            w.heading(label)
            for entry in doc[key]:
                each(w, entry)

    return section


def _always(key: str, label: str, each: Callable[[_Writer, Any], None], empty: str) -> _Part:
    """A part shown whenever the view has the key, saying so when the list is empty."""

    def section(doc: dict[str, Any], w: _Writer) -> None:
        if key in doc:
            w.heading(label)
            for entry in doc[key] or ():
                each(w, entry)
            if not doc[key]:
                w.bullet(empty)

    return section


def _line(text: Callable[[Any], str]) -> Callable[[_Writer, Any], None]:
    """An entry written as one bullet."""
    return lambda w, entry: w.bullet(text(entry))


def _action_entry(w: _Writer, a: dict[str, Any]) -> None:
    w.action(a, 0)


def _fields(doc: dict[str, Any], w: _Writer) -> None:
    fields = {k: v for k, v in doc.get("fields", {}).items() if k not in ("kind", "id", "title", "status")}
    if fields:
        w.heading("Fields")
        for k, v in fields.items():
            w.bullet(f"{k}: {_scalar(v)}")


def _loop(doc: dict[str, Any], w: _Writer) -> None:
    if "loop" not in doc:
        return
    lp = doc["loop"]
    w.heading("Learning loop")
    state = "closed" if lp["closed"] else f"next: {lp['next']}"
    w.bullet(f"{lp['stage']} · {round(lp['fraction'] * 100)}% round the loop · {state}")
    w.bullet(" → ".join(f"{s['name']} {s['done']}/{s['total']}" + (" ✓" if s["met"] else "") for s in lp["stages"]))
    if lp["continued_in"]:
        w.bullet(f"learning carried into {', '.join(lp['continued_in'])}")


def _finding(w: _Writer, f: dict[str, Any]) -> None:
    answered = (
        f"→ {', '.join(f['recommendations'])}"
        if f["recommendations"]
        else ("good practice" if f["type"] == "good_practice" else "no recommendation yet")
    )
    w.bullet(f"{f['id']} ({f['type'].replace('_', ' ')}) {_scalar(f['summary'])} [{answered}]")
    for d in f["disseminated_by"]:
        w.bullet(f"disseminated by {_who(d)}", 1)


def _standard(s: dict[str, Any]) -> str:
    recs = f" → {', '.join(s['recommendations'])}" if s["recommendations"] else ""
    return (
        f"{s['id']} {s['standard']}: {s['rating'].replace('_', ' ')}"
        + (f" ({s['change']})" if s.get("change") else "")
        + recs
    )


def _plan(doc: dict[str, Any], w: _Writer) -> None:
    if "source" not in doc or "actions" not in doc:
        return
    w.heading("Source")
    w.bullet(_who(doc["source"]))
    w.heading("Actions")
    for a in doc["actions"]:
        w.action(a, 0)
    for a in doc.get("unread_actions", ()):
        w.bullet(f"{a['ref']} [INVALID] could not be read — left out of the tracker until {doc['path']} is fixed")


def _figure(v: dict[str, Any]) -> str:
    target = f", target {v['target']} ({v['against_target']})" if v["target"] != "—" else ""
    why = f" — no figure: {_scalar(v['reason'])}" if v.get("reason") else ""
    return (
        f"{v['indicator']} ({v['title'] or 'not defined in kscb.yaml'}): {v['value']} {v['unit'] or ''}".rstrip()
        + target
        + why
    )


def _evaluated(e: dict[str, Any]) -> str:
    what = "(no such record)" if e.get("missing") else f"({e['kind'].replace('_', ' ')}, {e['status']}) {e['title']}"
    return f"{e['ref']} {what}"


def _need(n: dict[str, Any]) -> str:
    by = f" — answered by {', '.join(n['training'])}" if n["training"] else ""
    return f"{n['need']} [{n['priority']}, {n['state']}] {n['staff_group']}: {_scalar(n['text'])}{by}"


def _regime(doc: dict[str, Any], w: _Writer) -> None:
    if not doc.get("regime"):
        return
    r = doc["regime"]
    w.heading("Regime")
    w.bullet(f"{r['id']}: {r['label']}" + (" (stated on the record)" if r["stated"] else " (from its dates)"))
    if r.get("not_clocked"):
        w.bullet(r["not_clocked"], 1)


def _clock(w: _Writer, c: dict[str, Any]) -> None:
    done = f", done {c['done']}" if c["done"] else ""
    kind = "statutory" if c.get("statutory", True) else "local"
    w.bullet(
        f"{c['clock'].replace('_', ' ')} ({kind}): {c['state'].replace('_', ' ')} — due {c['due']}{done} ({c['label']})"
    )
    e = c.get("extension")
    if e:
        w.bullet(
            f"extended from {c['original_due']} to {e['new_due']}, agreed {e['agreed']} by {_scalar(e['agreed_by'])}: {_scalar(e['reason'])}",
            1,
        )


def _link_out(l: dict[str, Any]) -> str:
    what = (
        f"{l['ref']} (no such record)"
        if l.get("missing")
        else f"{l['ref']} ({l['kind'].replace('_', ' ')}, {l['status']}) {l['title']}"
    )
    return f"{l['field']}: {what}"


_RECORD_SECTIONS: tuple[_Part, ...] = (
    _fields,
    _loop,
    _listed("findings", "Findings", _finding),
    _listed("standards", "Standards", _line(_standard)),
    _listed("recommendations", "Recommendations", lambda w, r: _rec_lines(r, w)),
    _listed("other_actions", "Other actions answering it", _action_entry),
    _plan,
    _always(
        "reviewed_at",
        "Reviewed at meetings (standing item)",
        _line(lambda m: f"{m['date']}: {_who(m)}"),
        "not reviewed at any meeting recorded",
    ),
    _listed("figures", "Figures", _line(_figure)),
    _listed("evaluates", "Evaluates", _line(_evaluated)),
    _listed("training_needs", "Training needs (for the training-needs analysis)", _line(_need)),
    _listed("leads", "Actions it leads", _action_entry),
    _listed("section11_returns", "Section 11 returns", _line(_who)),
    _listed("recommendations_to", "Recommendations made to it", _line(str)),
    _listed(
        "training",
        "Training attendance",
        _line(lambda t: f"{t['training']} {t['date']}: {t['attended']} of {t['booked']} booked"),
    ),
    _always("disseminated_by", "Disseminated by", _line(_who), "no briefing or training cites it yet"),
    _regime,
    _listed("clocks", "Clocks", _clock),
    _listed("links_out", "Points at", _line(_link_out)),
)


def _rec_lines(r: dict[str, Any], w: _Writer) -> None:
    findings = ", ".join(f["ref"] for f in r["findings"])
    w.bullet(f"{r['id']} ({r['response'].replace('_', ' ')}; to {r['to']}; answers {findings}) {_scalar(r['text'])}")
    if r.get("rationale"):
        w.bullet(f"rationale: {_scalar(r['rationale'])}", 1)
    for c in r.get("success_criteria", ()):
        w.bullet(f"success criterion: {_scalar(c)}", 1)
    for d in r.get("evaluated_by", ()):
        w.bullet(f"evaluated by {_who(d)}", 1)
    for a in r.get("actions", ()):
        w.action(a, 1)
    if "actions" in r and not r["actions"] and r["response"] in ("accepted", "partially_accepted"):
        w.bullet("no action yet", 1)
    for d in r.get("disseminated_by", ()):
        w.bullet(f"disseminated by {_who(d)}", 1)


def _recs(recs: list[Any], w: _Writer) -> None:
    for r in recs:
        _rec_lines(r, w)
    if not recs:
        w.bullet("none")


def _item_lines(doc: dict[str, Any], w: _Writer) -> None:
    if "finding" in doc:
        f = doc["finding"]
        w.heading("Finding")
        w.bullet(f"{f['id']} ({f['type'].replace('_', ' ')}) {_scalar(f['summary'])}")
        if f.get("themes"):
            w.bullet(f"themes: {', '.join(f['themes'])}", 1)
        w.heading("Recommendations")
        _recs(doc["recommendations"], w)
        w.heading("Disseminated by")
        for d in f["disseminated_by"] or ():
            w.bullet(_who(d))
        if not f["disseminated_by"]:
            w.bullet("no briefing or training cites this finding")
    elif "action" in doc:
        w.heading("Action")
        w.action(doc["action"], 0)
        a = doc["action"]
        w.bullet(f"success measure: {_scalar(a['success_measure'])}", 1)
        for u in a["updates"]:
            w.bullet(f"update {u['date']}: {_scalar(u['text'])}", 1)
        w.heading("Source")
        w.bullet(_who(doc["source"]))
        if doc.get("recommendation"):
            w.heading("Recommendation")
            _rec_lines(doc["recommendation"], w)
            for f in doc["recommendation"]["findings"]:
                w.bullet(f"{f['ref']}: {_scalar(f['summary'] or '')}", 1)
    elif "recommendation" in doc:
        w.heading("Recommendation")
        _rec_lines(doc["recommendation"], w)
        w.heading("Findings it answers")
        for f in doc["recommendation"]["findings"]:
            w.bullet(f"{f['ref']}: {_scalar(f['summary'] or '')}")
    elif "standard" in doc:
        s = doc["standard"]
        w.heading("Standard")
        w.bullet(
            f"{s['id']} {s['standard']}: {s['rating'].replace('_', ' ')}"
            + (f" ({s['change']})" if s.get("change") else "")
        )
        if s.get("evidence"):
            w.bullet(f"evidence: {_scalar(s['evidence'])}", 1)
        w.heading("Recommendations that mention it")
        _recs(doc["recommendations"], w)
