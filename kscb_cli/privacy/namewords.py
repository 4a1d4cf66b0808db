"""The vocabulary of the name finder (:mod:`kscb_cli.privacy.namefinder`): the capitalised
words that are never (part of) a person's name here — function words, the calendar, the words
of the safeguarding field — and the words that mark where a name sits: titles, family words,
"called", places, institutions.

The given names and surnames themselves are in :mod:`kscb_cli.privacy.namelist`. Every set
here is lower case unless its name says otherwise (:data:`TITLES`); a partnership adds its
own words with ``privacy.allow`` in kscb.yaml (docs/privacy.md).
"""

from __future__ import annotations

__all__ = [
    "AMBIGUOUS",
    "CALLED_WORDS",
    "FAMILY_CAPS",
    "FAMILY_WORDS",
    "FUNCTION_WORDS",
    "INSTITUTIONS",
    "MONTHS_DAYS",
    "NATIONAL_REVIEWS",
    "PARTICLES",
    "PLACE_WORDS",
    "STOP_WORDS",
    "SURNAME_TOO",
    "TITLES",
    "WEAK_TITLES",
]

_FUNCTION = """
a an the and or but nor if so as at by for from in into of off on onto out over per to up
upon via with within without about above across after against along among around before
behind below beneath beside between beyond during except inside near since than through
throughout till toward towards under until unlike while whilst
i me my mine we us our ours you your yours he him his she her hers it its they them their
theirs this that these those there here where when what which who whom whose why how
all any both each either every few many more most much neither no none not nobody nothing
some such only own same other another also again then once now yet still even just ever
never always often sometimes soon today tomorrow yesterday later earlier first second third
fourth fifth last next new old one two three four five six seven eight nine ten eleven twelve
is are was were be been being am do does did done have has had having will would shall
should can could may might must ought let lets yes ok okay please thank thanks dear hello
mr mrs ms miss mx dr prof professor sir dame lord lady
although though because however therefore thus hence meanwhile moreover furthermore
overall following regarding despite given including instead rather perhaps indeed
whether unless whenever wherever whoever whatever see note read
"""

# Months, days, seasons and festivals.
_CALENDAR = """
january february march april may june july august september october november december
feb apr aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
spring summer autumn winter christmas xmas easter eid ramadan diwali hanukkah chanukah passover
vaisakhi baisakhi holi navratri halloween hallowe'en bonfire guy fawkes lent advent pentecost
whitsun hogmanay yom kippur rosh hashanah purim mawlid muharram ashura new year year's eve day
bank holiday half term term
"""

