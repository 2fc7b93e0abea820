"""``qualitylab demo``: a lab full of believable walks, so fix lists and reports work at once.

``build_demo`` is pure: catalog + seed in, plain domain records out (same seed, same data). It rolls
dice over the problem bank (``demo_bank.yaml``): who walks which journey in which of two releases,
how each step went, which recurring problems they hit and how they put it into words. ``run_demo``
writes the result through the export/import path, so demo data is exactly what a real export holds.
"""

from __future__ import annotations

import random
import re
import uuid as uuidlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from time import perf_counter
from typing import TYPE_CHECKING

from qualitylab.domain import (
    Catalog,
    Journey,
    Outcome,
    PainPoint,
    Praise,
    Severity,
    StepVisit,
    Walk,
    Walker,
    WalkStatus,
)
from qualitylab.errors import InvalidInput, QualityLabError
from qualitylab.services.demo_bank import (
    HOSTILE_COMMENT,
    HOSTILE_NAME,
    HOSTILE_TEXTS,
    Band,
    Bank,
    Problem,
    language_of,
    load_bank,
)
from qualitylab.services.lab import Lab

if TYPE_CHECKING:
    from qualitylab.domain.records import DataRecord

WINDOW_DAYS = 42  # the demo covers the last six weeks
OLD_RELEASE_SHARE = 0.4  # the earlier release was walked in the first half of the window
HIT_RATE = 0.88  # chance a walker notices a given problem on a step (scaled by rate, verbosity)
SMOOTH_STEP = 0.2  # share of step visits where the walker notices nothing at all
BLOCKER_DAMPING = 0.6  # the bank's blocker weights describe the worst case; soften them a bit
ONE_OFF_RATE = 0.13  # remarks per step visit that belong to no recurring problem
DUPLICATE_RATE = 0.02  # the same note pasted twice by the same person
SECOND_MENTION = 0.1  # the same problem noted again in other words ("still can't ...")
PRAISE_RATE = 0.3  # on a smooth step; a tenth of that on a step with minor notes
CATEGORY_SLIP = 0.08  # walkers sometimes file a problem under a neighbouring category
FIX_RATE = 0.5


@dataclass(frozen=True)
class DemoData:
    """Everything ``run_demo`` writes, as plain records; ``problem_of`` is the ground truth
    (pain-point uuid -> bank problem id, None for one-offs) for checking the clustering."""

    releases: dict[str, tuple[str, str]]  # product id -> (older release, release under test)
    walkers: tuple[Walker, ...]
    walks: tuple[Walk, ...]
    pain_points: tuple[PainPoint, ...]
    praise: tuple[Praise, ...]
    problem_of: dict[str, str | None]
    journeys: tuple[Journey, ...]


@dataclass(frozen=True)
class DemoStats:
    walkers: int
    walks: dict[str, int]  # status -> count
    visits: int
    pain_points: int
    one_offs: int
    praise: int
    releases: dict[str, tuple[str, str]]
    added: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def __str__(self) -> str:
        walks = sum(self.walks.values())
        statuses = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in self.walks.items())
        releases = "; ".join(f"{p} {old} -> {new}" for p, (old, new) in self.releases.items())
        lines = [
            f"Demo data: {self.walkers} walkers, {walks} walks ({statuses}), "
            f"{self.visits:,} step visits, {self.pain_points:,} pain points "
            f"({self.one_offs} written as one-offs; `qualitylab fixes` counts those the engine "
            f"finds), {self.praise} praise.",
            f"Releases compared: {releases}.",
        ]
        if self.added and not any(self.added.values()):
            lines.append("Nothing new was added: this seed's demo data is already in the database.")
        lines.append(f"Written in {self.seconds:.1f} s.")
        return "\n".join(lines)


# ----------------------------------------------------------------------------------------- releases
_NUMBER = re.compile(r"\d+")


