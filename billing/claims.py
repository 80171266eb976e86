"""The X12 837P (005010X222A1) professional claim file of a bill run (SPEC.md section 5, rule 7).

One interchange per run; one claim (loop 2300) per Medicaid or insurance bill
with a charge, under its own subscriber (loop 2000B: the person is the
subscriber and the patient); one service line (loop 2400) per service date
with units, each described as "Targeted Case Management" (HCPCS T1017).
Self-pay bills are not claims: families get statements (billing/statements.py).

Decisions the specification leaves open, written down here:
- The person record holds no diagnosis; IDD TCM eligibility rests on an
  intellectual or developmental disability, so every claim carries ICD-10
  F79 (unspecified intellectual disabilities) until the record holds one.
- The billing provider is the regional program (NPI, EIN, address); a
  5-digit ZIP is extended with "0000" because 5010 requires ZIP+4 there.
- Place of service 99 (other): case management happens at home, in the
  community and on the phone.
"""

import re
from datetime import datetime

from django.utils import timezone

from billing.models import Bill, BillingRun
from billing.rules import CLAIM_DESCRIPTION

DIAGNOSIS = "F79"
PLACE_OF_SERVICE = "99"
RECEIVER_ID = "TCMCLAIMS"
RECEIVER_NAME = "CLAIMS RECEIVER"
CLAIM_FILING_CODES = {Bill.PayerType.MEDICAID: "MC", Bill.PayerType.PRIVATE_INSURANCE: "CI"}
SEGMENT, ELEMENT, COMPONENT, REPETITION = "~", "*", ":", "^"


def claim_bills(run: BillingRun):
    """The bills of `run` that are claims: Medicaid or insurance, with a charge."""
    return (
        run.bills.filter(withdrawn=False, charge__gt=0, payer_type__in=CLAIM_FILING_CODES)
        .select_related("person", "coverage")
        .prefetch_related("lines")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def clean(value, length: int | None = None) -> str:
    """Upper-case text without the delimiters, trimmed to an element's maximum length."""
    text = re.sub(r"[~*:^\r\n]", " ", str(value or "")).upper()
    text = re.sub(r"\s+", " ", text).strip()
    return text[:length] if length else text


def digits(value) -> str:
    return re.sub(r"\D", "", str(value or ""))


def segment(*elements) -> str:
    parts = [str(element) for element in elements]
    while parts and parts[-1] == "":
        parts.pop()
    return ELEMENT.join(parts) + SEGMENT


def build_837p(run: BillingRun, bills=None, *, now: datetime | None = None) -> str | None:
    """The 837P interchange for `run`, as text ready to download; None without claims.

    An 837P must hold at least one claim, so a run with none has no file. `bills`
    are the run's `claim_bills` when the caller has read them already (the
    download logs whose records they are).
    """
    bills = list(claim_bills(run) if bills is None else bills)
    if not bills:
        return None
    now = timezone.localtime(now)
    control = f"{run.pk:09d}"
    program = run.regional_program
    sender = clean(program.tax_id or program.code, 15)
    body = _transaction(run, program, bills, now)
    header = [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        sender.ljust(15),
        "ZZ",
        RECEIVER_ID.ljust(15),
        f"{now:%y%m%d}",
        f"{now:%H%M}",
        REPETITION,
        "00501",
        control,
        "0",
        "P",
        COMPONENT,
    ]
    return (
        "\n".join(
            [
                ELEMENT.join(header) + SEGMENT,
                segment(
                    "GS",
                    "HC",
                    sender,
                    RECEIVER_ID,
                    f"{now:%Y%m%d}",
                    f"{now:%H%M}",
                    run.pk,
                    "X",
                    "005010X222A1",
                ),
                *body,
                segment("GE", 1, run.pk),
                segment("IEA", 1, control),
            ]
        )
        + "\n"
    )


def _transaction(run: BillingRun, program, bills: list[Bill], now) -> list[str]:
    segments = [
        segment("ST", "837", "0001", "005010X222A1"),
        segment("BHT", "0019", "00", f"TCM{run.pk}", f"{now:%Y%m%d}", f"{now:%H%M}", "CH"),
        segment(
            "NM1",
            "41",
            "2",
            clean(program.name, 60),
            "",
            "",
            "",
            "",
            "46",
            clean(program.tax_id or program.code, 80),
        ),
        segment("PER", "IC", "BILLING OFFICE", "TE", digits(program.phone) or "6015550100"),
        segment("NM1", "40", "2", RECEIVER_NAME, "", "", "", "", "46", RECEIVER_ID),
        segment("HL", "1", "", "20", "1"),
        segment(
            "NM1", "85", "2", clean(program.name, 60), "", "", "", "", "XX", digits(program.npi)
        ),
        *_address(program),
        segment("REF", "EI", digits(program.tax_id)),
    ]
    for number, bill in enumerate(bills, start=2):
        segments += _claim(bill, number)
    count = len(segments) + 1
    return [*segments, segment("SE", count, "0001")]


def _address(record, *, zip_plus_four: bool = True) -> list[str]:
    postal = digits(record.postal_code)
    if zip_plus_four and len(postal) == 5:
        postal += "0000"
    return [
        segment("N3", clean(record.address_line, 55) or "ADDRESS UNKNOWN"),
        segment("N4", clean(record.city, 30) or "UNKNOWN", clean(record.state, 2), postal),
    ]


def _claim(bill: Bill, number: int) -> list[str]:
    person, coverage = bill.person, bill.coverage
    lines = [line for line in bill.lines.all() if line.units > 0]
    segments = [
        segment("HL", number, "1", "22", "0"),
        segment("SBR", "P", "18", "", "", "", "", "", "", CLAIM_FILING_CODES[bill.payer_type]),
        segment(
            "NM1",
            "IL",
            "1",
            clean(person.last_name, 60),
            clean(person.first_name, 35),
            "",
            "",
            "",
            "MI",
            clean(coverage.member_id if coverage else person.medicaid_id, 80),
        ),
        *_address(person, zip_plus_four=False),
        segment("DMG", "D8", f"{person.date_of_birth:%Y%m%d}", "U"),
        segment(
            "NM1",
            "PR",
            "2",
            clean(coverage.payer_name if coverage else "MEDICAID", 60),
            "",
            "",
            "",
            "",
            "PI",
            clean(coverage.payer_id if coverage else "", 80) or "UNKNOWN",
        ),
        segment(
            "CLM",
            f"TCM{bill.pk}",
            bill.charge,
            "",
            "",
            COMPONENT.join([PLACE_OF_SERVICE, "B", "1"]),
            "Y",
            "A",
            "Y",
            "Y",
        ),
        segment("HI", f"ABK{COMPONENT}{DIAGNOSIS}"),
    ]
    for index, line in enumerate(lines, start=1):
        procedure = COMPONENT.join(["HC", "T1017", "", "", "", "", CLAIM_DESCRIPTION.upper()])
        segments += [
            segment("LX", index),
            segment("SV1", procedure, line.charge, "UN", line.units, "", "", "1"),
            segment("DTP", "472", "D8", f"{line.service_date:%Y%m%d}"),
        ]
    return segments
