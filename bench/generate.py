"""Write a synthetic, valid store of N records (about 3 KB each) for benchmarks.

    python bench/generate.py DIR --records 10000

Records reference each other (reviews → rapid reviews → notifications, action plans →
recommendations, training → findings), so reference rules do real work. Deterministic:
the same N gives the same files.
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

CONFIG = """\
schema_version: 1
partnership: {name: Benchmark Safeguarding Children Partnership, short_name: BSCP, area: Benchmark}
workstreams: {ee: Evaluation and Effectiveness, scr: Case Reviews, ld: Learning and Development, cdop: Child Death Overview Panel}
priorities: {neglect: Neglect, early_help: Early help, cse: Child sexual exploitation}
"""

AGENCIES = ["LA", "POL", "ICB", "TRUST1", "TRUST2", "COMM", "EDU", "PROB", "YJS", "VOL"]
THEMES = ["neglect", "was_not_brought", "voice_of_child", "information_sharing", "domestic_abuse", "escalation"]
LOREM = (
    "Practitioners recorded concerns in separate systems, so the pattern across services was not seen "
    "and the child's daily experience was not described in the assessments reviewed. "
)


def _d(rng: random.Random, start: date, days: int) -> date:
    return start + timedelta(days=rng.randrange(days))


def agency(code: str) -> str:
    return f"""kind: agency
id: {code}
title: Benchmark agency {code}
status: active
sector: other
safeguarding_partner: false
section11_duty: true
"""


def findings_block(rng: random.Random, n: int) -> str:
    out = "findings:\n"
    for i in range(1, n + 1):
        out += f"""  - id: F{i}
    type: {rng.choice(["systemic", "practice_issue"])}
    category: multi_agency_longer_term
    summary: >-
      {LOREM}
    themes: [{rng.choice(THEMES)}]
"""
    out += "recommendations:\n"
    for i in range(1, n + 1):
        out += f"""  - id: R{i}
    findings: [F{i}]
    to: partnership
    text: >-
      Agree a shared approach so that the pattern is seen across services and the child's view is recorded.
    response: accepted
"""
    return out


def notification(n: int, rng: random.Random) -> tuple[str, date]:
    incident = _d(rng, date(2024, 1, 1), 600)
    aware = incident + timedelta(days=2)
    sent = aware + timedelta(days=3)
    return (
        f"""kind: notification
id: SIN-{n:05d}
title: Serious incident notification {n}
status: sent
classification: restricted
workstream: scr
subject: Child {chr(65 + n % 26)}
harm: serious_harm
abuse: suspected
looked_after: false
incident: {incident}
aware: {aware}
sent: {sent}
""",
        sent,
    )


def rapid_review(n: int, sent: date, rng: random.Random) -> str:
    return f"""kind: rapid_review
id: RR-{n:05d}
title: Rapid review {n}
status: sent_to_panel
classification: restricted
workstream: scr
themes: [neglect]
notification: SIN-{n:05d}
subject: Child {chr(65 + n % 26)}
agencies: [{", ".join(rng.sample(AGENCIES, 3))}]
meeting: {sent + timedelta(days=7)}
completed: {sent + timedelta(days=14)}
sent_to_panel: {sent + timedelta(days=15)}
decision: lcspr
rationale: Several agencies were involved and the learning is significant.
""" + findings_block(rng, 2)


def review(n: int, sent: date, rng: random.Random) -> str:
    decided = sent + timedelta(days=20)
    return f"""# Benchmark review {n}
kind: review
id: LCSPR-{n:05d}
title: Review {n} – neglect and missed appointments
status: in_progress
workstream: scr
priorities: [neglect]
themes: [{", ".join(rng.sample(THEMES, 2))}]
review_type: lcspr
subject: Child {chr(65 + n % 26)}
rapid_review: RR-{n:05d}
methodology: scie_learning_together
agencies: [{", ".join(rng.sample(AGENCIES, 4))}]
lead_reviewer:
  role: Independent lead reviewer
  independent: true
involvement:
  practitioners: true
  family: participated
  child: true
decided: {decided}
commissioned: {decided + timedelta(days=21)}
progress_checks: [{decided + timedelta(days=60)}]
""" + findings_block(rng, 3)


def action_plan(n: int, source: str, recs: int, rng: random.Random) -> str:
    out = f"""kind: action_plan
id: AP-{source}
title: Action plan for {source}
status: in_progress
workstream: ee
source: {source}
approved: 2025-03-01
actions:
"""
    for i in range(1, recs + 1):
        status = rng.choice(["not_started", "in_progress", "complete"])
        out += f"""  - id: A{i}
    recommendation: {source}#R{i}
    action: Put the agreed approach into practice and check it is working through audit.
    lead_agency: {rng.choice(AGENCIES)}
    lead_role: Head of Safeguarding
    due: {_d(rng, date(2025, 6, 1), 700)}
    status: {status}
    success_measure: The next audit finds the approach in use in at least 9 of 10 cases.
    updates:
      - {{date: {_d(rng, date(2025, 3, 1), 500)}, text: Work under way and reported to the workstream.}}
"""
        if status == "complete":
            out += """    evidence:
      - {date: 2026-01-15, text: Audit report received by the workstream.}
    completed: 2026-01-15
"""
    return out


def audit(n: int, rng: random.Random) -> str:
    return f"""kind: audit
