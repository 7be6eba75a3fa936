from rest_framework.renderers import BaseRenderer

from lacstrategy.downloads import csv_text


class CsvRenderer(BaseRenderer):
    """A list as a CSV file, one row a record, for Excel and Power BI (`?format=csv`)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if not isinstance(data, list):  # an error: said in one cell
            data = [data]
        columns = list(data[0]) if data else []
        rows = [[_cell(row.get(column)) for column in columns] for row in data]
        return csv_text([columns, *rows]).encode(self.charset)


def _cell(value):
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else value
