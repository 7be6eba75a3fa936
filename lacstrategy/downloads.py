"""Files handed out as downloads: committee reports, plan documents and spreadsheets."""

from pathlib import PurePath

from django.http import HttpResponse
from django.utils.http import content_disposition_header

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def attachment(content, filename):
    """`content` as a file to save, its type from the file name's extension."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[PurePath(filename).suffix])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