id: MACA-{n:05d}
title: Multi-agency audit {n}
status: reported
workstream: ee
themes: [neglect]
audit_type: multi_agency_case
agencies: [{", ".join(rng.sample(AGENCIES, 4))}]
period: {{from: 2025-01-01, to: 2025-06-30}}
sample: {{cases: 8, selection: random}}
planned: 2025-06-01
reported: 2025-09-12
voice_of_child: {{evidenced: 5, partly: 2, not_evidenced: 1}}
""" + findings_block(rng, 2)


def training(n: int, source: str, rng: random.Random) -> str:
    return f"""kind: training
id: TRN-{n:05d}
title: Learning from {source}
status: delivered
workstream: ld
format: two_hour
date: {_d(rng, date(2025, 1, 1), 600)}
learning_from: [{source}#F1]
capacity: 30
attendance:
""" + "".join(f"  - {{agency: {a}, booked: 5, attended: 4}}\n" for a in rng.sample(AGENCIES, 4))


def briefing(n: int, source: str, rng: random.Random) -> str:
    published = _d(rng, date(2025, 3, 1), 500)
    sections = "".join(
        f"""  - heading: {heading}
    body: >-
      {LOREM}
"""
        for heading in (
            "Background",
            "Why it matters",
            "Information",
            "Information",
            "Information",
            "Things to remember",
            "What to do",
        )
    )
    return f"""kind: briefing
id: 7MB-{n:05d}
title: 7-minute briefing {n} – Child {chr(65 + n % 26)}
status: published
classification: public
workstream: ld
priorities: [neglect]
themes: [{rng.choice(THEMES)}]
format: seven_minute
sources: [{source}]
audience: All practitioners working with children and families
sections:
{sections}approved: {published - timedelta(days=10)}
published: {published}
channels: [website, newsletter]
"""


def child_death(n: int, rng: random.Random) -> str:
    reviewed = _d(rng, date(2025, 1, 1), 600)
    return f"""kind: child_death
id: CDOP-{n:05d}
title: Child death review CDOP-{n:05d}
status: reviewed
classification: restricted
workstream: cdop
themes: [neglect]
age_band: {rng.choice(["28_days_to_1", "1_to_4", "5_to_9", "10_to_14", "15_to_17"])}
expected: false
notified: {reviewed.year - 1}-{rng.randrange(1, 13):02d}
reviewed: {reviewed}
category: sudden_unexpected_unexplained_death
modifiable: identified
factors:
  - domain: social_environment
    description: {LOREM.strip()}
    modifiable: true
""" + findings_block(rng, 1)


STANDARDS = [
    "senior_management_commitment",
    "clear_statement_of_responsibilities",
    "clear_line_of_accountability",
    "service_development_informed_by_children",
    "staff_training",
    "safer_recruitment",
    "effective_inter_agency_working",
    "information_sharing",
]


def section11(n: int, agency_code: str, rng: random.Random) -> str:
    cycle = 2023 + n % 3
    standards = "".join(
        f"""  - id: S{i}
    standard: {name}
    rating: {rng.choice(["fully_met", "mostly_met", "partially_met"])}
    evidence: Evidence for this standard was reviewed at the challenge event.
    change: {rng.choice(["same", "improved"])}
"""
        for i, name in enumerate(STANDARDS, 1)
    )
    return f"""kind: section11
id: S11-{n:05d}
title: Section 11 self-assessment {cycle} – {agency_code}
status: submitted
workstream: ee
agency: {agency_code}
cycle: "{cycle}"
due: {cycle}-06-30
submitted: {cycle}-06-27
standards:
{standards}"""


def generate(root: Path, records: int, seed: int = 7) -> int:
    """Write kscb.yaml and about `records` records under root; return how many were written."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    folders = [
        "agencies",
        "notifications",
        "rapid-reviews",
        "reviews",
        "audits",
        "action-plans",
        "training",
        "briefings",
        "child-deaths",
        "section11",
    ]
    for f in folders:
        (root / "records" / f).mkdir(parents=True)
    (root / "kscb.yaml").write_text(CONFIG)
    written = 0
    for code in AGENCIES:
        (root / "records/agencies" / f"{code}.yaml").write_text(agency(code))
        written += 1
    n = 0
    while written < records:
        n += 1
        text, sent = notification(n, rng)
        batch = {
            f"notifications/SIN-{n:05d}.yaml": text,
            f"rapid-reviews/RR-{n:05d}.yaml": rapid_review(n, sent, rng),
            f"reviews/LCSPR-{n:05d}.yaml": review(n, sent, rng),
            f"action-plans/AP-LCSPR-{n:05d}.yaml": action_plan(n, f"LCSPR-{n:05d}", 3, rng),
            f"audits/MACA-{n:05d}.yaml": audit(n, rng),
            f"action-plans/AP-MACA-{n:05d}.yaml": action_plan(n, f"MACA-{n:05d}", 2, rng),
            f"training/TRN-{n:05d}.yaml": training(n, f"LCSPR-{n:05d}", rng),
            f"briefings/7MB-{n:05d}.yaml": briefing(n, f"LCSPR-{n:05d}", rng),
            f"child-deaths/CDOP-{n:05d}.yaml": child_death(n, rng),
            f"section11/S11-{n:05d}.yaml": section11(n, AGENCIES[n % len(AGENCIES)], rng),
        }
        for rel, body in batch.items():
            if written >= records:
                break
            (root / "records" / rel).write_text(body)
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--records", type=int, default=10_000)
    args = parser.parse_args()
    count = generate(args.dir, args.records)
    print(f"{args.dir}: {count} records")


if __name__ == "__main__":
    main()
