"""`kscb show` output: readable text (or Markdown) following the learning cycle; json and yaml as data."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO


def emit(doc: dict, fmt: str, out: TextIO | None = None) -> None:
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


def _who(d: dict) -> str:
    if d.get("missing"):
        return f"{d['id']} (no such record)"
    return f"{d['id']} ({d['kind'].replace('_', ' ')}, {d['status']}) {d['title']}"


def _when(a: dict) -> str:
    if a["brag"] in ("blue", "withdrawn"):
        return f"completed {a['completed']}" if a.get("completed") else a["status"]
    return f"due {a['due']}" + (f" (was {a['original_due']})" if a["due"] != a["original_due"] else "")


def lines(doc: dict, *, markdown: bool = False) -> list[str]:
    """The view as lines: a heading per part, bullets nested by the cycle."""
    out: list[str] = []

    def heading(text: str) -> None:
        out.extend(["", f"## {text}" if markdown else f"{text}:"])

    def bullet(text: str, depth: int = 0) -> None:
        out.append("  " * depth + f"- {text}")

    def action(a: dict, depth: int) -> None:
        bullet(
            f"{a['ref']} [{a['brag'].upper()}] {a['status'].replace('_', ' ')}, {_when(a)} — {a['lead_agency']}, {a['lead_role']}: {_scalar(a['action'])}",
            depth,
        )
        if a.get("last_update") and a["brag"] not in ("blue", "withdrawn"):
            bullet(f"last update {a['last_update']}", depth + 1)
        for e in a.get("evidence", ()):
            bullet(f"evidence {e['date']}: {_scalar(e['text'])}", depth + 1)
        if a.get("impact"):
            bullet(f"impact: {_scalar(a['impact'])}", depth + 1)
        for d in a.get("evaluated_by", ()):
            bullet(f"evaluated by {_who(d)}", depth + 1)

    title = f"{doc['ref']} — {doc['title']}"
    out.append(f"# {title}" if markdown else title)
    out.append(f"{doc['kind'].replace('_', ' ')}, {doc['status']}" + (f" · {doc['path']}" if doc.get("path") else ""))

    if doc.get("problems"):
        whole = doc.get("unreadable") and "item" not in doc
        heading(
            "Could not be read"
            if whole
            else "Could not be read in full"
            + (f" ({', '.join(doc['left_out'])} left out)" if doc.get("left_out") else "")
        )
        for p in doc["problems"]:
            bullet(p)
        bullet("run `kscb lint` for every problem; fix the file, then this record is shown in full")
    if doc.get("unreadable"):
        if "item" in doc:
            heading("Item")
            bullet(f"{doc['item']} could not be read: it is left out of the tracker and every report until it is fixed")
            return out
        fields = doc.get("fields", {})
        if fields:
            heading("Fields that could be read (not checked)")
            for k, v in fields.items():
                bullet(f"{k}: {_scalar(v)}")
        return out
    if "item" in doc:
        _item_lines(doc, heading, bullet, action)
    else:
        fields = {k: v for k, v in doc.get("fields", {}).items() if k not in ("kind", "id", "title", "status")}
        if fields:
            heading("Fields")
            for k, v in fields.items():
                bullet(f"{k}: {_scalar(v)}")
        if "loop" in doc:
            lp = doc["loop"]
            heading("Learning loop")
            state = "closed" if lp["closed"] else f"next: {lp['next']}"
            bullet(f"{lp['stage']} · {round(lp['fraction'] * 100)}% round the loop · {state}")
            bullet(
                " → ".join(f"{s['name']} {s['done']}/{s['total']}" + (" ✓" if s["met"] else "") for s in lp["stages"])
            )
            if lp["continued_in"]:
                bullet(f"learning carried into {', '.join(lp['continued_in'])}")
        if doc.get("findings"):
            heading("Findings")
            for f in doc["findings"]:
                answered = (
                    f"→ {', '.join(f['recommendations'])}"
                    if f["recommendations"]
                    else ("good practice" if f["type"] == "good_practice" else "no recommendation yet")
                )
                bullet(f"{f['id']} ({f['type'].replace('_', ' ')}) {_scalar(f['summary'])} [{answered}]")
                for d in f["disseminated_by"]:
                    bullet(f"disseminated by {_who(d)}", 1)
        if doc.get("standards"):
            heading("Standards")
            for s in doc["standards"]:
                recs = f" → {', '.join(s['recommendations'])}" if s["recommendations"] else ""
                bullet(
                    f"{s['id']} {s['standard']}: {s['rating'].replace('_', ' ')}"
                    + (f" ({s['change']})" if s.get("change") else "")
                    + recs
                )
        if doc.get("recommendations"):
            heading("Recommendations")
            for r in doc["recommendations"]:
                _rec_lines(r, bullet, action)
        if doc.get("other_actions"):
            heading("Other actions answering it")
            for a in doc["other_actions"]:
                action(a, 0)
        if "source" in doc and "actions" in doc:
            heading("Source")
            bullet(_who(doc["source"]))
            heading("Actions")
            for a in doc["actions"]:
                action(a, 0)
            for a in doc.get("unread_actions", ()):
                bullet(f"{a['ref']} [INVALID] could not be read — left out of the tracker until {doc['path']} is fixed")
        if "reviewed_at" in doc:
            heading("Reviewed at meetings (standing item)")
            for m in doc["reviewed_at"] or ():
                bullet(f"{m['date']}: {_who(m)}")
            if not doc["reviewed_at"]:
                bullet("not reviewed at any meeting recorded")
        if doc.get("figures"):
            heading("Figures")
            for v in doc["figures"]:
                target = f", target {v['target']} ({v['against_target']})" if v["target"] != "—" else ""
                why = f" — no figure: {_scalar(v['reason'])}" if v.get("reason") else ""
                bullet(
                    f"{v['indicator']} ({v['title'] or 'not defined in kscb.yaml'}): {v['value']} {v['unit'] or ''}".rstrip()
                    + target
                    + why
                )
        if doc.get("evaluates"):
            heading("Evaluates")
            for e in doc["evaluates"]:
                what = (
                    "(no such record)"
                    if e.get("missing")
                    else f"({e['kind'].replace('_', ' ')}, {e['status']}) {e['title']}"
                )
                bullet(f"{e['ref']} {what}")
        if doc.get("training_needs"):
            heading("Training needs (for the training-needs analysis)")
            for n in doc["training_needs"]:
                by = f" — answered by {', '.join(n['training'])}" if n["training"] else ""
                bullet(f"{n['need']} [{n['priority']}, {n['state']}] {n['staff_group']}: {_scalar(n['text'])}{by}")
        if doc.get("leads"):
            heading("Actions it leads")
            for a in doc["leads"]:
                action(a, 0)
        for key, label in (("section11_returns", "Section 11 returns"),):
            if doc.get(key):
                heading(label)
                for d in doc[key]:
                    bullet(_who(d))
        if doc.get("recommendations_to"):
            heading("Recommendations made to it")
            for r in doc["recommendations_to"]:
                bullet(r)
        if doc.get("training"):
            heading("Training attendance")
            for t in doc["training"]:
                bullet(f"{t['training']} {t['date']}: {t['attended']} of {t['booked']} booked")
        if "disseminated_by" in doc:
            heading("Disseminated by")
            for d in doc["disseminated_by"] or ():
                bullet(_who(d))
            if not doc["disseminated_by"]:
                bullet("no briefing or training cites it yet")
        if doc.get("regime"):
            r = doc["regime"]
            heading("Regime")
            bullet(f"{r['id']}: {r['label']}" + (" (stated on the record)" if r["stated"] else " (from its dates)"))
            if r.get("not_clocked"):
                bullet(r["not_clocked"], 1)
        if doc.get("clocks"):
            heading("Clocks")
            for c in doc["clocks"]:
                done = f", done {c['done']}" if c["done"] else ""
                kind = "statutory" if c.get("statutory", True) else "local"
                bullet(
                    f"{c['clock'].replace('_', ' ')} ({kind}): {c['state'].replace('_', ' ')} — due {c['due']}{done} ({c['label']})"
                )
                e = c.get("extension")
                if e:
                    bullet(
                        f"extended from {c['original_due']} to {e['new_due']}, agreed {e['agreed']} by {_scalar(e['agreed_by'])}: {_scalar(e['reason'])}",
                        1,
                    )
        if doc.get("links_out"):
            heading("Points at")
            for l in doc["links_out"]:
                what = (
                    f"{l['ref']} (no such record)"
                    if l.get("missing")
                    else f"{l['ref']} ({l['kind'].replace('_', ' ')}, {l['status']}) {l['title']}"
                )
                bullet(f"{l['field']}: {what}")
    if doc.get("links_in"):
        heading("Pointed at by")
        for l in doc["links_in"]:
            bullet(f"{l['id']} ({l['kind'].replace('_', ' ')}, {l['status']}) {l['field']} → {l['ref']}")
    return out


def _rec_lines(r: dict, bullet, action) -> None:
    findings = ", ".join(f["ref"] for f in r["findings"])
    bullet(f"{r['id']} ({r['response'].replace('_', ' ')}; to {r['to']}; answers {findings}) {_scalar(r['text'])}")
    if r.get("rationale"):
        bullet(f"rationale: {_scalar(r['rationale'])}", 1)
    for c in r.get("success_criteria", ()):
        bullet(f"success criterion: {_scalar(c)}", 1)
    for d in r.get("evaluated_by", ()):
        bullet(f"evaluated by {_who(d)}", 1)
    for a in r.get("actions", ()):
        action(a, 1)
    if "actions" in r and not r["actions"] and r["response"] in ("accepted", "partially_accepted"):
        bullet("no action yet", 1)
    for d in r.get("disseminated_by", ()):
        bullet(f"disseminated by {_who(d)}", 1)


def _recs(recs: list, bullet, action) -> None:
    for r in recs:
        _rec_lines(r, bullet, action)
    if not recs:
        bullet("none")


def _item_lines(doc: dict, heading, bullet, action) -> None:
    if "finding" in doc:
        f = doc["finding"]
        heading("Finding")
        bullet(f"{f['id']} ({f['type'].replace('_', ' ')}) {_scalar(f['summary'])}")
        if f.get("themes"):
            bullet(f"themes: {', '.join(f['themes'])}", 1)
        heading("Recommendations")
        _recs(doc["recommendations"], bullet, action)
        heading("Disseminated by")
        for d in f["disseminated_by"] or ():
            bullet(_who(d))
        if not f["disseminated_by"]:
            bullet("no briefing or training cites this finding")
    elif "action" in doc:
        heading("Action")
        action(doc["action"], 0)
        a = doc["action"]
        bullet(f"success measure: {_scalar(a['success_measure'])}", 1)
        for u in a["updates"]:
            bullet(f"update {u['date']}: {_scalar(u['text'])}", 1)
        heading("Source")
        bullet(_who(doc["source"]))
        if doc.get("recommendation"):
            heading("Recommendation")
            _rec_lines(doc["recommendation"], bullet, action)
            for f in doc["recommendation"]["findings"]:
                bullet(f"{f['ref']}: {_scalar(f['summary'] or '')}", 1)
    elif "recommendation" in doc:
        heading("Recommendation")
        _rec_lines(doc["recommendation"], bullet, action)
        heading("Findings it answers")
        for f in doc["recommendation"]["findings"]:
            bullet(f"{f['ref']}: {_scalar(f['summary'] or '')}")
    elif "standard" in doc:
        s = doc["standard"]
        heading("Standard")
        bullet(
            f"{s['id']} {s['standard']}: {s['rating'].replace('_', ' ')}"
            + (f" ({s['change']})" if s.get("change") else "")
        )
        if s.get("evidence"):
            bullet(f"evidence: {_scalar(s['evidence'])}", 1)
        heading("Recommendations that mention it")
        _recs(doc["recommendations"], bullet, action)
