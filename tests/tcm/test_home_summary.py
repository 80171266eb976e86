"""The landing summary counts a whole program or state, so it is cached per scope."""

from django.urls import reverse
from django.utils import timezone

from tcm.views import _summary
from tests.factories import CaseEpisodeFactory, PersonFactory


def test_reviewer_landing_counts_once_then_reads_the_cache(
    client_for, reviewer, person, django_assert_max_num_queries
):
    client = client_for(reviewer)
    first = client.get(reverse("home"))
    CaseEpisodeFactory(person=PersonFactory(case_manager=person.case_manager))
    # session, user with its role, savepoint, session save, release: no count of
    # persons, episodes or regions
    with django_assert_max_num_queries(5):
        second = client.get(reverse("home"))
    assert first.context["person_count"] == second.context["person_count"] == 1
    assert [r.person_count for r in second.context["regions"]] == [1]


def test_summary_is_cached_per_program(reimbursement_officer, other_case_manager, person):
    from tests.factories import UserFactory

    other_officer = UserFactory(
        username="olga",
        regional_program=other_case_manager.regional_program,
        role="reimbursement_officer",
    )
    CaseEpisodeFactory(person=PersonFactory(case_manager=other_case_manager))
    CaseEpisodeFactory(person=PersonFactory(case_manager=other_case_manager))
    # Officers land on billing now, so ask the summary itself, as the page would.
    today = timezone.localdate()
    assert _summary(reimbursement_officer, today)["person_count"] == 1
    assert _summary(other_officer, today)["person_count"] == 2