def previous_release(release: str) -> str:
    """A plausible release before this one: 5.0 -> 4.9, 1.2 -> 1.1, 2026.11 -> 2026.10."""
    runs = list(_NUMBER.finditer(release))
    for i in range(len(runs) - 1, -1, -1):
        value = int(runs[i].group())
        if value == 0:
            continue
        width = len(runs[i].group()) if runs[i].group().startswith("0") else 1
        parts = [release[: runs[i].start()], str(value - 1).zfill(width)]
        cursor = runs[i].end()
        for later in runs[i + 1 :]:  # 2.0 -> 1.9: lower parts roll over to 9
            parts += [release[cursor : later.start()], "9" * len(later.group())]
            cursor = later.end()
        parts.append(release[cursor:])
        return "".join(parts)
    return f"{release}-prev"


# ------------------------------------------------------------------------------------------ builder
@dataclass
class _Persona:
    walker: Walker
    lang: str  # the language the person mostly writes in
    activity: float
    verbosity: float
    typo_rate: float
    lower_rate: float


@dataclass(frozen=True)
class _Note:
    """One thing a walker wrote down on a step; ``problem`` is None for a one-off remark."""

    problem: Problem | None
    severity: int
    text: str
    category: str


@dataclass
class _Draft:
    """A walk while it is being rolled (Walk itself is frozen)."""

    uuid: str
    journey: Journey
    persona: _Persona
    release: str
    current: bool
    status: WalkStatus
    started_at: datetime
    visits: list[StepVisit] = field(default_factory=list)
    closing_comment: str = ""
    nps: int | None = None
    finished_at: datetime | None = None
    current_step: int = 0

    @property
    def walker(self) -> Walker:
        """Whom the walk is stored under: as in the app, an anonymous person's walks share no
        walker record (derived from the walk's uuid, so the dice stay as they were)."""
        person = self.persona.walker
        if not person.anonymous:
            return person
        uuid = str(uuidlib.uuid5(_ANONYMOUS_WALKS, self.uuid))
        return Walker(uuid, f"anonymous-{uuid}", "", True)


_ANONYMOUS_WALKS = uuidlib.UUID("0b5a7d1e-3c42-5f6a-8e9b-1d2c3b4a5f60")


