"""`python bench/generate.py --persons N`: state-scale data on PostgreSQL, fast.

One case manager per 100 persons and two years of contacts and time entries
per person, with the gaps real caseloads have, so compliance and billing find
things: about one month in eight without a qualifying contact, one quarter in
seven without a face-to-face visit in the service setting, some attempted
contacts, plans and reassessments past their anniversary, referrals without an
outcome, closed and reopened cases (the demo seed's own episode shapes), self-pay
persons under a means test, and the demo's unqualified case managers and
decertified month.

Rows are plain tuples streamed with PostgreSQL COPY, one batch of persons at a
time (memory stays flat in N), with primary keys assigned here so children can
name their parents. The demo seed builds model instances and history rows,
which is right for a few hundred persons and far too slow for 100,000. No
history rows are written: neither the jobs nor the pages read them (STYLE.md
lets generators handle history themselves). Foreign keys are checked by
PostgreSQL, once, after the load (`_foreign_keys_checked_at_the_end`).
"""

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcm.settings")
    import django

    django.setup()

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from billing.models import Coverage, MeansTest
from contacts.models import Contact, TimeEntry
from contacts.services import DAY_TOTAL_RULE
from people.models import CaseAssignment, CaseEpisode, LivingArrangement, Person, Representative
from plans.models import DesiredOutcome, NeedsAssessment, Plan, Referral
from tcm.dates import month_end, next_month
from tcm.demo.organisation import Organisation, seed_organisation
from tcm.demo.persons import FIRST, LAST, NOTES, OUTCOMES, STREETS, _episodes, medicaid_id
from tcm.models import StaffQualification, User
from tcm.roles import Role

PERSONS_PER_CASE_MANAGER = 100
BATCH = 1000

# The columns each table is written with, in the order the row builders below
# produce them. Columns left out must be nullable (checked by `_check_columns`).
COLUMNS = {
    Person: "id first_name last_name preferred_name date_of_birth medicaid_id "
    "regional_program_id case_manager_id phone address_line city state postal_code created_at",
    CaseAssignment: "id person_id case_manager_id assigned_on",
    CaseEpisode: "id person_id opened_on closed_on closure_reason closure_note",
    Representative: "id person_id name relationship is_family is_legal_representative "
    "is_responsible_party phone email address",
    LivingArrangement: "id person_id arrangement effective_from",
    Coverage: "id person_id payer_type payer_name payer_id member_id effective_from",
    MeansTest: "id person_id effective_from family_size adjusted_gross_monthly_income "
    "monthly_ability_to_pay child_waiver",
    Plan: "id person_id version status meeting_date revision_reason participants "
    "created_by_id created_at approved_by_id approved_at",
    DesiredOutcome: "id plan_id description position",
    NeedsAssessment: "id person_id assessed_on meets_criteria notes assessed_by_id created_at",
    Referral: "id person_id assessment_id referred_on status outcome outcome_on notes",
    Contact: "id person_id author_id contact_date minutes travel_minutes mode with_person "
    "with_legal_representative with_family with_provider with_other location successful "
    "note services_declined coordination next_steps signed_at created_at void_reason",
    TimeEntry: "id person_id author_id service_date minutes activity contact_id note "
    "created_at void_reason",
}
COLUMNS = {model: tuple(columns.split()) for model, columns in COLUMNS.items()}


