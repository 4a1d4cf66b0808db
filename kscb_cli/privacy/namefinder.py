"""Find people's names in record text: "Jayden Smith", "Dr Patel", "his brother Tyler".

Names have no shape of their own, so the finder combines a list of known given names and
surnames (:mod:`kscb_cli.privacy.namelist`, derived from Faker's person lists) with the places a
name sits in a sentence. It reports, as ``person_name``:

- a known given name followed by a capitalised word that is not an ordinary or
  domain word ("Jayden Smith", "Agnieszka Nowak-Wiśniewska", "Kelly O'Neill",
  "Mohammed al-Rashid", "Maria de Souza"), or an unknown capitalised word followed
  by a known surname ("Chidinma Okafor");
- a title and a capitalised word: "Dr Patel", "Mrs O'Neill", "PC Hughes", "DC Ahmed";
- a capitalised word right after a family word: "Mother, Kelly, said", "his brother
  Tyler", "her partner (Dean)", "a half-sister called Precious";
- a known given name standing alone ("when Kelly said", "Tyler's school"), unless it is
  also an ordinary word ("Will", "Hope", "Amber", "May": those need one of the contexts
  above) or follows "in", "at", "from", "near" (a place: "in Stanley");
- the same in capitals ("JAYDEN SMITH") when both words are known names.

It does not report capitalised phrases made of ordinary or domain words (agencies,
services, roles, practice models, legislation and guidance, months, festivals, places),
acronyms, or pseudonyms ("Child LR", "Sibling 2", "Family X"). A partnership adds its own
words and phrases (place names, the names of published national reviews) with
``privacy.allow`` in kscb.yaml; see docs/privacy.md.

Speed: one compiled regular expression finds runs of capitalised words; everything else
is set lookups on those runs, so ordinary text costs a regex pass and a few lookups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

# --------------------------------------------------------------------------
# Vocabulary: capitalised words that are never (part of) a person's name here
# --------------------------------------------------------------------------

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
_CALLED_WORDS = frozenset({"called", "named", "aka"})
_PLACE_WORDS = frozenset({"in", "at", "from", "near", "around", "across", "outside", "via"})
#: What follows a first name that is also a word ("Grace", "Bill", "Summer") when it is
#: used as one: "Summer's attendance", "Hunter, aged 4", "Rose, the maternal grandmother",
#: "Grace said".
_NAME_AFTER = re.compile(
    r"(?:['’]s[ \t]+(?:mother|father|mum|dad|sister|brother|grandmother|grandfather|nan|aunt|uncle|"
    r"partner|carer|cousin|school|nursery|attendance|teacher|plan|needs|views|voice|death|injuries|"
    r"bedroom|behaviour|weight|health|development)\b"
    r"|,?[ \t]+\(?aged[ \t]+[0-9]|[ \t]*\([0-9]{1,2}\)"
    r"|,[ \t]+the[ \t]+(?:[a-z'’-]+[ \t]+){0,2}(?:mother|father|grandmother|grandfather|aunt|uncle|"
    r"partner|manager|worker|nurse|teacher|carer|sister|brother|friend|midwife|officer|lead|neighbour)\b"
    r"|[ \t]+(?:said|told|disclosed|explained|stated|described|reported|asked)\b)"
)
_MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
#: A lower-case word after a name that makes it an eponym: "Crohn's disease", "the Fraser guidelines".
_EPONYM_AFTER = re.compile(
    r"(?:['’]s)?[ \t]+(?:disease|syndrome|guidelines|guidance|competence|criteria|scale|score|test|law|"
    r"principles?|sign|palsy|reflex|ratio|report|review|inquiry)\b"
)


def _word_start(text: str, start: int) -> int:
    """Where the word before ``start`` begins."""
    i = start
    while i > 0 and text[i - 1] in " \t,(\"“‘'":
        i -= 1
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] in "-'’"):
        i -= 1
    return i


def _prev_word(text: str, start: int) -> tuple[str, str]:
    """The word before ``start`` (lower case, without "'s") and what lies between:
    ("brother", " ") for "his brother Tyler", ("mother", ", ") for "Mother, Kelly"."""
    i = start
    while i > 0 and text[i - 1] in " \t,(\"“‘'":
        i -= 1
    sep = text[i:start]
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] in "-'’"):
        j -= 1
    word = text[j:i].lower()
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if word == "as" and text[max(0, j - 6) : j].lower().rstrip().endswith("known"):
        word = "called"
    return word, sep


_TITLES = frozenset(
    "Dr Mr Mrs Ms Miss Mx Prof Professor PC DC DS DI DCI DSU DCS Sgt PCSO Cllr Councillor "
    "Rev Revd Judge HHJ Sir Dame Lord Lady".split()
)
_PARTICLES = "van|von|de|da|di|du|del|della|der|den|le|la|al|el|bin|binti|ibn|bint|ap|dos|das|do|ter|ten|y"

# A run of capitalised words: a capital (Latin script), then letters, digits, apostrophes
# and hyphens ("O'Neill", "Labinjo-Hughes", "Nowak-Wiśniewska"), separated by spaces or
# tabs, with lower-case name particles between ("Maria de Souza", "Jan van der Berg",
# "Ahmed al-Rashid"). The lookbehind comes after the first character so that the
# engine skips in C to the next capital.
_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_RUN = re.compile(
    rf"[{_UPPER}](?<![\w'’-].)[\w'’-]*"
    rf"(?:(?:[ \t]+(?:(?:{_PARTICLES})[ \t]+){{0,2}}|[ \t]+(?:al|el)-)[{_UPPER}][\w'’-]*)*"
)
_POSSESSIVE = ("'s", "’s", "'", "’")

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


_FAMILY_WORDS = frozenset(_FAMILY.replace("[eé]e?", "e").split("|")) | {"fiancé", "fiancée", "fiancee"}
#: Every word that is never a name: "Nan" and "Gran" are a family word, not a given name.
_FUNCTION_WORDS = _words(_FUNCTION)
_STOP_LOWER = _words(_FUNCTION) | _words(_CALENDAR) | _words(_DOMAIN) | _FAMILY_WORDS
_AMBIGUOUS = frozenset(_AMBIGUOUS_GIVEN)


class NameFinder:
    """Finds people's names; ``allow`` adds words and phrases that are never names.

    Made once per store (see :func:`kscb_cli.lint.rules.privacy.name_finder`); the given-name
    and surname lists are read on first use.
    """

    def __init__(self, allow: Iterable[str] = (), patterns: Iterable[str] = ()) -> None:
        self._patterns = [re.compile(p) for p in patterns]
        phrases = [p.strip() for p in (*NATIONAL_REVIEWS, *allow) if p and p.strip()]
        self._allow_words = frozenset(p.lower() for p in phrases if " " not in p)
        multi = sorted({p for p in phrases if " " in p}, key=len, reverse=True)
        self._allow = (
            re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(p) for p in multi) + r")(?![\w'’-])", re.IGNORECASE)
            if multi
            else None
        )
        self._lists: tuple[frozenset[str], frozenset[str]] | None = None
        self._stop_words = _STOP_LOWER | self._allow_words

    # -- word classes ------------------------------------------------------

    def _names(self) -> tuple[frozenset[str], frozenset[str]]:
        if self._lists is None:
            from kscb_cli.privacy.namelist import load

            self._lists = load()
        return self._lists

    def _stop(self, word: str) -> bool:
        return word.lower() in self._stop_words

    # -- the finder -----------------------------------------------------------

    def find(self, text: str) -> Iterator[tuple[int, int]]:
        """The (start, end) of every name in ``text``, in order, never overlapping."""
        given, surnames = self._names()
        stop = self._stop_words
        prev_end = -1
        title_at: int | None = None
        for run in _RUN.finditer(text):
            start = run.start()
            word = run.group(0)
            if title_at is None and (" " in word or "\t" in word):
                # a run of ordinary words ("Kirklees Safeguarding Children Board"): nothing to find
                parts = word.split()
                if all(p.rstrip("'’-").lower() in stop for p in parts) and not any(
                    p in _TITLES or p.lower() in _FAMILY_CAPS or p in given for p in parts
                ):
                    prev_end = run.end()
                    continue
            elif word not in _TITLES and title_at is None:
                if word.isupper():  # an acronym ("KSCB", "MASH")
                    prev_end = run.end()
                    continue
                # the fast path for the commonest run, one word that is ordinary ("The",
                # "Police") or unknown and after no family word ("Kirklees", "KSCB")
                low = word.rstrip("'’-").lower()
                if (
                    low in stop
                    and low not in _FAMILY_CAPS
                    and not (
                        _base(word) in given
                        and (_prev_word(text, start)[0] in _FAMILY_WORDS or _NAME_AFTER.match(text, run.end()))
                    )
                ) or (
                    _key(_base(word.rstrip("-'’") or word)) not in given
                    and _prev_word(text, start)[0] not in _FAMILY_WORDS
                ):
                    prev_end = run.end()
                    continue
            # "Dr. Patel": a title ending the run before, then ". "
            titled = title_at is not None and text[prev_end:start] in (". ", ".\t", ".  ")
            words = _split(run.group(0), start)
            if not words:
                continue
            found = self._in_run(text, words, given, surnames, titled)
            if titled and found and found[0][0] == start:
                found[0] = (title_at, found[0][1])
            last = words[-1]
            title_at, prev_end = (last[1] if last[0] in _TITLES else None), run.end()
            for span in found:
                if (self._allow is None or not self._allowed(text, span)) and not self._pseudonym(text, span):
                    yield span

    def _pseudonym(self, text: str, span: tuple[int, int]) -> bool:
        """Inside text that one of kscb.yaml's pseudonym patterns matches."""
        for pattern in self._patterns:
            for m in pattern.finditer(text, max(0, span[0] - 40), min(len(text), span[1] + 40)):
                if m.start() <= span[0] and span[1] <= m.end():
                    return True
        return False

    def _allowed(self, text: str, span: tuple[int, int]) -> bool:
        assert self._allow is not None
        for m in self._allow.finditer(text, max(0, span[0] - 80), min(len(text), span[1] + 80)):
            if m.start() <= span[0] and span[1] <= m.end():
                return True
        return False

    def _in_run(self, text, words, given, surnames, titled) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        n = len(words)
        i = 0
        while i < n:
            word, s, e = words[i]
            base = _base(word)
            nxt = _base(words[i + 1][0]) if i + 1 < n else None
            # A title and a name: "Dr Patel", "Mrs Sarah O'Neill", "PC Hughes"; "Dr. Patel"
            if word in ("St", "St.", "Saint"):  # a saint: a church, a school, a hospital
                i += 2
                continue
            if word in _TITLES:
                if (
                    nxt is not None
                    and self._namelike(nxt)
                    and (word not in _WEAK_TITLES or _key(nxt) in surnames or _key(nxt) in given)
                ):
                    j = self._extend(words, i + 1, given, surnames)
                    out.append((s, _end(words[j])))
                    i = j + 1
                else:
                    i += 1
                continue
            if i == 0 and titled and self._namelike(base):
                j = self._extend(words, i, given, surnames)
                out.append((s, _end(words[j])))
                i = j + 1
                continue
            if base.isupper() and len(base) > 1:  # an acronym, or a name in capitals
                if (
                    nxt is not None
                    and nxt.isupper()
                    and base.title() in given
                    and nxt.title() in surnames
                    and not self._stop(base)
                    and not self._stop(nxt)
                ):
                    out.append((s, _end(words[i + 1])))
                    i += 2
                else:
                    i += 1
                continue
            if self._stop(base):
                low = base.lower()
                if (
                    _known(base, given)
                    and low not in _FUNCTION_WORDS
                    and low not in _MONTHS_DAYS
                    and (i == 0 or self._stop(_base(words[i - 1][0])))
                    and (_prev_word(text, s)[0] in _FAMILY_WORDS if i == 0 else words[i - 1][0].lower() in _FAMILY_CAPS)
                    or (
                        _known(base, given)
                        and low not in _FUNCTION_WORDS
                        and low not in _MONTHS_DAYS
                        and i == n - 1
                        and _NAME_AFTER.match(text, e)
                    )
                ):
                    out.append((s, s + len(base)))  # "Grandad Bill", "sister, Autumn,", "Summer's attendance"
                    i += 1
                    continue
                # "Mother Kelly", "Brother Tyler" at the start of a sentence
                if base.lower() in _FAMILY_CAPS and nxt is not None and self._namelike(nxt):
                    j = self._extend(words, i + 1, given, surnames)
                    out.append((words[i + 1][1], _end(words[j])))
                    i = j + 1
                else:
                    i += 1
                continue
            key = _key(base)
            is_given = _known(key, given)
            # Given name + surname, or an unknown word + a known surname, or (Chinese
            # order) a surname + a given name; a field word that is also a surname counts
            # after a given name ("Katie Ward")
            if (
                nxt is not None
                and word == base
                and not (_institution(nxt) and not _known(_key(nxt), surnames))
                and (
                    self._namelike(nxt) or (is_given and nxt.lower() in _SURNAME_TOO and base.lower() not in _AMBIGUOUS)
                )
            ):
                nkey = _key(nxt)
                if (
                    (is_given and base.lower() not in _AMBIGUOUS)
                    or (_known(nkey, surnames) and (is_given or _plain(key)))
                    or (key in surnames and nkey in given and nxt.lower() not in _AMBIGUOUS)
                ):
                    if not (i + 2 < n and _institution(words[i + 2][0])):
                        j = self._extend(words, i + 1, given, surnames)
                        out.append((s, _end(words[j])))
                        i = j + 1
                        continue
            # One word: a family word before it, or a known given name alone
            if i == 0 or self._stop(_base(words[i - 1][0])):
                if i == 0:
                    prev, sep = _prev_word(text, s)
                else:
                    prev, sep = words[i - 1][0].lower(), " "
                if prev in _CALLED_WORDS and sep.strip() == "":
                    called = True
                    at = _word_start(text, s)  # "called", "named", "aka", or "as" of "known as"
                    if text[at : at + 2].lower() == "as":
                        at = _word_start(text, at)
                    prev, sep = _prev_word(text, at)
                    prev = prev if prev in _FAMILY_WORDS else "called"
                else:
                    called = False
                family = (
                    prev in _FAMILY_WORDS
                    and "." not in sep
                    and not _EPONYM_AFTER.match(text, e)
                    and text[max(0, s - len(sep) - 2) : s - len(sep)] not in ("'s", "’s")
                )
                if family and self._namelike(base):
                    out.append((s, s + len(base)))
                elif is_given and called:
                    out.append((s, s + len(base)))
                elif (
                    is_given
                    and base.lower() not in _AMBIGUOUS
                    and (nxt is None or self._stop(nxt))
                    and prev not in _PLACE_WORDS
                    and not (nxt and _institution(nxt))
                    and not (i == n - 1 and _EPONYM_AFTER.match(text, e))
                ):
                    out.append((s, s + len(base)))
                elif is_given and i == n - 1 and base.lower() not in _MONTHS_DAYS and _NAME_AFTER.match(text, e):
                    out.append((s, s + len(base)))
            i += 1
        return out

    def _namelike(self, word: str) -> bool:
        """A capitalised word that may be part of a name: not an ordinary or domain word, not an acronym."""
        base = _key(_base(word))
        if "-" in base and base.rsplit("-", 1)[1].islower():
            return False  # "Lane-style", "Police-led"
        return len(base) > 1 and base[0].isupper() and not self._stop(base) and not base.isupper()

    def _extend(self, words, j: int, given, surnames) -> int:
        """The last word of a name whose second word is at ``j``: more known names may
        follow ("Sarah Jane Mitchell", "Mary Ann O'Connor-Smith"), up to four words."""
        first = j
        while j + 1 < len(words) and j - first < 2 and _base(words[j][0]) == words[j][0]:
            nxt = _key(_base(words[j + 1][0]))
            if not self._namelike(nxt) or _institution(nxt) or not (nxt in surnames or nxt in given):
                break
            j += 1
        return j


