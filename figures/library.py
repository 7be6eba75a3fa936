"""The library of standard national measures for looked-after children, kept in one data file
(figures/data/standard_indicators.json) that is easy to review and extend."""

import json
from functools import cache
from pathlib import Path

LIBRARY_FILE = Path(__file__).parent / "data" / "standard_indicators.json"


@cache
def standard_indicators():
    return json.loads(LIBRARY_FILE.read_text(encoding="utf-8"))["indicators"]


def standard_indicator(code):
    return next((entry for entry in standard_indicators() if entry["code"] == code), None)