def generate(persons: int, *, today: date | None = None) -> dict[str, int]:
    """Add `persons` persons and their case managers; returns rows written per table.

    Each batch commits on its own, so a long run holds no giant transaction.
    """
    if connection.vendor != "postgresql":
        raise RuntimeError("the bench generator streams with PostgreSQL COPY")
    _check_columns()
    today = today or timezone.localdate()
    if Person.objects.exists():
        raise RuntimeError("bench/generate.py fills an empty database; persons exist")
    with transaction.atomic():
        organisation = _with_case_managers(seed_organisation(today), persons)
    builder = RowBuilder(organisation, today)
    with _foreign_keys_checked_at_the_end(), _day_total_checked_at_the_end():
        for start in range(0, persons, BATCH):
            with transaction.atomic():
                builder.write(range(start, min(persons, start + BATCH)))
    for model in COLUMNS:
        _reset_sequence(model)
    with connection.cursor() as cursor:
        # A live system appends contacts and time day by day, so a month's rows sit
        # together on disk; rows written person by person would scatter every
        # date-range scan across the whole table. CLUSTER gives the live layout.
        cursor.execute("CLUSTER contacts_contact USING contacts_contact_date_person")
        cursor.execute("CLUSTER contacts_timeentry USING contacts_time_date_person")
        cursor.execute("ANALYZE")  # fresh statistics, so the first plans are the real ones
    return dict(builder.counts)


@contextmanager
def _foreign_keys_checked_at_the_end():
    """Drop the foreign keys of the bench tables and add them back afterwards.

    Row-by-row checks (Django's keys are deferred to commit) cost more than
    the COPY itself; adding a key back validates every row in one set-based
    pass, so integrity is still checked by PostgreSQL, once.
    """
    tables = [model._meta.db_table for model in COLUMNS]
    with connection.cursor() as cursor:
        # Pending deferred checks (the organisation just seeded) block ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        keys = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table, name, definition in keys:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


DAYS_OVER_24_HOURS = """
    SELECT author_id, service_date FROM contacts_timeentry WHERE voided_at IS NULL
    GROUP BY author_id, service_date HAVING SUM(minutes) > 24 * 60 LIMIT 1
"""


