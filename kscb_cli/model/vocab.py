"""The built-in vocabularies of DOMAIN.md. A store extends themes and standards in kscb.yaml."""

THEMES = (
    # abuse
    "neglect",
    "physical_abuse",
    "sexual_abuse",
    "emotional_abuse",
    "cse",
    "criminal_exploitation",
    "online_abuse",
    "fgm",
    "radicalisation",
    "fabricated_or_induced_illness",
    "non_accidental_injury",
    "harmful_sexual_behaviour",
    "serious_youth_violence",
    # child
    "infant",
    "adolescent",
    "disabled_child",
    "looked_after_child",
    "care_leaver",
    "missing",
    "missing_education",
    "home_educated",
    "self_harm",
    "mental_health",
    "sudi_safe_sleep",
    "concealed_pregnancy",
    # family
    "domestic_abuse",
    "parental_mental_health",
    "parental_substance_misuse",
    "hidden_men",
    "poverty",
    "housing",
    "culture_faith_ethnicity",
    # practice
    "voice_of_child",
    "lived_experience",
    "professional_curiosity",
    "disguised_compliance",
    "information_sharing",
    "assessment",
    "thresholds",
    "escalation",
    "supervision",
    "record_keeping",
    "cross_border",
    "was_not_brought",
    "early_help",
    "multi_agency_meetings",
    "pre_birth",
)

SECTION11_STANDARDS = (
    "senior_management_commitment",
    "clear_statement_of_responsibilities",
    "clear_line_of_accountability",
    "service_development_informed_by_children",
    "staff_training",
    "safer_recruitment",
    "effective_inter_agency_working",
    "information_sharing",
)

SEVEN_MINUTE_HEADINGS = (
    "Background",
    "Why it matters",
    "Information",
    "Information",
    "Information",
    "Things to remember",
    "What to do",
)

# The framework's standard voice-of-the-child questions an audit asks of each case (issue #14).
VOICE_QUESTIONS = (
    "child_seen",  # was the child seen?
    "child_seen_alone",  # seen alone, where appropriate?
    "wishes_and_feelings",  # were the child's wishes and feelings recorded?
    "lived_experience",  # is the child's daily lived experience understood?
    "views_influenced_plan",  # did the child's views influence the plan?
    "feedback_to_child",  # was the child told what happened as a result?
)

# Partnership standards for single-agency safeguarding training (audits of single-agency training).
TRAINING_STANDARDS = (
    "training_needs_analysed",
    "levels_match_roles",
    "content_reflects_local_learning",
    "trainers_competent",
    "attendance_recorded",
    "impact_evaluated",
)
