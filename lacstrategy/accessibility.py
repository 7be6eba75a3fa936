"""What the accessibility statement says about how the product itself is tested, read from
the project so that it cannot drift from the truth (the council writes the rest)."""

import re
from functools import cache
from pathlib import Path

from django.conf import settings

# The axe-core rule sets the browser tests run (tests/browser/conftest.py): WCAG 2.0, 2.1 and
# 2.2 at levels A and AA. A test checks the two lists agree.
AXE_RULE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


def _vendored(path, pattern):
    try:
        text = (Path(settings.BASE_DIR) / path).read_text()
    except OSError:
        return ""
    found = re.search(pattern, text)
    return found[1] if found else ""


@cache
def tested_with():
    """The versions of the checker and the design system the pages are built and tested with
    ("" if a file is missing, so the page never states a version it cannot read)."""
    return {
        "axe_core": _vendored("static/vendor/VERSIONS.txt", r"axe-core (\d[\w.]*)"),
        "govuk_frontend": _vendored("static/govuk/VERSION.txt", r"GOV\.UK Frontend (\d[\w.]*)"),
    }


def rule_set_names():
    """AXE_RULE_TAGS in words: "wcag21aa" is "WCAG 2.1 level AA"."""
    names = []
    for tag in AXE_RULE_TAGS:
        found = re.fullmatch(r"wcag(\d)(\d?)(a+)", tag)
        names.append(f"WCAG {found[1]}.{found[2] or 0} level {found[3].upper()}")
    return names