class _Builder:
    def __init__(self, catalog: Catalog, bank: Bank, seed: int, now: datetime) -> None:
        self.catalog = catalog
        self.bank = bank
        self.rng = random.Random(seed)
        self.now = now
        self.categories = catalog.all_categories()
        self.points: list[PainPoint] = []
        self.praise: list[Praise] = []
        self.problem_of: dict[str, str | None] = {}

    def uuid(self) -> str:
        return str(uuidlib.UUID(int=self.rng.getrandbits(128), version=4))

    # ---------------------------------------------------------------- people
    def personas(self, count: int) -> list[_Persona]:
        rng = self.rng
        anonymous = max(1, round(count / 12)) if count >= 6 else 0
        pool = [(n, "ru") for n in self.bank.names["ru"]] + [
            (n, "en") for n in self.bank.names["en"]
        ]
        rng.shuffle(pool)
        named = [pool[i % len(pool)] for i in range(count - anonymous)]
        named = [
            (name if i < len(pool) else f"{name} {i // len(pool) + 1}", lang)
            for i, (name, lang) in enumerate(named)
        ]
        if len(named) >= 10:  # one walker whose name is markup, to exercise escaping downstream
            named[-1] = (HOSTILE_NAME, "en")
        departments = [d for d, _ in self.bank.departments]
        weights = [w for _, w in self.bank.departments]
        people: list[_Persona] = []
        for name, lang in named:
            walker = Walker(self.uuid(), name, rng.choices(departments, weights)[0], False)
            people.append(self._persona(walker, lang))
        for _ in range(anonymous):
            handle = "anonymous-" + self.uuid()[:8]
            people.append(
                self._persona(Walker(self.uuid(), handle, "", True), rng.choice(["ru", "en"]))
            )
        return people

    def _persona(self, walker: Walker, lang: str) -> _Persona:
        rng = self.rng
        return _Persona(
            walker=walker,
            lang=lang,
            activity=min(rng.paretovariate(1.6), 6.0) * (0.4 if walker.anonymous else 1.0),
            verbosity=min(max(rng.lognormvariate(0.0, 0.4), 0.4), 2.2),
            typo_rate=rng.choice([0.05, 0.15, 0.3, 0.45]),
            lower_rate=rng.choice([0.0, 0.1, 0.3, 0.7]),
        )

    # ---------------------------------------------------------------- schedule
    def drafts(self, people: list[_Persona], count: int, journeys: list[Journey]) -> list[_Draft]:
        rng = self.rng
        olds = round(count * OLD_RELEASE_SHARE)
        appeal = [rng.uniform(0.75, 1.25) for _ in journeys]
        open_pairs: set[tuple[str, str]] = set()
        # everyone walks at least once (when there are enough walks); the keen ones walk a lot
        walkers = list(people[:count])
        walkers += rng.choices(people, [p.activity for p in people], k=count - len(walkers))
        rng.shuffle(walkers)
        drafts: list[_Draft] = []
        for index, persona in enumerate(walkers):
            current = index >= olds
            weights = [
                a * _affinity(persona.walker, j) for a, j in zip(appeal, journeys, strict=True)
            ]
            journey = rng.choices(journeys, weights)[0]
            product = self.catalog.product(journey.product)
            release = product.release if current else previous_release(product.release)
            status = _roll_status(rng, current)
            if status is WalkStatus.IN_PROGRESS:
                pair = (persona.walker.uuid, journey.id)
                if pair in open_pairs:  # one open walk per walker and journey, as the app resumes
                    status = WalkStatus.COMPLETED
                open_pairs.add(pair)
            started = self._start_time(current, status)
            drafts.append(_Draft(self.uuid(), journey, persona, release, current, status, started))
        return drafts

    def _start_time(self, current: bool, status: WalkStatus) -> datetime:
        rng = self.rng
        if status is WalkStatus.IN_PROGRESS:
            days = rng.uniform(0.2, 4.0)
        elif current:
            days = rng.uniform(0.2, WINDOW_DAYS * (1 - OLD_RELEASE_SHARE))
        else:
            days = rng.uniform(WINDOW_DAYS * (1 - OLD_RELEASE_SHARE) + 1, WINDOW_DAYS)
        day = (self.now - timedelta(days=days)).replace(hour=6, minute=0, second=0, microsecond=0)
        # draw every number whatever the date, so the same seed gives the same walks and texts
        # at any hour; only the times move
        weekday_only, offset, fallback = rng.random() < 0.85, rng.uniform(0, 36_000), rng.random()
        if day.weekday() >= 5 and weekday_only:  # hardly anyone walks at weekends
            # move to Monday in the current release, to Friday in the old one: never across
            # the day the release under test went to the lab
            day += (
                timedelta(days=7 - day.weekday()) if current else -timedelta(days=day.weekday() - 4)
            )
        start = day + timedelta(seconds=offset)  # 09:00-19:00 Moscow time
        latest = self.now - timedelta(hours=3)
        return start if start < latest else latest - timedelta(seconds=fallback * 3600)

    # ---------------------------------------------------------------- one walk
    def walk(self, draft: _Draft) -> None:
        rng = self.rng
        steps = draft.journey.steps
        if draft.status is WalkStatus.COMPLETED or len(steps) == 1:
            draft.status = WalkStatus.COMPLETED
            visited = len(steps)
        else:
            visited = rng.randint(1, len(steps) - 1)
        clock = draft.started_at + timedelta(seconds=rng.uniform(5, 40))
        worst: list[int] = []
        for position, step in enumerate(steps[:visited]):
            stuck = draft.status is WalkStatus.ABANDONED and position == visited - 1
            visit, worst_here = self._visit(draft, position, step.id, step.skippable, stuck, clock)
            draft.visits.append(visit)
            worst.append(worst_here)
            clock = (visit.left_at or clock) + timedelta(seconds=rng.uniform(2, 45))
        if draft.status is WalkStatus.IN_PROGRESS:
            draft.current_step = visited
            return
        draft.current_step = visited - 1
        draft.finished_at = clock + timedelta(seconds=rng.uniform(15, 150))
        if draft.status is WalkStatus.COMPLETED:
            draft.nps = _nps(rng, worst)
            draft.closing_comment = self._closing(draft)

    def _visit(
        self,
        draft: _Draft,
        position: int,
        step_id: str,
        skippable: bool,
        stuck: bool,
        entered: datetime,
    ) -> tuple[StepVisit, int]:
        rng = self.rng
        skip_chance = 0.2 if skippable else 0.02
        if not stuck and rng.random() < skip_chance:
            seconds = round(rng.uniform(4, 30), 1)
            left = entered + timedelta(seconds=seconds)
            return StepVisit(step_id, position, Outcome.SKIPPED, None, seconds, entered, left), 0
        notes = self._notes(draft, step_id, stuck)
        worst = max((n.severity for n in notes), default=0)
        outcome, ease = _outcome(rng, worst, len(notes))
        if stuck:
            outcome, ease = Outcome.BLOCKED, rng.choice([1, 1, 2])
        seconds = rng.lognormvariate(4.0, 0.6) * (1 + 0.45 * len(notes))
        seconds *= {"call-centre": 2.6, "shop": 1.6}.get(draft.journey.channel.value, 1.0)
        seconds = round(min(max(seconds * (1.8 if outcome is Outcome.BLOCKED else 1), 6), 2400), 1)
        left = entered + timedelta(seconds=seconds)
        for note in notes:
            at = entered + timedelta(seconds=seconds * rng.uniform(0.25, 0.97))
            self._add_point(draft, step_id, note, at)
        praise_chance = PRAISE_RATE if worst == 0 else PRAISE_RATE / 10 if worst == 1 else 0
        if outcome is not Outcome.BLOCKED and rng.random() < praise_chance:
            self._add_praise(draft, step_id, left - timedelta(seconds=rng.uniform(1, 5)))
        return StepVisit(step_id, position, outcome, ease, seconds, entered, left), worst

    def _notes(self, draft: _Draft, step_id: str, stuck: bool) -> list[_Note]:
        """What the walker wrote down on this step."""
        rng = self.rng
        active = [
            p
            for p in self.bank.for_step(draft.journey.id, step_id)
            if p.active_in(current=draft.current)
        ]
        notes: list[_Note] = []
        smooth = rng.random() < SMOOTH_STEP
        for problem in [] if smooth else active:
            chance = HIT_RATE * problem.rate * draft.persona.verbosity
            chance *= problem.current_factor if draft.current else 1.0
            if rng.random() < min(chance, 0.92):
                cos, minor, major, blocker = problem.severity_weights
                weights = (cos, minor, major, blocker * BLOCKER_DAMPING)
                severity = rng.choices(range(1, 5), weights)[0]
                notes.append(self._note(draft, problem, severity))
                if rng.random() < SECOND_MENTION:
                    notes.append(self._note(draft, problem, severity))
        if stuck and active:  # the walk was abandoned here: something stopped the walker
            problem = max(active, key=lambda p: p.severity_weights[3] + p.severity_weights[2])
            notes = [n for n in notes if n.problem is not problem]
            notes.append(self._note(draft, problem, rng.choice([3, 4, 4])))
        stuck_unexplained = stuck and not active  # a step the bank does not know
        if stuck_unexplained or rng.random() < ONE_OFF_RATE * draft.persona.verbosity:
            lang = self._lang(draft)
            category, text = rng.choice(self.bank.one_offs[lang])
            severity = 3 if stuck_unexplained else rng.choices(range(1, 5), [3, 5, 2, 0])[0]
            notes.append(_Note(None, severity, self._voice(text, draft), category))
        rng.shuffle(notes)
        return notes

    def _lang(self, draft: _Draft) -> str:
        """Russian journeys are mostly noted in Russian; staff switch language now and then."""
        russian_journey = draft.journey.language == "ru"
        if draft.persona.lang == "ru":
            chance = 0.95 if russian_journey else 0.45
        else:
            chance = 0.6 if russian_journey else 0.06
        return "ru" if self.rng.random() < chance else "en"

    def _note(self, draft: _Draft, problem: Problem, severity: int) -> _Note:
        category = problem.category
        if self.rng.random() < CATEGORY_SLIP:
            category = self.rng.choice(["usability", "bug", "other", "wording"])
        return _Note(problem, severity, self._phrase(draft, problem), category)

    def _phrase(self, draft: _Draft, problem: Problem) -> str:
        rng = self.rng
        texts = problem.texts_in(self._lang(draft)) or problem.texts
        text = rng.choice(texts)
        if rng.random() < 0.05 and len(texts) > 1:  # two thoughts about the same thing in one note
            other = rng.choice([t for t in texts if t != text])
            text = f"{text.rstrip('.!')}. {other[0].lower()}{other[1:]}"
        return self._voice(text, draft)

    def _voice(self, text: str, draft: _Draft, *, complaint: bool = True) -> str:
        """Light perturbation so a few hundred paraphrases read like thousands of notes; the
        grumbling asides ("again!!", "on my Pixel 7") only go on complaints."""
        rng = self.rng
        lang = language_of(text)
        persona = draft.persona
        if rng.random() < persona.typo_rate:
            for _ in range(rng.choice([1, 1, 2])):
                text = _typo(rng, text)
        roll = rng.random()
        if roll < persona.lower_rate:
            text = text.lower()
        elif roll < persona.lower_rate + 0.02 and len(text) < 70:
            text = text.upper()
        if rng.random() < 0.12:
            text = text.rstrip(".!")
        if not complaint:
            return text
        if rng.random() < 0.07:
            prefix = rng.choice(self.bank.prefixes[lang])
            text = f"{prefix} {text[0].lower()}{text[1:]}"
        if rng.random() < 0.17:
            suffix = rng.choice(self.bank.suffixes[lang])
            sep = rng.choice([" ", ", ", " - ", ". "]) if text[-1].isalnum() else " "
            text = f"{text}{sep}{suffix}" if suffix[0].isalnum() else f"{text.rstrip('.!')}{suffix}"
        return text

    def _add_point(self, draft: _Draft, step_id: str, note: _Note, at: datetime) -> None:
        rng = self.rng
        problem = note.problem
        category = note.category if note.category in self.categories else "other"
        fix = ""
        if problem is not None and rng.random() < FIX_RATE * min(draft.persona.verbosity, 1.2):
            fix = rng.choice(problem.fixes)
            fix = fix.lower() if rng.random() < draft.persona.lower_rate else fix
        edited = at + timedelta(minutes=rng.uniform(1, 40)) if rng.random() < 0.07 else at
        copies = 2 if rng.random() < DUPLICATE_RATE else 1
        for copy in range(copies):
            created = at + timedelta(seconds=copy * rng.uniform(3, 60))
            point = PainPoint(
                uuid=self.uuid(),
                walk_uuid=draft.uuid,
                journey_id=draft.journey.id,
                step_id=step_id,
                text=note.text,
                severity=Severity(note.severity),
                category=category,
                suggested_fix=fix,
                created_at=created,
                updated_at=max(edited, created),
                walker_uuid=draft.walker.uuid,
                release=draft.release,
            )
            self.points.append(point)
            self.problem_of[point.uuid] = problem.id if problem else None

    def _add_praise(self, draft: _Draft, step_id: str, at: datetime) -> None:
        rng = self.rng
        lang = self._lang(draft)
        own = list(self.bank.praise.get((draft.journey.id, step_id), ()))
        pool = own if own and rng.random() < 0.6 else list(self.bank.generic_praise[lang])
        text = self._voice(rng.choice(pool), draft, complaint=False)
        self.praise.append(Praise(self.uuid(), draft.uuid, step_id, text, at))

    def _closing(self, draft: _Draft) -> str:
        rng = self.rng
        if rng.random() < 0.3 or draft.nps is None:
            return ""
        band: Band = "promoter" if draft.nps >= 9 else "passive" if draft.nps >= 7 else "detractor"
        comment = rng.choice(self.bank.closing[(self._lang(draft), band)])
        return self._voice(comment, draft, complaint=band == "detractor")

    # ---------------------------------------------------------------- hostile input
    def hostile(self, drafts: list[_Draft]) -> None:
        """A few texts that must show literally everywhere (markup, ANSI, HTML, formulas)."""
        rng = self.rng
        hosts = [
            d for d in drafts if any(v.outcome not in (Outcome.SKIPPED, None) for v in d.visits)
        ]
        if not hosts:
            return
        for text in HOSTILE_TEXTS:
            draft = rng.choice(hosts)
            visit = rng.choice([v for v in draft.visits if v.outcome is not Outcome.SKIPPED])
            at = (visit.entered_at or draft.started_at) + timedelta(seconds=visit.seconds_spent / 2)
            self._add_point(draft, visit.step_id, _Note(None, 2, text, "other"), at)
        target = next((p for p in self.points if self.problem_of[p.uuid] is not None), None)
        if target is not None:
            index = self.points.index(target)
            self.points[index] = replace(target, suggested_fix='=HYPERLINK("http://evil","x")')
        finished = [d for d in hosts if d.status is WalkStatus.COMPLETED]
        if finished:
            rng.choice(finished).closing_comment = HOSTILE_COMMENT


