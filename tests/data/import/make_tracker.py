"""Writes tracker.csv: a 200-row action tracker in the messy shape partnerships keep (run once; the CSV is committed).

Fictional throughout: agencies of the invented Northdale partnership, children by pseudonym, people by role.
"""

import csv
import random
from pathlib import Path

rng = random.Random(15)
SOURCES = [("LR 2025/001", "lr"), ("lr-2025-002", "lr"), ("MACA 2025 001", "audit"), ("THEM-2025-001", "audit")]
AGENCY_SPELLINGS = [
    "NC-CS", "Children's Services", "Northdale Council Children’s Services", "North Vale Police", "NVP", "Police",
    "NDFT", "Northdale District NHS FT", "Northdale District NHS Foundation Trust", "ICB", "North Vale ICB",
    "North Vale Integrated Care Board", "EDU", "Education", "Probation", "Probation Service - North Vale",
]
ROLES = ["Named Nurse for Safeguarding", "Head of Service, Children's Social Care", "Detective Inspector, Public Protection",
         "Designated Safeguarding Lead adviser", "Head of Safeguarding", "Senior Probation Officer", "Principal Social Worker"]
ACTIONS = ["Review the {} pathway and publish the revised version", "Deliver briefings on {} to all front-line teams",
           "Audit a sample of cases for {} and report to the QA group", "Add {} prompts to the assessment template",
           "Agree a multi-agency protocol for {}"]
TOPICS = ["was-not-brought", "professional curiosity", "information sharing", "escalation", "hidden men", "pre-birth assessment",
          "safe sleep", "neglect toolkit", "strategy discussions", "voice of the child"]
RAG = ["Complete", "Green", "Amber", "Red", "Ongoing", "Not started", "GREEN ", "complete", "Blue"]
DUE_STYLES = ["{d:02d}/{m:02d}/{y}", "{d}-{mon}-{yy}", "{d}.{m}.{yy}", "{y}-{m:02d}-{d:02d}", "serial", "{d} {month} {y}"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def fmt(y, m, d, style):
    import datetime

    if style == "serial":
        return str((datetime.date(y, m, d) - datetime.date(1899, 12, 30)).days)
    return style.format(d=d, m=m, y=y, yy=str(y)[2:], mon=MONTHS[m - 1], month=MONTH_NAMES[m - 1])


def main():
    header = ["Ref", "Review", "Recommendation", "Action", "Lead", "", "Target date", "RAG", "Progress update", "Last updated",
              "Evidence", "Date completed", "Success measure"]
    sub = ["", "", "", "", "Agency", "Officer role", "", "", "", "", "", "", ""]
    rows = [["Northdale Safeguarding Children Partnership – multi-agency action tracker"] + [""] * 12,
            ["Last updated: 14/03/2026 – for the QA and Performance Group"] + [""] * 12,
            [""] * 13, header, sub]
    n = 0
    for s, (source, _) in enumerate(SOURCES):
        rows.append([f"Section {s + 1}: {source}"] + [""] * 12)
        for r in range(50):
            n += 1
            rec = r // 10 + 1
            k = r % 10 + 1
            ref = f"{rec}.{k}"
            y, m, d = rng.choice([(2026, 3, 31), (2026, 6, 30), (2026, 9, 30), (2025, 12, 19), (2026, 1, 15), (2027, 2, 26)])
            due = fmt(y, m, d, rng.choice(DUE_STYLES))
            rag = rng.choice(RAG)
            agency = rng.choice(AGENCY_SPELLINGS)
            update = f"Update {n}: work under way, reported to the group." if rag.strip().lower() not in ("not started",) else ""
            last = fmt(2026, rng.choice([1, 2, 3]), rng.randint(1, 28), rng.choice(DUE_STYLES[:4])) if update and rng.random() > 0.15 else ""
            complete = rag.strip().lower() in ("complete", "blue")
            evidence = f"Evidence {n}: published and shared with partners." if complete else ""
            done = fmt(2026, 2, rng.randint(1, 28), rng.choice(DUE_STYLES[:3])) if complete else ""
            measure = f"Audit in 6 months shows the change in at least 80% of cases ({n})."
            # the mess: every kind of problem a real tracker has, at known rows
            if n % 23 == 0:
                due = rng.choice(["TBC", "Mar-26", "31/02/2026"])
            if n % 31 == 0:
                agency = rng.choice(["Youth Offending Team", "Northdale Housing"])
            if n % 37 == 0:
                measure = ""
            if n % 41 == 0 and complete:
                evidence = ""
            if n % 47 == 0:
                rag = "On hold"
            rows.append([ref, source if r == 0 else "", f"R{rec}" if k == 1 else "",
                         rng.choice(ACTIONS).format(rng.choice(TOPICS)), agency, rng.choice(ROLES), due, rag, update, last,
                         evidence, done, measure])
            if r == 24:
                rows.append([""] * 13)  # a blank row mid-section
            if s == 1 and r == 30:
                rows.append(header)  # the header repeated after a page break
                rows.append(sub)
            if s == 2 and r == 12:
                rows.append(list(rows[-1]))  # a row pasted twice
        rows.append([""] * 13)
    with open(Path(__file__).with_name("tracker.csv"), "w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    print(n, "action rows")


if __name__ == "__main__":
    main()
