"""Demo persons with two years of case history, built in bulk.

History rows are written with simple-history's bulk_create_with_history so
the admin shows a "created" entry for each seeded record; many-to-many
links (outcomes addressed, providers presented) are seeded without history.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from billing.models import Coverage, MeansTest
from contacts.models import Contact, TimeEntry
from people.models import CaseAssignment, CaseEpisode, LivingArrangement, Person, Representative
from plans.models import DesiredOutcome, NeedsAssessment, Plan, PlanService, Provider, Referral
from tcm.dates import month_end, next_month, quarter_start

FIRST = [
    "James",
    "Mary",
    "Jaylen",
    "Aaliyah",
    "Caleb",
    "Destiny",
    "Elijah",
    "Hannah",
    "Isaiah",
    "Kayla",
    "Landon",
    "Morgan",
    "Nathan",
    "Olivia",
    "Preston",
    "Riley",
    "Samuel",
    "Taylor",
    "Tyrese",
    "Zoe",
    "Walter",
    "Beatrice",
    "Dorothy",
    "Harold",
    "Imani",
    "Jasmine",
]
LAST = [
    "Anderson",
    "Baker",
    "Coleman",
    "Davis",
    "Ellis",
    "Franklin",
    "Gibson",
    "Harris",
    "Jackson",
    "Jones",
    "King",
    "Lewis",
    "Moore",
    "Nelson",
    "Owens",
    "Parker",
    "Reed",
    "Smith",
    "Thomas",
    "Turner",
    "Walker",
    "Washington",
    "Williams",
    "Young",
]
OUTCOMES = [
    "I want to work at the grocery store three days a week.",
    "I want to see my sister every Sunday.",
    "I want to learn to ride the bus to the library by myself.",
    "I want to stay healthy and go to the doctor when I need to.",
    "I want to cook my own breakfast.",
    "I want to join the church choir.",
    "I want to keep living at home with my mom.",
]
STREETS = ["Oak", "Pine", "Magnolia", "Cedar"]
SERVICES = [
    "Day services",
    "Supported employment",
    "In-home respite",
    "Supported living",
    "Behavior support",
    "Community access",
]
ARRANGEMENTS = ["natural_home"] * 11 + [
    "supervised_living",
    "supported_living",
    "group_home",
    "icf_iid",
    "independent",
] * 2
NOTES = [
    "Reviewed progress on outcomes; person reports enjoying day program.",
    "Discussed upcoming medical appointment and transportation.",
    "Checked in on new work schedule; no concerns raised.",
    "Person asked about summer activities; will share options next visit.",
    "Mother reports medication change; coordinated with provider.",
    "Visited at day program; observed person participating in group activity.",
]


@dataclass
class PersonRecords:
    """All rows of one seeded person, waiting for the bulk inserts."""

    person: Person
    episodes: list = field(default_factory=list)
    others: list = field(default_factory=list)  # rows needing only the person's pk
    plans: list = field(default_factory=list)  # (Plan, outcome texts, service rows)
    assessments: list = field(default_factory=list)  # (NeedsAssessment, Referral | None)
    contacts: list = field(default_factory=list)  # (Contact, [TimeEntry])
    time_entries: list = field(default_factory=list)


def medicaid_id(index: int) -> str:
    return f"{280000000 + index:09d}"


def seed_persons(org, count: int, today: date) -> int:
    """Create demo persons 0..count-1 that do not exist yet; returns how many were added."""
    existing = set(
        Person.objects.filter(medicaid_id__in=[medicaid_id(i) for i in range(count)]).values_list(
            "medicaid_id", flat=True
        )
    )
    providers = list(Provider.objects.certified_on(today))
    todo = [i for i in range(count) if medicaid_id(i) not in existing]
    for start in range(0, len(todo), 100):
        batch = [_build(index, org, providers, today) for index in todo[start : start + 100]]
        _insert(batch)
    return len(todo)


def _build(index, org, providers, today):
    rng = random.Random(index)
    region = org.regions[index % len(org.regions)]
    manager = org.case_managers[region.code][rng.randrange(len(org.case_managers[region.code]))]
    born = date(rng.randint(1958, 2014), rng.randint(1, 12), rng.randint(1, 28))
    person = Person(
        first_name=rng.choice(FIRST),
        last_name=rng.choice(LAST),
        date_of_birth=born,
        medicaid_id=medicaid_id(index),
        regional_program=region,
        case_manager=manager,
        phone=f"601-555-{rng.randint(1000, 9999)}",
        address_line=f"{rng.randint(10, 9999)} {rng.choice(STREETS)} St",
        city=region.city,
        postal_code=region.postal_code,
    )
    records = PersonRecords(person=person)
    periods = _episodes(rng, today)
    for opened, closed, reason in periods:
        records.episodes.append(
            CaseEpisode(
                person=person,
                opened_on=opened,
                closed_on=closed,
                closure_reason=reason,
                closure_note="Person told the case manager they no longer want services."
                if reason == "refused"
                else "",
            )
        )
    # The case manager has carried the case since it first opened.
    records.others.append(
        CaseAssignment(person=person, case_manager=manager, assigned_on=periods[0][0])
    )
    _household(rng, records, periods[0][0], born, today)
    current_open = periods[-1][0] if periods[-1][1] is None else None
    if current_open:
        _plans(rng, records, manager, providers, current_open, today)
        _assessments(rng, records, manager, current_open, today)
    _contacts(rng, records, manager, periods, today)
    return records


def _episodes(rng, today):
    opened = today - timedelta(days=rng.randint(420, 2600))
    roll = rng.random()
    if roll < 0.07:  # opened recently: initial plan still due
        return [(today - timedelta(days=rng.randint(5, 50)), None, "")]
    if roll < 0.15:  # refused services, then came back
        # Never before the opening (a case opened 420 days ago cannot close 500 days ago).
        closed = max(today - timedelta(days=rng.randint(200, 500)), opened + timedelta(days=60))
        return [
            (opened, closed, "refused"),
            (closed + timedelta(days=rng.randint(40, 150)), None, ""),
        ]
    if roll < 0.18:
        return [(opened, today - timedelta(days=rng.randint(30, 300)), "moved")]
    return [(opened, None, "")]


def _household(rng, records, opened, born, today):
    person = records.person
    adult = (today - born).days > 18 * 365
    parent = rng.choice(["Linda", "Robert", "Gloria", "Terrence", "Sharon"])
    records.others.append(
        Representative(
            person=person,
            name=f"{parent} {person.last_name}",
            relationship="Parent",
            is_family=True,
            is_legal_representative=not adult or rng.random() < 0.6,
            is_responsible_party=True,
            phone=f"601-555-{rng.randint(1000, 9999)}",
            email=f"{parent.lower()}.{person.last_name.lower()}@example.org",
        )
    )
    if rng.random() < 0.3:
        records.others.append(
            Representative(
                person=person,
                name=f"{rng.choice(['Dana', 'Chris', 'Jordan'])} {person.last_name}",
                relationship="Sibling",
                is_family=True,
            )
        )
    records.others.append(
        LivingArrangement(
            person=person,
            arrangement=rng.choice(ARRANGEMENTS),
            effective_from=opened,
        )
    )
    _coverage(rng, records, opened)


def _coverage(rng, records, opened):
    person, roll = records.person, rng.random()
    medicaid = Coverage(
        person=person,
        payer_type="medicaid",
        payer_name="Mississippi Division of Medicaid",
        payer_id="MSMCD",
        member_id=person.medicaid_id,
        effective_from=opened,
    )
    if roll < 0.06:  # self-pay only
        pass
    elif roll < 0.12:  # private insurance ended mid-month, Medicaid took over the next day
        switch = opened + timedelta(days=rng.randint(200, 400))
        records.others.append(
            Coverage(
                person=person,
                payer_type="private_insurance",
                payer_name="Magnolia Mutual Health",
                payer_id="MMH01",
                member_id=f"MMH{rng.randint(100000, 999999)}",
                effective_from=opened,
                effective_to=switch,
            )
        )
        medicaid.effective_from = switch + timedelta(days=1)
        records.others.append(medicaid)
    elif roll < 0.2:  # insurance and Medicaid both active: insurance pays first
        records.others.append(
            Coverage(
                person=person,
                payer_type="private_insurance",
                payer_name="Gulf States Blue",
                payer_id="GSB01",
                member_id=f"GSB{rng.randint(100000, 999999)}",
                effective_from=opened,
            )
        )
        records.others.append(medicaid)
    else:
        records.others.append(medicaid)
    if roll < 0.06 or rng.random() < 0.25:
        records.others.append(
            MeansTest(
                person=person,
                effective_from=opened,
                family_size=rng.randint(2, 6),
                adjusted_gross_monthly_income=Decimal(rng.randint(1200, 9000)),
                monthly_ability_to_pay=Decimal(rng.choice([0, 25, 60, 120, 240, 400])),
                child_waiver=rng.random() < 0.1,
            )
        )


def _plans(rng, records, manager, providers, opened, today):
    age = (today - opened).days
    if age < 45 and rng.random() < 0.5:
        return  # initial plan not written yet
    latest = max(
        opened + timedelta(days=rng.randint(5, 25)), today - timedelta(days=rng.randint(20, 410))
    )
    meetings = (
        [latest]
        if latest - timedelta(days=365) < opened
        else [latest - timedelta(days=365), latest]
    )
    for version, meeting in enumerate(meetings, start=1):
        status = "active" if version == len(meetings) else "superseded"
        if age < 45:
            status = "draft"
        plan = Plan(
            person=records.person,
            version=version,
            status=status,
            meeting_date=meeting,
            revision_reason="initial" if version == 1 else "annual",
            participants=f"{records.person.first_name}, parent, case manager",
            created_by=manager,
            approved_by=manager if status != "draft" else None,
            approved_at=timezone.now() if status != "draft" else None,
        )
        outcomes = rng.sample(OUTCOMES, rng.randint(2, 3))
        services = [
            (rng.choice(SERVICES), rng.sample(providers, min(3, len(providers))), meeting)
            for _ in range(rng.randint(1, 2))
        ]
        records.plans.append((plan, outcomes, services))


def _assessments(rng, records, manager, opened, today):
    last = today - timedelta(days=rng.randint(15, 420))
    for assessed_on in (last - timedelta(days=365), last):
        if assessed_on < opened:
            continue
        meets = rng.random() > 0.05
        assessment = NeedsAssessment(
            person=records.person,
            assessed_on=assessed_on,
            meets_criteria=meets,
            assessed_by=manager,
            notes="Annual needs-based reassessment.",
        )
        referral = None
        if not meets:
            decided = assessed_on < today - timedelta(days=60)
            referral = Referral(
                person=records.person,
                referred_on=assessed_on,
                status="decided" if decided else "open",
                outcome="eligible" if decided else "",
                outcome_on=assessed_on + timedelta(days=21) if decided else None,
            )
        records.assessments.append((assessment, referral))


def _contacts(rng, records, manager, periods, today):
    start = (today - timedelta(days=730)).replace(day=1)
    month = start
    while month <= today:
        days = [d for d in _days(month, month_end(month)) if d < today and _open(periods, d)]
        if days:
            if rng.random() < 0.88:
                _contact(
                    rng,
                    records,
                    manager,
                    rng.choice(days),
                    mode=rng.choice(["phone", "phone", "video", "face_to_face"]),
                    with_person=rng.random() < 0.8,
                    location="office",
                )
            if month == quarter_start(month) and rng.random() < 0.85:
                quarter_days = [d for d in days if d.month == month.month] or days
                _contact(
                    rng,
                    records,
                    manager,
                    rng.choice(quarter_days),
                    mode="face_to_face",
                    with_person=True,
                    location="service_setting",
                )
            if rng.random() < 0.08:
                _contact(
                    rng,
                    records,
                    manager,
                    rng.choice(days),
                    mode="phone",
                    with_person=True,
                    successful=False,
                )
        month = next_month(month)


def _contact(rng, records, manager, day, *, mode, with_person, location="", successful=True):
    minutes = rng.randint(10, 25) if mode == "phone" else rng.randint(20, 75)
    contact = Contact(
        person=records.person,
        author=manager,
        contact_date=day,
        minutes=minutes,
        travel_minutes=rng.randint(10, 45) if mode == "face_to_face" else 0,
        mode=mode,
        with_person=with_person,
        with_legal_representative=not with_person,
        with_family=not with_person,
        location=location if mode == "face_to_face" else "",
        successful=successful,
        note=rng.choice(NOTES) if successful else "No answer; left a message.",
        next_steps="Follow up next month." if successful else "Try again this week.",
        signed_at=timezone.now(),
    )
    entries = [
        TimeEntry(
            person=records.person,
            author=manager,
            service_date=day,
            minutes=minutes,
            activity="direct_contact",
        )
    ]
    if contact.travel_minutes:
        entries.append(
            TimeEntry(
                person=records.person,
                author=manager,
                service_date=day,
                minutes=contact.travel_minutes,
                activity="travel",
            )
        )
    records.contacts.append((contact, entries))
    if successful and rng.random() < 0.5:
        records.time_entries.append(
            TimeEntry(
                person=records.person,
                author=manager,
                service_date=day,
                minutes=rng.randint(8, 20),
                activity="documentation",
                note="Contact note and plan follow-up.",
            )
        )


def _days(first, last):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _open(periods, day):
    return any(opened <= day and (closed is None or day <= closed) for opened, closed, _ in periods)


def _insert(batch):
    """Bulk-insert one batch of persons and everything that hangs off them."""
    bulk = {"batch_size": 500, "default_change_reason": "seed_demo"}
    bulk_create_with_history([r.person for r in batch], Person, **bulk)
    _bulk_by_model([row for r in batch for row in r.episodes + r.others], bulk)
    plans = [(plan, outcomes, services) for r in batch for plan, outcomes, services in r.plans]
    bulk_create_with_history([plan for plan, _, _ in plans], Plan, **bulk)
    bulk_create_with_history(
        [
            DesiredOutcome(plan=plan, description=text, position=n)
            for plan, outcomes, _ in plans
            for n, text in enumerate(outcomes)
        ],
        DesiredOutcome,
        **bulk,
    )
    _plan_services(plans, bulk)
    assessments = [pair for r in batch for pair in r.assessments]
    bulk_create_with_history([a for a, _ in assessments], NeedsAssessment, **bulk)
    for assessment, referral in assessments:
        if referral is not None:
            referral.assessment = assessment
    bulk_create_with_history([ref for _, ref in assessments if ref], Referral, **bulk)
    contacts = [pair for r in batch for pair in r.contacts]
    bulk_create_with_history([c for c, _ in contacts], Contact, **bulk)
    for contact, entries in contacts:
        for entry in entries:
            entry.contact = contact
    entries = [e for _, es in contacts for e in es] + [e for r in batch for e in r.time_entries]
    bulk_create_with_history(entries, TimeEntry, **bulk)


def _bulk_by_model(rows, bulk):
    by_model = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    for model, objs in by_model.items():
        bulk_create_with_history(objs, model, **bulk)


def _plan_services(plans, bulk):
    services = [
        (
            PlanService(
                plan=plan,
                service=name,
                provider=presented[0],
                frequency="Weekly",
                start_date=start,
                choice_recorded_on=start,
            ),
            presented,
        )
        for plan, _, rows in plans
        for name, presented, start in rows
    ]
    bulk_create_with_history([s for s, _ in services], PlanService, **bulk)
    through = PlanService.providers_presented.through
    through.objects.bulk_create(
        [
            through(planservice_id=s.pk, provider_id=p.pk)
            for s, presented in services
            for p in presented
        ]
    )