# Words of the safeguarding field: agencies, services, roles, teams, meetings, practice
# models, documents, legislation and the places they sit in.
_DOMAIN = """
child children childrens children's baby babies infant infants sibling siblings adolescent
adolescents young youth person people persons family families adult adults parent parents
mother father mum dad carer carers foster kinship adoptive adoption adopter adopters
partnership partnerships partner partners board boards panel panels group groups committee
forum network council councils county borough city district metropolitan authority
authorities local national regional region government department ministry office home
public protection safeguarding safeguarding's safer safe safety signs graded care profile
operation encompass prevent channel mash hub front door early help intervention service
services social work worker workers team teams unit units duty assessment assessments
referral referrals contact strategy discussion meeting meetings conference conferences
core plan plans planning review reviews reviewing reviewer reviewers independent chair
chairs officer officers lead leads manager managers director directors head heads deputy
assistant principal senior designated named nurse nurses doctor doctors professional
professionals practitioner practitioners paediatrician paediatricians paediatric
consultant consultants gp gps general practice practices practitioner's midwife midwives
midwifery health visitor visitors visiting school schools nurse's health healthcare
hospital hospitals trust trusts foundation nhs integrated commissioning icb ccg clinical
clinic clinics ward wards emergency urgent a&e accident maternity neonatal community
mental camhs adult's probation prison police constabulary force forces detective
detectives inspector inspectors sergeant constable constables superintendent chief
commissioner crime crown prosecution justice youth offending court courts family's
magistrates tribunal judge judges legal counsel solicitor solicitors barrister cafcass
ofsted cqc hmicfrs inspectorate inspection inspections joint targeted area jtai
education learning improvement development training briefing briefings minute
seven-minute newsletter bulletin report reports annual yearly serious incident
notification notifications rapid practice case cases audit audits multi-agency
multi agency agencies agency section sections act acts bill regulations regulation
statutory guidance working together framework frameworks policy policies procedure
procedures protocol protocols standard standards toolkit tool tools model models
approach approaches pathway pathways charter strategy strategies code codes
convention rights human united nations kingdom england english wales welsh scotland
scottish northern ireland irish britain british great uk gb europe european
north south east west central upper lower greater mid
academy academies primary secondary infant junior nursery nurseries college colleges
university universities pupil pupils student students teacher teachers
headteacher head's sen send senco special educational needs disability disabilities
alternative provision pru virtual exclusion exclusions attendance
housing homeless homelessness accommodation hostel refuge refuges shelter
domestic abuse violence neglect exploitation sexual criminal county lines trafficking
modern slavery missing harm harmful online radicalisation extremism female genital
mutilation fgm forced marriage honour based bruising non-mobile shaken abusive head
trauma sudden unexpected death deaths infant sudi sids overview cdop child's
mental health substance misuse alcohol drugs drug recovery
early years family hubs start for life troubled supporting families think
lado mappa marac iso cse cce csa dsl dsls dbs
street road lane avenue close drive crescent way terrace grove gardens place court walk
square mews rise parade boulevard fold croft villas row wharf green park hill estate
centre center house hall building buildings library station church mosque temple
gurdwara synagogue chapel cathedral hospice surgery pharmacy
ltd limited plc cic charity charities voluntary sector organisation organisations
barnardo's barnardos nspcc action for children childline kooth samaritans refuge
women's aid victim victims support citizens advice
appendix chapter part paragraph table figure annex schedule page contents summary
introduction background conclusion conclusions recommendation recommendations finding
findings action actions learning lessons key messages message theme themes priority
priorities objective objectives outcome outcomes measure measures evidence impact
what why how who where when things remember matters do
ambulance paramedic paramedics st saint company companies rehabilitation crc
unknown known unnamed anonymous anonymised redacted male female males females
muslim muslims christian christians jewish jew hindu sikh buddhist catholic anglican
methodist islamic orthodox pentecostal quaker faith faiths
african caribbean asian black white mixed pakistani bangladeshi indian chinese polish
romanian lithuanian latvian slovak czech roma gypsy traveller travellers irish eritrean
sudanese somali afghan syrian iraqi iranian kurdish albanian vietnamese nigerian
ghanaian zimbabwean jamaican turkish arab arabic urdu punjabi bengali gujarati tamil
total number numbers data information record records system systems recording
electronic portal online digital website email phone
"""

# Common words that are also given names somewhere (Faker's lists hold "Will", "Hope",
# "Amber", ...): alone they are never taken for a name, only beside a surname or after a
# title or a family word. Places that are given names too ("Stanley", "Chester").
_AMBIGUOUS_GIVEN = """
will may mark bill hope faith grace joy amber ruby holly ivy lily daisy rose iris heather
jade crystal dawn eve summer autumn april june august sky river rain storm star sunny
angel christian precious blessing gift favour patience comfort justice mercy harmony
unity liberty royal prince princess king queen duke earl baron major chase hunter miles
victoria jordan chelsea florence georgia india kenya paris lincoln chester beverley
shirley stanley morley dudley preston clifton kingston ashford barry bradford carlisle
darwin sydney austin dallas houston brooklyn skye orchid poppy willow hazel olive
sage jasmine violet primrose clementine honey candy cherry ginger pearl opal coral
page price rich art guy frank earnest sterling sandy rusty bob bud pat sue dean don
jack jan sun nur can ali lee long young green white black brown gray grey
early little north west doctor author lawyer friend sister son man reason media case
line job floor lot rock red true us my per ever less else among beat carry chance
general peace sing spring add gun job wood golden devon cornwall york nat mill
jun jul mar brook
""".split()

