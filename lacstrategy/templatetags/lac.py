import datetime

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from lacstrategy.models import with_article
from lacstrategy.tag_colours import RAG_COLOURS, STATUS_COLOURS, UPDATE_COLOURS
from outcomes.models import figure_text

register = template.Library()


@register.inclusion_tag("components/tag.html")
def status_tag(record):
    return {
        "text": record.get_status_display(),
        "colour": STATUS_COLOURS.get(record.status, "grey"),
    }


@register.inclusion_tag("components/tag.html")
def rag_tag(action):
    text = (
        f"RAG: {action.get_rag_display().lower()}"
        if not action.rag
        else f"RAG: {action.get_rag_display()}"
    )
    return {"text": text, "colour": RAG_COLOURS.get(action.rag, "grey")}


@register.inclusion_tag("components/tag.html")
def update_tag(update):
    return {"text": update.get_status_display(), "colour": UPDATE_COLOURS[update.status]}


@register.inclusion_tag("components/tag.html")
def rating_tag(rag, words):
    """A figure's red, amber or green rating against its target, in the given words."""
    return {"text": words, "colour": RAG_COLOURS.get(rag or "", "grey")}


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
    """Plan text as written: lines starting with '- ' become a bulleted list, others paragraphs."""
    lines = [line.rstrip() for line in str(value or "").splitlines()]
    html, bullets = [], []

    def flush():
        if bullets:
            html.append(
                format_html(
                    '<ul class="govuk-list govuk-list--bullet app-plan-list">{}</ul>',
                    format_html_join("", "<li>{}</li>", ((b,) for b in bullets)),
                )
            )
            bullets.clear()

    for line in lines:
        if line.lstrip().startswith("- "):
            bullets.append(line.lstrip()[2:].strip())
        elif line.strip():
            flush()
            html.append(format_html('<p class="govuk-body app-plan-para">{}</p>', line.strip()))
    flush()
    return mark_safe("".join(conditional_escape(part) for part in html))


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
