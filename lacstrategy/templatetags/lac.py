import base64
import datetime
import xml.etree.ElementTree as ET
from html import escape

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from figures.charts import SVG_NS, sparkline_svg
from lacstrategy.models import with_article
from lacstrategy.tag_colours import (
    RAG_COLOURS,
    RESPONSE_COLOURS,
    STATUS_COLOURS,
    UPDATE_COLOURS,
)
from outcomes.models import figure_text

register = template.Library()


def _tag(text, colour):
    """A GOV.UK tag: the words always say what the colour means. Written here rather than in a
    template: the plan page shows two an action, and a template render each cost more than
    the rest of the action's row."""
    if colour:
        return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, text)
    return format_html('<strong class="govuk-tag">{}</strong>', text)


@register.simple_tag
def status_tag(record):
    return _tag(record.get_status_display(), STATUS_COLOURS.get(record.status, "grey"))


@register.simple_tag
def rag_tag(action):
    text = (
        f"RAG: {action.get_rag_display().lower()}"
        if not action.rag
        else f"RAG: {action.get_rag_display()}"
    )
    return _tag(text, RAG_COLOURS.get(action.rag, "grey"))


@register.simple_tag
def update_tag(update):
    return _tag(update.get_status_display(), UPDATE_COLOURS[update.status])


@register.simple_tag
def response_tag(voice):
    """How far the council's response to a view has got, or that it has none yet."""
    response = getattr(voice, "response", None)
    if response is None:
        return _tag("No response yet", RESPONSE_COLOURS[""])
    return _tag(response.get_status_display(), RESPONSE_COLOURS[response.status])


@register.simple_tag
def rating_tag(rag, words):
    """A figure's red, amber or green rating against its target, in the given words."""
    return _tag(words, RAG_COLOURS.get(rag or "", "grey"))


@register.simple_tag
def sparkline(values, direction):
    """An indicator's figures as a small trend line drawn in the page (no request of its own),
    named by its direction of travel in words."""
    title = f"Trend: {(direction or 'one figure so far').lower()}"
    return format_html(
        '<span class="app-trend">{}</span>', mark_safe(sparkline_svg(title=title, values=values))
    )


@register.filter
def svg_image(svg):
    """An SVG chart as an <img> of its data, its title and description the alt text (a PDF
    Figure's). WeasyPrint draws it the same, but parses and styles it a third faster than
    inline, where each of its nodes is an HTML element."""
    root = ET.fromstring(svg)
    words = (root.findtext(f"{{{SVG_NS}}}{part}") for part in ("title", "desc"))
    return format_html(
        '<img alt="{}" src="data:image/svg+xml;base64,{}">',
        ". ".join(word for word in words if word),
        base64.b64encode(svg.encode()).decode(),
    )


@register.filter
def figure(value, unit=""):
    """A number as every page writes it (docs/content.md): 12 not 12.0, 66%, 'No figure yet'."""
    return figure_text(value, unit) if value is not None else "No figure yet"


@register.filter
def figure_words(record, unit=""):
    """A recorded figure (one with .value and .suppressed), or its absence, in words."""
    if record is None:
        return "No figure yet"
    if getattr(record, "suppressed", False):
        return "Withheld: small numbers"
    return figure(record.value, unit)


@register.filter
def plan_text(value):
    """Plan text as written: lines starting with '- ' become a bulleted list, others paragraphs.
    Each line escaped once and joined as text: the plan page writes hundreds (format_html a
    line cost more than the rest of an action's row)."""
    lines = [line.rstrip() for line in str(value or "").splitlines()]
    html, bullets = [], []

    def flush():
        if bullets:
            items = "".join(f"<li>{escape(bullet)}</li>" for bullet in bullets)
            html.append(f'<ul class="govuk-list govuk-list--bullet app-plan-list">{items}</ul>')
            bullets.clear()

    for line in lines:
        if line.lstrip().startswith("- "):
            bullets.append(line.lstrip()[2:].strip())
        elif line.strip():
            flush()
            html.append(f'<p class="govuk-body app-plan-para">{escape(line.strip())}</p>')
    flush()
    return mark_safe("".join(html))  # noqa: S308 (each line is escaped above)


@register.filter(name="with_article")
def with_article_filter(noun):
    """ "a theme", "an outcome" in templates."""
    return with_article(noun)


@register.filter
def iso_date(value):
    """An ISO date or date-time (as an issued report stores them) written as 12 September 2016."""
    parsed = _from_iso(value)
    return f"{parsed:%-d %B %Y}" if isinstance(parsed, datetime.datetime) else parsed


@register.filter
def iso_datetime(value):
    """An ISO date-time written in local time as 3 December 2026, 10:32."""
    parsed = _from_iso(value)
    if not isinstance(parsed, datetime.datetime):
        return parsed
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return f"{parsed:%-d %B %Y, %-H:%M}"


def _from_iso(value):
    """A date-time from ISO text; '' for nothing, and the text itself if it is not ISO."""
    if not value:
        return ""
    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return value


@register.filter
def with_errors(forms):
    """The forms of a page that have errors: one page title and error summary for them all."""
    return [form for form in forms if form.errors]
