"""Each rule of SPEC.md section 4 at its edges, one query per rule."""

from datetime import date

import pytest
from django.utils import timezone

from compliance.rules import RULES
from plans.models import Referral
from tests.factories import (
    CaseEpisodeFactory,
    ContactFactory,
    NeedsAssessmentFactory,
    PersonFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

MARCH = (date(2024, 3, 1), date(2024, 3, 31))
AS_OF = date(2024, 4, 15)


def unmet_periods(rule, person, as_of=AS_OF):
    return {
        (due["period_start"], due["period_end"])
        for due in RULES[rule].unmet(as_of)
        if due["person_id"] == person.pk
    }


def monthly_met_in_march(person, **contact):
    ContactFactory(person=person, **contact)
    return MARCH not in unmet_periods("monthly_contact", person)


@pytest.mark.parametrize(
    ("contact", "met"),
    [
        ({"contact_date": date(2024, 3, 1)}, True),
        ({"contact_date": date(2024, 3, 31)}, True),
        ({"contact_date": date(2024, 2, 29)}, False),
        ({"contact_date": date(2024, 4, 1)}, False),
        ({"mode": "video"}, True),
        ({"mode": "face_to_face", "location": "office"}, True),
        ({"mode": "written"}, False),
        ({"with_person": False, "with_legal_representative": True}, True),
        ({"with_person": False, "with_family": True}, False),
        ({"successful": False}, False),
        ({"signed_at": None}, False),
        ({"voided_at": timezone.now(), "void_reason": "Wrong person"}, False),
    ],
)
def test_monthly_contact_edges(person, contact, met):
    contact.setdefault("contact_date", date(2024, 3, 15))
    assert monthly_met_in_march(person, **contact) is met


def test_contact_with_family_only_does_not_meet_monthly_contact(person):
    assert not monthly_met_in_march(
        person, contact_date=date(2024, 3, 5), with_person=False, with_family=True
    )


Q1 = (date(2024, 1, 1), date(2024, 3, 31))
FACE_TO_FACE = {"mode": "face_to_face", "location": "service_setting"}


@pytest.mark.parametrize(
    ("contact", "met"),
    [
        ({**FACE_TO_FACE, "contact_date": date(2024, 1, 1)}, True),
        ({**FACE_TO_FACE, "contact_date": date(2024, 3, 31)}, True),
        ({**FACE_TO_FACE, "contact_date": date(2024, 4, 1)}, False),
        ({**FACE_TO_FACE, "contact_date": date(2023, 12, 31)}, False),
        ({"mode": "video", "contact_date": date(2024, 2, 1)}, False),
        ({**FACE_TO_FACE, "location": "office", "contact_date": date(2024, 2, 1)}, False),
        ({**FACE_TO_FACE, "location": "community", "contact_date": date(2024, 2, 1)}, False),
        (
            {
                **FACE_TO_FACE,
                "with_person": False,
                "with_legal_representative": True,
                "contact_date": date(2024, 2, 1),
            },
            False,
        ),
        ({**FACE_TO_FACE, "successful": False, "contact_date": date(2024, 2, 1)}, False),
    ],
)
def test_quarterly_face_to_face_edges(person, contact, met):
    ContactFactory(person=person, **contact)
    assert (Q1 not in unmet_periods("quarterly_face_to_face", person)) is met


def test_only_whole_ended_periods_are_judged(person):
    # On 31 March the month has not ended: March is not judged yet, February is.
    periods = unmet_periods("monthly_contact", person, as_of=date(2024, 3, 31))
    assert MARCH not in periods
    assert (date(2024, 2, 1), date(2024, 2, 29)) in periods
    assert MARCH in unmet_periods("monthly_contact", person, as_of=date(2024, 4, 1))


def test_lookback_bounds_the_months_judged(person, settings):
    settings.TCM_COMPLIANCE_LOOKBACK_MONTHS = 3
    periods = unmet_periods("monthly_contact", person)
    assert sorted(start for start, _ in periods) == [
        date(2024, 1, 1),
        date(2024, 2, 1),
        date(2024, 3, 1),
    ]


@pytest.mark.parametrize(
    ("episodes", "in_scope"),
    [
        ([(date(2024, 3, 1), None)], True),
        ([(date(2024, 3, 2), None)], False),
        ([(date(2020, 1, 1), date(2024, 3, 31))], True),
        ([(date(2020, 1, 1), date(2024, 3, 30))], False),
        # Closed on the 10th, reopened on the 20th: no one episode spans March.
        ([(date(2020, 1, 1), date(2024, 3, 10)), (date(2024, 3, 20), None)], False),
    ],
)
def test_a_month_is_in_scope_only_when_one_episode_spans_it(case_manager, episodes, in_scope):
    person = PersonFactory(case_manager=case_manager)
    for opened_on, closed_on in episodes:
        CaseEpisodeFactory(
            person=person,
            opened_on=opened_on,
            closed_on=closed_on,
            closure_reason="refused" if closed_on else "",
        )
    assert (MARCH in unmet_periods("monthly_contact", person)) is in_scope


def test_reopened_case_is_judged_again_from_its_first_whole_month(case_manager):
    person = PersonFactory(case_manager=case_manager)
    CaseEpisodeFactory(
        person=person,
        opened_on=date(2020, 1, 1),
        closed_on=date(2024, 1, 10),
        closure_reason="refused",
    )
    CaseEpisodeFactory(person=person, opened_on=date(2024, 2, 12))
    starts = {start for start, _ in unmet_periods("monthly_contact", person)}
    assert date(2023, 12, 1) in starts
    assert date(2024, 1, 1) not in starts
    assert date(2024, 2, 1) not in starts
    assert date(2024, 3, 1) in starts


@pytest.mark.parametrize(
    ("meeting_date", "as_of", "due_date"),
    [
        (date(2024, 2, 29), date(2025, 2, 28), None),
        (date(2024, 2, 29), date(2025, 3, 1), date(2025, 2, 28)),
        (date(2023, 3, 1), date(2024, 2, 29), None),
        (date(2023, 2, 28), date(2024, 2, 28), None),
        (date(2023, 2, 28), date(2024, 2, 29), date(2024, 2, 28)),
        (date(2023, 6, 10), date(2024, 6, 10), None),
        (date(2023, 6, 10), date(2024, 6, 11), date(2024, 6, 10)),
    ],
)
def test_annual_plan_review_falls_due_on_the_anniversary(person, meeting_date, as_of, due_date):
    PlanFactory(person=person, status="active", meeting_date=meeting_date)
    dues = [
        due for due in RULES["annual_plan_review"].unmet(as_of) if due["person_id"] == person.pk
    ]
    assert [due["due_date"] for due in dues] == ([due_date] if due_date else [])


def test_annual_plan_review_ignores_persons_without_an_active_plan(person):
    PlanFactory(person=person, status="draft", meeting_date=date(2020, 1, 1))
    assert list(RULES["annual_plan_review"].unmet(AS_OF)) == []


def test_annual_plan_review_ignores_closed_cases(case_manager):
    person = PersonFactory(case_manager=case_manager)
    CaseEpisodeFactory(
        person=person,
        opened_on=date(2020, 1, 1),
        closed_on=date(2024, 1, 1),
        closure_reason="moved",
    )
    PlanFactory(person=person, status="active", meeting_date=date(2020, 1, 1))
    assert list(RULES["annual_plan_review"].unmet(AS_OF)) == []


@pytest.mark.parametrize(
    ("assessed_on", "as_of", "due_date"),
    [
        (None, date(2021, 1, 1), None),  # first one due a year after opening
        (None, date(2021, 1, 2), date(2021, 1, 1)),
        (date(2023, 4, 15), AS_OF, None),
        (date(2023, 4, 14), AS_OF, date(2024, 4, 14)),
        (date(2019, 6, 1), date(2021, 1, 2), date(2021, 1, 1)),  # before the episode: ignored
    ],
)
def test_annual_reassessment_due_dates(person, assessed_on, as_of, due_date):
    if assessed_on:
        NeedsAssessmentFactory(person=person, assessed_on=assessed_on)
    dues = [d for d in RULES["annual_reassessment"].unmet(as_of) if d["person_id"] == person.pk]
    assert [due["due_date"] for due in dues] == ([due_date] if due_date else [])


def test_initial_plan_due_thirty_days_after_opening(case_manager, settings):
    person = PersonFactory(case_manager=case_manager)
    CaseEpisodeFactory(person=person, opened_on=date(2024, 3, 1))
    rule = RULES["initial_plan"]
    assert list(rule.unmet(date(2024, 3, 31))) == []
    assert [due["due_date"] for due in rule.unmet(date(2024, 4, 1))] == [date(2024, 3, 31)]
    PlanFactory(person=person, status="active", meeting_date=date(2024, 3, 20))
    assert list(rule.unmet(date(2024, 4, 1))) == []


def test_referral_without_outcome_is_late_after_thirty_days(person):
    Referral.objects.create(person=person, referred_on=date(2024, 3, 1))
    rule = RULES["de_referral_pending"]
    assert list(rule.unmet(date(2024, 3, 31))) == []
    assert [due["due_date"] for due in rule.unmet(date(2024, 4, 1))] == [date(2024, 3, 31)]


def test_each_rule_costs_one_query_whatever_the_number_of_persons(
    case_manager, django_assert_num_queries
):
    for _ in range(5):
        person = PersonFactory(case_manager=case_manager)
        CaseEpisodeFactory(person=person, opened_on=date(2020, 1, 1))
        PlanFactory(person=person, status="active", meeting_date=date(2022, 1, 1))
    for rule in RULES.values():
        # One SELECT: the periods are a UNION ALL, scope and "met" are EXISTS subqueries.
        with django_assert_num_queries(1):
            list(rule.unmet(AS_OF))