def _affinity(walker: Walker, journey: Journey) -> float:
    """Shop staff walk shop journeys more, call-centre staff the hotline one."""
    channel = journey.channel.value
    if walker.department == "Retail shop" and channel == "shop":
        return 2.5
    if walker.department == "Call centre" and channel == "call-centre":
        return 2.5
    return 1.0


def _roll_status(rng: random.Random, current: bool) -> WalkStatus:
    if current:
        statuses = [WalkStatus.COMPLETED, WalkStatus.IN_PROGRESS, WalkStatus.ABANDONED]
        return rng.choices(statuses, [0.77, 0.13, 0.10])[0]
    return rng.choices([WalkStatus.COMPLETED, WalkStatus.ABANDONED], [0.88, 0.12])[0]


def _outcome(rng: random.Random, worst: int, notes: int) -> tuple[Outcome, int]:
    """Single Ease Question consistent with what was logged: blockers rate 1-2, clean steps 6-7."""
    if worst == 0:
        return Outcome.DONE, rng.choices([7, 6, 5], [0.6, 0.33, 0.07])[0]
    if worst == 1:
        return rng.choice([Outcome.DONE, Outcome.FRICTION]), rng.choice([5, 6, 6])
    if worst == 2:
        ease = rng.choice([4, 5, 5]) - (1 if notes >= 3 else 0)
        return (Outcome.FRICTION if rng.random() < 0.85 else Outcome.DONE), ease
    if worst == 3:
        return Outcome.FRICTION, rng.choice([2, 3, 3, 4])
    if rng.random() < 0.6:
        return Outcome.BLOCKED, rng.choice([1, 1, 2])
    return Outcome.FRICTION, rng.choice([2, 3])


