"""G rules: the governance words of Working Together 2023 — who signed a decision off."""

from __future__ import annotations

from collections.abc import Iterator

from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, rule
from kscb_cli.model import Agency, RapidReview, Review


@rule("G001", "sign-off-partner", "warning", kinds=["rapid_review", "review"])
def sign_off_partner(record: RapidReview | Review, ctx: Context) -> Iterator[Finding]:
    """A decision is signed off for an agency that is not a statutory safeguarding partner.
    ``signed_off.agency`` must be an agency record with ``safeguarding_partner: true`` (an unknown id is R002).
    Why: Working Together 2023: the lead safeguarding partners (or the delegated safeguarding
    partners they name) of the local authority, the ICB and the police sign off rapid review
    decisions, commissioning and publication.
    Fails: ``decision_signed_off: {by: lead_safeguarding_partner, agency: EDU}`` where EDU is a school.
    Passes: signed off by the local authority's delegated safeguarding partner.
    Fix: correct the agency to the partner who signed it off, or mark that agency ``safeguarding_partner: true`` if it is one.
    """
    from kscb_cli.store.refs import sign_offs

    for loc, s in sign_offs(record):
        agency = ctx.store.get(s.agency) if s.agency else None
        if isinstance(agency, Agency) and not agency.safeguarding_partner:
            who = s.by.replace("_", " ")
            yield Finding(
                (*loc, "agency"),
                f"{agency.id} is not a safeguarding partner; a {who} acts for the local authority, the ICB or the police — correct the agency",
            )


@rule("G002", "sign-off-date", "warning", kinds=["rapid_review", "review"])
def sign_off_date(record: RapidReview | Review, ctx: Context) -> Iterator[Finding]:
    """A decision is dated as signed off after the step it authorised had already happened.
    Checked: publication signed off after ``publication.published``; commissioning signed off after
    ``commissioned``, or before the decision to review (``decided``); a rapid review decision
    signed off after the rapid review was ``sent_to_panel``.
    Why: a sign-off authorises a step; one dated after the step shows the step was taken without it, or a wrong date.
    Fails: ``publication.signed_off.date: 2025-11-20`` with ``published: 2025-11-05``.
    Passes: commissioning signed off between ``decided`` and ``commissioned``, publication before ``published``.
    Fix: check the dates against the minutes and correct the wrong one.
    """
    if record.kind == "rapid_review":
        s = record.decision_signed_off
        if s is not None and s.date and record.sent_to_panel and s.date > record.sent_to_panel:
            yield Finding(
                ("decision_signed_off", "date"),
                f"decision signed off {s.date}, after the rapid review went to the Panel ({record.sent_to_panel}); check the dates",
            )
        return
    s = record.commissioning_signed_off
    if s is not None and s.date:
        if record.commissioned and s.date > record.commissioned:
            yield Finding(
                ("commissioning_signed_off", "date"),
                f"commissioning signed off {s.date}, after the review was commissioned ({record.commissioned}); check the dates",
            )
        if s.date < record.decided:
            yield Finding(
                ("commissioning_signed_off", "date"),
                f"commissioning signed off {s.date}, before the decision to review ({record.decided}); check the dates",
            )
    pub = record.publication
    s = pub.signed_off if pub is not None else None
    if pub is not None and s is not None and s.date and pub.published and s.date > pub.published:
        yield Finding(
            ("publication", "signed_off", "date"),
            f"publication signed off {s.date}, after it was published ({pub.published}); check the dates",
        )