@contextmanager
def _day_total_checked_at_the_end():
    """The 24-hour rule's trigger off during the COPY, then the rule checked once.

    The trigger would lock and sum every day of each batch's authors (a batch's time
    entries at once); one aggregate over the table afterwards checks the same rule,
    as adding a foreign key back checks the keys.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE contacts_timeentry DISABLE TRIGGER {DAY_TOTAL_RULE}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE contacts_timeentry ENABLE TRIGGER {DAY_TOTAL_RULE}")
            cursor.execute(DAYS_OVER_24_HOURS)
            over = cursor.fetchone()
        if over is not None:
            raise RuntimeError(
                f"bench/generate.py: author {over[0]} has over 24 hours on {over[1]}"
            )


def _check_columns():
    for model, columns in COLUMNS.items():
        missing = [
            field.column
            for field in model._meta.concrete_fields
            if field.column not in columns and not field.null
        ]
        if missing:
            raise RuntimeError(f"bench/generate.py: add {missing} to COLUMNS[{model.__name__}]")


def _with_case_managers(organisation: Organisation, persons: int) -> Organisation:
    """Top each region up to its share of one case manager per 100 persons.

    The demo's four case managers per region (one not yet experienced enough,
    one without PCP training) stay in the rotation, so billing excludes some time.
    """
    per_region = max(1, -(-persons // PERSONS_PER_CASE_MANAGER // len(organisation.regions)))
    group = Group.objects.get(name=Role.CASE_MANAGER)
    template = StaffQualification.objects.get(staff__username="cm1.hrc")
    password = User.objects.get(username="cm1.hrc").password
    managers = {}
    for region in organisation.regions:
        code = region.code.lower()
        existing = list(organisation.case_managers[region.code])
        added = User.objects.bulk_create(
            User(
                username=f"cm{n}.{code}",
                first_name="Bench",
                last_name=f"Case manager {n}",
                email=f"cm{n}.{code}@example.org",
                regional_program=region,
                password=password,
            )
            for n in range(len(existing) + 1, per_region + 1)
        )
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user.pk, group_id=group.pk) for user in added
        )
        StaffQualification.objects.bulk_create(_same_credentials(template, user) for user in added)
        managers[region.code] = existing + added
    return replace(organisation, case_managers=managers)


def _same_credentials(template: StaffQualification, user: User) -> StaffQualification:
    values = {f.attname: getattr(template, f.attname) for f in StaffQualification._meta.fields}
    return StaffQualification(**{**values, "id": None, "staff_id": user.pk})


class RowBuilder:
    """Builds each person's rows as tuples, assigning primary keys as it goes."""

    def __init__(self, organisation: Organisation, today: date):
        self.organisation = organisation
        self.today = today
        self.now = timezone.now()
        self.window_start = (today - timedelta(days=730)).replace(day=1)
        self.next_id = {model: _next_id(model) for model in COLUMNS}
        self.counts = defaultdict(int)

    def write(self, indexes):
        self.rows = defaultdict(list)
        for index in indexes:
            self._person(index)
        for model in COLUMNS:  # parents before children
            _copy_rows(model._meta.db_table, COLUMNS[model], self.rows[model])
            self.counts[model._meta.db_table] += len(self.rows[model])

    def _add(self, model, *values) -> int:
        pk = self.next_id[model]
        self.next_id[model] = pk + 1
        self.rows[model].append((pk, *values))
        return pk

    def _person(self, index):
        rng = random.Random(index)
        regions = self.organisation.regions
        region = regions[index % len(regions)]
        managers = self.organisation.case_managers[region.code]
        manager = managers[(index // len(regions)) % len(managers)].pk
        born = date(rng.randint(1958, 2014), rng.randint(1, 12), rng.randint(1, 28))
        last_name = rng.choice(LAST)
        person = self._add(
            Person,
            rng.choice(FIRST),
            last_name,
            "",
            born,
            medicaid_id(index),
            region.pk,
            manager,
            f"601-555-{rng.randint(1000, 9999)}",
            f"{rng.randint(10, 9999)} {rng.choice(STREETS)} St",
            region.city,
            "MS",
            region.postal_code,
            self.now,
        )
        episodes = _episodes(rng, self.today)
        self._add(CaseAssignment, person, manager, episodes[0][0])
        for opened, closed, reason in episodes:
            note = "Person no longer wants services." if reason == "refused" else ""
            self._add(CaseEpisode, person, opened, closed, reason, note)
        self._household(rng, person, medicaid_id(index), last_name, episodes[0][0], born)
        if episodes[-1][1] is None:
            self._plan(rng, person, manager, episodes[-1][0])
            self._assessments(rng, person, manager, episodes[-1][0])
        self._contacts(rng, person, manager, episodes)

    def _household(self, rng, person, member_id, last_name, opened, born):
        adult = (self.today - born).days > 18 * 365
        legal = not adult or rng.random() < 0.6
        phone = f"601-555-{rng.randint(1000, 9999)}"
        self._add(
            Representative, person, f"Pat {last_name}", "Parent", True, legal, True, phone, "", ""
        )
        arrangement = "natural_home" if rng.random() < 0.55 else "supported_living"
        self._add(LivingArrangement, person, arrangement, opened)
        roll = rng.random()
        if 0.06 <= roll < 0.14:  # private insurance pays before Medicaid
            self._add(
                Coverage, person, "private_insurance", "Gulf States Blue", "GSB01", "GSB1", opened
            )
        if roll >= 0.06:  # everyone else has Medicaid; the first 6% pay themselves
            self._add(
                Coverage,
                person,
                "medicaid",
                "Mississippi Division of Medicaid",
                "MSMCD",
                member_id,
                opened,
            )
        if roll < 0.06 or rng.random() < 0.25:
            ability = rng.choice([0, 25, 60, 120, 240, 400])
            self._add(MeansTest, person, opened, rng.randint(2, 6), 3000, ability, False)

    def _plan(self, rng, person, manager, opened):
        """One plan; about one in nine is past its anniversary, a few new cases have none."""
        if (self.today - opened).days < 45 and rng.random() < 0.5:
            return
        meeting = max(
            opened + timedelta(days=rng.randint(5, 25)),
            self.today - timedelta(days=rng.randint(20, 410)),
        )
        plan = self._add(
            Plan,
            person,
            1,
            "active",
            meeting,
            "initial",
            "The person, a parent, case manager",
            manager,
            self.now,
            manager,
            self.now,
        )
        for position, text in enumerate(rng.sample(OUTCOMES, 2)):
            self._add(DesiredOutcome, plan, text, position)

    def _assessments(self, rng, person, manager, opened):
        assessed_on = self.today - timedelta(days=rng.randint(15, 420))
        if assessed_on < opened:
            return
        meets = rng.random() > 0.05
        assessment = self._add(
            NeedsAssessment, person, assessed_on, meets, "Annual reassessment.", manager, self.now
        )
        if not meets:  # half of the referrals still wait for the D&E team
            decided = rng.random() < 0.5
            self._add(
                Referral,
                person,
                assessment,
                assessed_on,
                "decided" if decided else "open",
                "eligible" if decided else "",
                assessed_on + timedelta(days=21) if decided else None,
                "",
            )

    def _contacts(self, rng, person, manager, episodes):
        """Most months a contact, most quarters a visit in the service setting, now and
        then an attempt that did not reach anyone.

        The month in progress gets only its elapsed days' share of them: the whole
        month's contacts of a caseload, crowded into the days so far, put one case
        manager over 24 hours on one day (the rule contacts/migrations/0007 enforces).
        """
        month = self.window_start
        while month < self.today:
            last = min(month_end(month), self.today - timedelta(days=1))
            share = ((last - month).days + 1) / month_end(month).day
            if rng.random() < 0.88 * share:
                mode = rng.choice(("phone", "phone", "video", "face_to_face"))
                self._contact(rng, person, manager, episodes, month, last, mode, "office")
            if month.month % 3 == 1 and rng.random() < 0.85 * share:
                self._contact(
                    rng, person, manager, episodes, month, last, "face_to_face", "service_setting"
                )
            if rng.random() < 0.08 * share:
                self._contact(rng, person, manager, episodes, month, last, "phone", "", False)
            month = next_month(month)

    def _contact(self, rng, person, manager, episodes, first, last, mode, location, ok=True):
        day = first + timedelta(days=rng.randint(0, (last - first).days))
        if not any(
            opened <= day and (closed is None or day <= closed) for opened, closed, _ in episodes
        ):
            return
        face_to_face = mode == "face_to_face"
        minutes = rng.randint(20, 75) if face_to_face else rng.randint(10, 25)
        travel = rng.randint(10, 45) if face_to_face else 0
        with_person = not ok or location == "service_setting" or rng.random() < 0.8
        contact = self._add(
            Contact,
            person,
            manager,
            day,
            minutes,
            travel,
            mode,
            with_person,
            not with_person,
            not with_person,
            False,
            False,
            location if face_to_face else "",
            ok,
            rng.choice(NOTES) if ok else "No answer; left a message.",
            "",
            "",
            "Follow up next month.",
            self.now,
            self.now,
            "",
        )
        self._add(
            TimeEntry, person, manager, day, minutes, "direct_contact", contact, "", self.now, ""
        )
        if travel:
            self._add(TimeEntry, person, manager, day, travel, "travel", contact, "", self.now, "")
        if ok and rng.random() < 0.5:
            documentation = rng.randint(8, 20)
            self._add(
                TimeEntry,
                person,
                manager,
                day,
                documentation,
                "documentation",
                None,
                "Contact note and plan follow-up.",
                self.now,
                "",
            )


def _copy_rows(table, columns, rows):
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def _reset_sequence(model):
    """Move the identity sequence past the keys assigned here."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))",
            [table],
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=int(os.environ.get("BENCH_PERSONS", 10000)))
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.persons)
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    print(
        f"{args.persons} persons, {total} rows in {seconds:.1f} s ({total / seconds:,.0f} rows/s)"
    )
    for table, count in sorted(counts.items()):
        print(f"  {table}: {count}")


if __name__ == "__main__":
    main()
