"""The staff qualification rule (SPEC.md section 2) over its edges."""

from datetime import date

import pytest

from tcm.rules import Credentials, assess_qualification, qualified_from

SERVICE_DAY = date(2024, 6, 15)


def credentials(**overrides):
    values = {
        "lsw_license": True,
        "idd_bachelors_degree": False,
        "css_credential": "full",
        "qddp": False,
        "experience_started_on": date(2020, 1, 1),
        "pcp_training_completed_on": date(2021, 1, 1),
    }
    values.update(overrides)
    return Credentials(**values)


@pytest.mark.parametrize(
    ("overrides", "qualified"),
    [
        ({}, True),
        ({"lsw_license": False, "idd_bachelors_degree": True}, True),
        ({"lsw_license": False, "idd_bachelors_degree": False}, False),
        ({"css_credential": "provisional"}, True),
        ({"css_credential": "none", "qddp": True}, True),
        ({"css_credential": "none", "qddp": False}, False),
        # Two years of experience reached exactly on the service day.
        ({"experience_started_on": date(2022, 6, 15)}, True),
        # One day short of two years.
        ({"experience_started_on": date(2022, 6, 16)}, False),
        ({"experience_started_on": None}, False),
        # Training completed on the service day counts; the day after does not.
        ({"pcp_training_completed_on": SERVICE_DAY}, True),
        ({"pcp_training_completed_on": date(2024, 6, 16)}, False),
        ({"pcp_training_completed_on": None}, False),
    ],
)
def test_qualification_rule_edges(overrides, qualified):
    assert assess_qualification(credentials(**overrides), SERVICE_DAY).qualified is qualified


def test_every_missing_requirement_is_explained():
    result = assess_qualification(
        credentials(
            lsw_license=False,
            css_credential="none",
            experience_started_on=date(2024, 1, 1),
            pcp_training_completed_on=None,
        ),
        SERVICE_DAY,
    )
    assert not result
    assert len(result.reasons) == 4
    assert "LSW" in result.reasons[0]
    assert "Community Support Specialist" in result.reasons[1]
    assert "2 years" in result.reasons[2]
    assert "Person-centered planning" in result.reasons[3]


def test_experience_started_on_29_february_completes_on_28_february():
    started = credentials(experience_started_on=date(2020, 2, 29))
    assert not assess_qualification(started, date(2022, 2, 27))
    assert assess_qualification(started, date(2022, 2, 28))


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, date(2022, 1, 1)),  # the two-year anniversary is the latest requirement
        ({"pcp_training_completed_on": date(2023, 3, 1)}, date(2023, 3, 1)),
        ({"qddp": False, "css_credential": "none"}, None),
    ],
)
def test_qualified_from_is_the_first_qualifying_day(overrides, expected):
    creds = credentials(**overrides)
    assert qualified_from(creds, date(2019, 1, 1)) == expected
    if expected:
        assert assess_qualification(creds, expected)
        assert not assess_qualification(creds, date.fromordinal(expected.toordinal() - 1))