def _nps(rng: random.Random, worst_per_step: list[int]) -> int:
    blockers = sum(1 for w in worst_per_step if w == 4)
    majors = sum(1 for w in worst_per_step if w == 3)
    score = 9.3 - 1.6 * blockers - 0.6 * majors + rng.gauss(0, 1.2)
    return int(min(10, max(0, round(score))))


_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def _typo(rng: random.Random, text: str) -> str:
    """One realistic slip: swapped, dropped or doubled letter."""
    spots = [m.start() for m in _LETTER.finditer(text) if m.start() + 1 < len(text)]
    spots = [i for i in spots if _LETTER.match(text[i + 1])]
    if not spots:
        return text
    i = rng.choice(spots)
    kind = rng.choice(["swap", "drop", "double"])
    if kind == "swap":
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


# ------------------------------------------------------------------------------------------ public
def build_demo(
    catalog: Catalog,
    *,
    seed: int = 7,
    walkers: int = 48,
    walks: int = 240,
    now: datetime | None = None,
) -> DemoData:
    """Roll a demo lab over the catalog's bundled journeys. Pure and deterministic: the same seed
    and ``now`` give the same data (``now`` defaults to the current hour, UTC)."""
    if walkers < 1 or walks < 1:
        raise InvalidInput("the demo needs at least one walker and one walk")
    bank = load_bank()
    journeys = [j for j in catalog.journeys if bank.steps(j.id)]
    if not journeys:
        raise InvalidInput(
            "the demo is written for the bundled journeys.yaml and none of its journeys are in "
            "this catalog; run it without --journeys (or with the bundled file)"
        )
    anchor = (now or datetime.now(UTC)).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    builder = _Builder(catalog, bank, seed, anchor)
    people = builder.personas(walkers)
    drafts = builder.drafts(people, walks, journeys)
    for draft in drafts:
        builder.walk(draft)
    builder.hostile(drafts)
    drafts.sort(key=lambda d: (d.started_at, d.uuid))
    counts = Counter(p.walk_uuid for p in builder.points)
    used_people = {d.persona.walker.uuid for d in drafts}
    anonymous_walkers = [d.walker for d in drafts if d.walker.anonymous]
    releases = {
        p.id: (previous_release(p.release), p.release)
        for p in catalog.products
        if any(j.product == p.id for j in journeys)
    }
    return DemoData(
        releases=releases,
        walkers=tuple(
            p.walker for p in people if p.walker.uuid in used_people and not p.walker.anonymous
        )
        + tuple(anonymous_walkers),
        walks=tuple(_freeze(d, counts[d.uuid]) for d in drafts),
        pain_points=tuple(sorted(builder.points, key=lambda p: (p.created_at or anchor, p.uuid))),
        praise=tuple(builder.praise),
        problem_of=builder.problem_of,
        journeys=tuple(journeys),
    )


