"""The family statement of a self-pay bill, as a PDF (SPEC.md section 5, rule 7).

ReportLab rather than WeasyPrint: pure-Python wheels from PyPI with no system
libraries, so `make run` works on any machine with Python, and a statement is
a short fixed layout that needs no HTML/CSS engine.
"""

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from billing.models import Bill
from billing.rules import CLAIM_DESCRIPTION


def statement_pdf(bill: Bill) -> bytes:
    """One page (or more) a family can read: each day's minutes and units, the cap, what is due."""
    styles = getSampleStyleSheet()
    program, person = bill.run.regional_program, bill.person
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=f"Statement {bill.month:%B %Y} {person.full_name}",
        author=program.name,
        leftMargin=0.8 * inch,
        rightMargin=0.8 * inch,
    )
    story = [
        Paragraph(program.name, styles["Title"]),
        Paragraph(
            f"{program.address_line} {program.city} {program.state} {program.postal_code}",
            styles["Normal"],
        ),
        Spacer(1, 12),
        Paragraph(f"Statement for {person.full_name}, {bill.month:%B %Y}", styles["Heading2"]),
        Paragraph(f"{CLAIM_DESCRIPTION} (HCPCS T1017, 15-minute units)", styles["Normal"]),
        Spacer(1, 12),
        _lines_table(bill),
        Spacer(1, 12),
        Paragraph(bill.explanation, styles["Normal"]),
        Spacer(1, 6),
        Paragraph(f"<b>Amount due: ${bill.amount_due}</b>", styles["Heading3"]),
    ]
    document.build(story)
    return buffer.getvalue()


def _lines_table(bill: Bill) -> Table:
    rows = [["Service date", "Minutes", "Units", "Rate", "Charge"]]
    rows += [
        [
            f"{line.service_date:%m/%d/%Y}",
            line.minutes,
            line.units,
            f"${line.rate}",
            f"${line.charge}",
        ]
        for line in bill.lines.all()
    ]
    rows.append(["Total", bill.minutes, bill.units, "", f"${bill.charge}"])
    table = Table(rows, hAlign="LEFT", colWidths=[1.4 * inch, inch, inch, inch, 1.2 * inch])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table
