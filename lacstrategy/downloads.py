"""Files handed out as downloads: committee reports, plan documents and spreadsheets."""

import csv
import io
from decimal import Decimal
from pathlib import PurePath

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from reports.excel import safe_text

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
}


def attachment(content, filename):
    """`content` as a file to save, its type from the file name's extension."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[PurePath(filename).suffix])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_text(rows):
    """Rows as CSV text, each text cell made safe to open in a spreadsheet (no formula runs).
    Numbers stay numbers, so a negative figure is not taken for a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(
            [cell if isinstance(cell, int | float | Decimal) else safe_text(cell) for cell in row]
        )
    return out.getvalue()


def csv_attachment(rows, filename):
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