def _freeze(draft: _Draft, pain_points: int) -> Walk:
    return Walk(
        uuid=draft.uuid,
        journey_id=draft.journey.id,
        journey_hash=draft.journey.content_hash(),
        product_id=draft.journey.product,
        release=draft.release,
        walker=draft.walker,
        status=draft.status,
        started_at=draft.started_at,
        finished_at=draft.finished_at,
        current_step=draft.current_step,
        nps=draft.nps,
        closing_comment=draft.closing_comment,
        visits=tuple(draft.visits),
        pain_point_count=pain_points,
    )


def demo_records(data: DemoData) -> Iterator[DataRecord]:
    """The demo as export records (the typed records of ``qualitylab export``), checked by the
    same models an import uses: the demo cannot write what an import would refuse."""
    from qualitylab.domain.records import (
        JourneyRecord,
        PainPointRecord,
        PraiseRecord,
        VisitRecord,
        WalkerRecord,
        WalkRecord,
    )

    first_walk: dict[str, datetime] = {}
    for walk in data.walks:
        first_walk.setdefault(walk.walker.uuid, walk.started_at)
    for walker in data.walkers:
        yield WalkerRecord(
            uuid=walker.uuid,
            name=walker.name,
            department=walker.department,
            anonymous=walker.anonymous,
            created_at=first_walk[walker.uuid] - timedelta(minutes=3),
        )
    for journey in data.journeys:
        yield JourneyRecord(
            hash=journey.content_hash(),
            journey_id=journey.id,
            product_id=journey.product,
            title=journey.title,
            content=journey.model_dump_json(),
            created_at=min(w.started_at for w in data.walks),
        )
    for walk in data.walks:
        last = walk.finished_at or max(
            (v.left_at or walk.started_at for v in walk.visits), default=walk.started_at
        )
        yield WalkRecord(
            uuid=walk.uuid,
            journey_id=walk.journey_id,
            journey_hash=walk.journey_hash,
            product_id=walk.product_id,
            release=walk.release,
            walker=walk.walker.uuid,
            status=walk.status.value,
            current_step=walk.current_step,
            started_at=walk.started_at,
            finished_at=walk.finished_at,
            updated_at=last,
            nps=walk.nps,
            closing_comment=walk.closing_comment,
            visits=[
                VisitRecord(
                    step_id=v.step_id,
                    position=v.position,
                    outcome=v.outcome.value if v.outcome else None,
                    ease=v.ease,
                    seconds_spent=v.seconds_spent,
                    entered_at=v.entered_at or walk.started_at,
                    left_at=v.left_at,
                )
                for v in walk.visits
            ],
        )
    for point in data.pain_points:
        yield PainPointRecord(
            uuid=point.uuid,
            walk=point.walk_uuid,
            step_id=point.step_id,
            text=point.text,
            severity=int(point.severity),
            category=point.category,
            suggested_fix=point.suggested_fix,
            created_at=point.created_at,
            updated_at=point.updated_at,
        )
    for praise in data.praise:
        yield PraiseRecord(
            uuid=praise.uuid,
            walk=praise.walk_uuid,
            step_id=praise.step_id,
            text=praise.text,
            created_at=praise.created_at,
        )


