"""Demo regional programs, their certification, staff, rates and providers."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from billing.models import Rate
from plans.models import Provider
from tcm.models import Certification, RegionalProgram, StaffQualification, User
from tcm.roles import Role

DEMO_PASSWORD = "tcm-demo-2026"  # noqa: S105 - demo only, printed by `make run`

# The five Mississippi DMH regional IDD programs.
REGIONS = [
    ("BRC", "Boswell Regional Center", "Magee", "39111"),
    ("ESS", "Ellisville State School", "Ellisville", "39437"),
    ("HRC", "Hudspeth Regional Center", "Whitfield", "39193"),
    ("NMRC", "North Mississippi Regional Center", "Oxford", "38655"),
    ("SMRC", "South Mississippi Regional Center", "Long Beach", "39560"),
]

# Case managers per region: (suffix, first name, last name, qualification profile).
CASE_MANAGERS = [
    ("cm1", "qualified"),
    ("cm2", "qualified"),
    ("cm3", "experience_mid_period"),
    ("cm4", "no_pcp_training"),
]
FIRST_NAMES = [
    "Ava",
    "Marcus",
    "Denise",
    "Tomas",
    "Keisha",
    "Brent",
    "Lena",
    "Curtis",
    "Renee",
    "Omar",
]
LAST_NAMES = ["Whitaker", "Delgado", "Brooks", "Nguyen", "Patel", "Holloway", "Carter", "Mims"]

SERVICES_OFFERED = "Day services; supported living; in-home respite; supported employment"
PROVIDERS = [
    "Magnolia Day Services",
    "Gulf Coast Supported Living",
    "Delta Community Supports",
    "Pine Belt Behavioral Supports",
    "River Hills Employment Services",
    "Capitol Area In-Home Respite",
    "Northeast Therapy Partners",
    "Crossroads Residential Supports",
]


def npi_with_check_digit(base9: str) -> str:
    """A 10-digit NPI whose Luhn check digit is valid (prefix 80840, CMS rules)."""
    digits = [int(d) for d in "80840" + base9]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return base9 + str((10 - total % 10) % 10)


@dataclass
class Organisation:
    regions: list[RegionalProgram]
    case_managers: dict[str, list[User]]  # region code -> case managers


def seed_organisation(today: date) -> Organisation:
    password = make_password(DEMO_PASSWORD)
    groups = {role: Group.objects.get(name=role) for role in Role}
    regions = [_region(index, row) for index, row in enumerate(REGIONS)]
    managers = {}
    for index, region in enumerate(regions):
        code = region.code.lower()
        _user(f"sup.{code}", "Supervisor", region, groups[Role.SUPERVISOR], password, index)
        _user(
            f"ro.{code}",
            "Reimbursement",
            region,
            groups[Role.REIMBURSEMENT_OFFICER],
            password,
            index,
        )
        managers[region.code] = [
            _case_manager(f"{suffix}.{code}", profile, region, groups, password, today, index + n)
            for n, (suffix, profile) in enumerate(CASE_MANAGERS)
        ]
    reviewer = _user("reviewer", "Reviewer", None, groups[Role.DMH_REVIEWER], password, 0)
    if not reviewer.is_staff:
        reviewer.is_staff = True  # the admin is where reviewers audit
        reviewer.save(update_fields=["is_staff"])
    _rates()
    _providers()
    return Organisation(regions=regions, case_managers=managers)


def _region(index, row):
    code, name, city, postal_code = row
    region, created = RegionalProgram.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "city": city,
            "postal_code": postal_code,
            "address_line": f"{100 + index * 37} Regional Center Drive",
            "phone": f"601-555-01{index:02d}",
            "npi": npi_with_check_digit(f"1{index:02d}4567{index}8"[:9]),
            "tax_id": f"64{index}123456"[:9],
        },
    )
    if created:
        # Ellisville lost certification for July 2025: time that month is not billable.
        if code == "ESS":
            Certification.objects.create(
                regional_program=region,
                certificate_number=f"DOC-{code}-1",
                certified_from=date(2019, 7, 1),
                certified_until=date(2025, 6, 30),
            )
            Certification.objects.create(
                regional_program=region,
                certificate_number=f"DOC-{code}-2",
                certified_from=date(2025, 8, 1),
            )
        else:
            Certification.objects.create(
                regional_program=region,
                certificate_number=f"DOC-{code}-1",
                certified_from=date(2019, 7, 1),
            )
    return region


def _user(username, title, region, group, password, seed):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": FIRST_NAMES[(seed + len(username)) % len(FIRST_NAMES)],
            "last_name": f"{LAST_NAMES[seed % len(LAST_NAMES)]} ({title})",
            "email": f"{username}@example.org",
            "regional_program": region,
            "password": password,
        },
    )
    if created:
        user.groups.add(group)
    return user


def _case_manager(username, profile, region, groups, password, today, seed):
    user = _user(username, "Case manager", region, groups[Role.CASE_MANAGER], password, seed)
    if user.qualifications.exists():
        return user
    user.npi = npi_with_check_digit(f"2{seed:03d}{region.pk:02d}789"[:9])
    user.save(update_fields=["npi"])
    record = StaffQualification(
        staff=user,
        effective_from=date(2019, 1, 1),
        lsw_license=seed % 2 == 0,
        idd_bachelors_degree=True,
        css_credential="provisional" if seed % 3 == 0 else "full",
        qddp=seed % 4 == 0,
        experience_started_on=date(2012, 5, 1),
        pcp_training_completed_on=date(2018, 9, 14),
    )
    if profile == "experience_mid_period":
        # Reaches two years of experience partway through the demo window.
        record.experience_started_on = date(today.year - 3, 3, 15)
    elif profile == "no_pcp_training":
        record.pcp_training_completed_on = None
    record.save()
    return user


def _rates():
    if Rate.objects.exists():
        return
    Rate.objects.create(
        amount_per_unit=Decimal("21.50"),
        effective_from=date(2023, 7, 1),
        effective_to=date(2025, 6, 30),
    )
    Rate.objects.create(amount_per_unit=Decimal("22.75"), effective_from=date(2025, 7, 1))


def _providers():
    for index, name in enumerate(PROVIDERS):
        Provider.objects.get_or_create(
            name=name,
            defaults={
                "npi": npi_with_check_digit(f"3{index:02d}456123"[:9]),
                "services_offered": SERVICES_OFFERED,
                "phone": f"601-555-02{index:02d}",
                "certified_from": date(2018, 1, 1),
                "certified_until": date(2025, 12, 31) if index == len(PROVIDERS) - 1 else None,
            },
        )