_FAMILY = (
    "mother|mum|mummy|mom|mam|father|dad|daddy|stepfather|stepmother|step-father|step-mother|"
    "stepdad|stepmum|step-dad|step-mum|brother|sister|half-brother|half-sister|stepbrother|"
    "stepsister|step-brother|step-sister|sibling|twin|son|daughter|stepson|stepdaughter|"
    "grandmother|grandfather|grandma|grandmother's|grandad|granddad|grandpa|nan|nana|nanna|"
    "gran|granny|grandparent|great-grandmother|great-grandfather|uncle|aunt|auntie|aunty|"
    "cousin|niece|nephew|partner|ex-partner|boyfriend|ex-boyfriend|girlfriend|ex-girlfriend|"
    "husband|ex-husband|wife|ex-wife|fianc[eé]e?|carer|lodger|neighbour|friend|baby|infant|"
    "toddler|boy|girl|son's|daughter's"
)
#: The words before a name given as a name: "a half-sister called Precious".
CALLED_WORDS = frozenset({"called", "named", "aka"})
#: A given name after these is a place ("in Stanley").
PLACE_WORDS = frozenset({"in", "at", "from", "near", "around", "across", "outside", "via"})
#: Months and days, which are never a name alone ("May", "August").
MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)

#: Titles before a name ("Dr Patel", "PC Hughes"), as written.
TITLES = frozenset(
    "Dr Mr Mrs Ms Miss Mx Prof Professor PC DC DS DI DCI DSU DCS Sgt PCSO Cllr Councillor "
    "Rev Revd Judge HHJ Sir Dame Lord Lady".split()
)
#: Lower-case particles inside a name ("Maria de Souza", "Jan van der Berg"), as a regex alternation.
PARTICLES = "van|von|de|da|di|du|del|della|der|den|le|la|al|el|bin|binti|ibn|bint|ap|dos|das|do|ter|ten|y"

#: Names that are public on purpose: the children and authors of published national
#: reviews, and charities named after people. Extended by kscb.yaml ``privacy.allow``.
NATIONAL_REVIEWS = (
    "Victoria Climbié",
    "Victoria Climbie",
    "Peter Connelly",
    "Baby Peter",
    "Baby P",
    "Daniel Pelka",
    "Khyra Ishaq",
    "Hamzah Khan",
    "Arthur Labinjo-Hughes",
    "Star Hobson",
    "Lord Laming",
    "Laming",
    "Eileen Munro",
    "Professor Munro",
    "Munro",
    "Sir Alan Wood",
    "Alan Wood",
    "Josh MacAlister",
    "MacAlister",
    "Barnardo's",
    "Dr Barnardo's",
    "Thomas Coram",
    "Coram",
    "Lucy Faithfull",
    "Marie Collins",
    "Anna Freud",
    "Maria Colwell",
    "Jasmine Beckford",
    "Kimberley Carlile",
    "Tyra Henry",
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Family words: a capitalised word right after one is a name ("his brother Tyler").
FAMILY_WORDS = frozenset(_FAMILY.replace("[eé]e?", "e").split("|")) | {"fiancé", "fiancée", "fiancee"}
#: Function words ("The", "When"): never a name, even when the name lists hold them.
FUNCTION_WORDS = _words(_FUNCTION)
#: Every word that is never a name alone: "Nan" and "Gran" are a family word, not a given name.
STOP_WORDS = _words(_FUNCTION) | _words(_CALENDAR) | _words(_DOMAIN) | FAMILY_WORDS
#: Given names that are also ordinary words (above).
AMBIGUOUS = frozenset(_AMBIGUOUS_GIVEN)

#: Titles that are also ordinary words ("Judge", "Lady"): a title only before a known given name or surname.
WEAK_TITLES = frozenset({"Lord", "Lady", "Sir", "Dame", "Judge"})
#: Family words that may open a sentence before a name: "Mother Kelly", "Brother Tyler".
FAMILY_CAPS = frozenset(
    "mother mum mummy father dad daddy stepfather stepmother stepdad stepmum brother sister "
    "grandmother grandfather grandma grandad granddad nan nana gran uncle aunt auntie aunty "
    "cousin partner boyfriend girlfriend husband wife".split()
)
#: Words that make the capitalised words before them a place or a thing ("... Hospital", "... Academy").
INSTITUTIONS = frozenset(
    "hospital hospice centre center house ward wing unit school academy college trust "
    "foundation practice surgery clinic library hall building court street road lane avenue "
    "way close drive park estate primary nursery ambulance room suite law act scheme syndrome "
    "disease guidelines tool model report review inquiry".split()
)

#: Words of the field (above) that are also common surnames: after a known given name they
#: are taken for a surname ("Katie Ward", "Ryan Hall", "Sarah Green").
SURNAME_TOO = frozenset(
    "ward hall green park hill wood church lane young white black brown north west little "
    "long grey gray price page rich king prince duke earl baker cook carter mason shepherd "
    "bishop dean judge house field street rose may day march bell booth walker".split()
)