def stats_of(data: DemoData) -> DemoStats:
    statuses = Counter(w.status.value for w in data.walks)
    return DemoStats(
        walkers=len(data.walkers),
        walks={s.value: statuses.get(s.value, 0) for s in WalkStatus},
        visits=sum(len(w.visits) for w in data.walks),
        pain_points=len(data.pain_points),
        one_offs=sum(1 for v in data.problem_of.values() if v is None),
        praise=len(data.praise),
        releases=data.releases,
    )


def run_demo(
    lab: Lab,
    *,
    seed: int = 7,
    walkers: int = 48,
    walks: int = 240,
    force: bool = False,
    now: datetime | None = None,
) -> DemoStats:
    """Write demo data into the lab's database (through the import's batches).

    Refuses a database that already holds walks unless ``force`` (demo data mixed into real data
    would skew every fix list). Records are keyed by seed-derived uuids, so running the same seed
    twice adds nothing the second time.
    """
    from qualitylab.services.transfer import import_records

    started = perf_counter()
    catalog = lab.catalog  # a broken catalog fails here, before a new database file is created
    with lab.store.unit() as u:
        counts = u.counts()
    if (counts.get("walks") or counts.get("pain_points")) and not force:
        raise InvalidInput(
            f"this database already holds {counts.get('walks', 0):,} walks and "
            f"{counts.get('pain_points', 0):,} pain points; demo data would mix with them. "
            "Use an empty database (e.g. --db /tmp/demo.db) or add --force"
        )
    data = build_demo(catalog, seed=seed, walkers=walkers, walks=walks, now=now)
    committed: list[int] = []
    try:
        result = import_records(lab, demo_records(data), on_commit=committed.append)
    except QualityLabError as exc:  # e.g. the database went away between two batches
        if not committed:
            raise
        # The next run would refuse a database that is no longer empty; the same seed keeps the
        # same record ids, so a forced run adds exactly what is missing.
        raise QualityLabError(
            f"{exc}\nthe demo stopped part-way; run the same demo again with --force (and the "
            "same --seed) to complete it"
        ) from exc
    stats = stats_of(data)
    return replace(stats, added=dict(result["added"]), seconds=perf_counter() - started)