_WEAK_TITLES = frozenset({"Lord", "Lady", "Sir", "Dame", "Judge"})
_FAMILY_CAPS = frozenset(
    "mother mum mummy father dad daddy stepfather stepmother stepdad stepmum brother sister "
    "grandmother grandfather grandma grandad granddad nan nana gran uncle aunt auntie aunty "
    "cousin partner boyfriend girlfriend husband wife".split()
)
_INSTITUTIONS = frozenset(
    "hospital hospice centre center house ward wing unit school academy college trust "
    "foundation practice surgery clinic library hall building court street road lane avenue "
    "way close drive park estate primary nursery ambulance room suite law act scheme syndrome "
    "disease guidelines tool model report review inquiry".split()
)


#: Words of the field (above) that are also common surnames: after a known given name they
#: are taken for a surname ("Katie Ward", "Ryan Hall", "Sarah Green").
_SURNAME_TOO = frozenset(
    "ward hall green park hill wood church lane young white black brown north west little "
    "long grey gray price page rich king prince duke earl baker cook carter mason shepherd "
    "bishop dean judge house field street rose may day march bell booth walker".split()
)


def _known(word: str, names: frozenset[str]) -> bool:
    """In the list, whole or (hyphenated) by a part: "Poppy-Mae", "Adeyemi-Smith"."""
    if word in names:
        return True
    if "-" in word:
        return any(part in names for part in word.split("-") if len(part) > 1)
    return False


def _institution(word: str) -> bool:
    return _base(word).lower() in _INSTITUTIONS


def _plain(word: str) -> bool:
    """A capitalised word that could be an unlisted given name: "Chidinma", "Siobhán"."""
    plain = word.replace("'", "").replace("’", "")
    return len(word) > 2 and word[0].isupper() and plain[1:].islower() and plain.isalpha()


def _key(word: str) -> str:
    """The word as the name lists hold it: "al-Rashid" is looked up as "Rashid"."""
    if word[:3] in ("al-", "el-", "ul-", "ud-"):
        return word[3:]
    if word[:4] == "bin-":
        return word[4:]
    return word


def _base(word: str) -> str:
    """The word without a possessive ("Tyler's" is "Tyler")."""
    if word[-1] not in "s'’" or len(word) < 3:
        return word
    for suffix in _POSSESSIVE:
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _end(word: tuple[str, int, int]) -> int:
    text, start, _ = word
    return start + len(_base(text))


def _split(run: str, offset: int) -> list[tuple[str, int, int]]:
    """The capitalised words of a run with their offsets (particles dropped)."""
    out = []
    pos = 0
    for part in run.split():
        at = run.index(part, pos)
        pos = at + len(part)
        word = part.rstrip("-'’") if not part.endswith(("'s", "’s")) else part
        if word and (word[0].isupper() or "-" in word[:4]):
            out.append((word, offset + at, offset + at + len(word)))
    return out


def name_finder(config: Any) -> NameFinder:
    """The store's name finder: the built-in lists, plus kscb.yaml ``privacy.allow`` and
    ``pseudonyms`` (text matching them is never reported as a name)."""
    privacy = getattr(config, "privacy", None)
    return NameFinder(allow=getattr(privacy, "allow", ()), patterns=getattr(config, "pseudonyms", ()))
