"""The plan page's action rows, written out in Python: a plan has hundreds of actions, and a
template's lookups, filters and tags for each row cost more than the rest of the page put
together (about half the time of the whole page at 500 actions). The rows are plain text
formatting with each value escaped once: Django's format_html and linebreaksbr cost several
times more, a row at a time."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from actionplans.models import short_text
from lacstrategy.templatetags.lac import plan_text, rag_tag, status_tag

register = template.Library()

ROW = (
    '<tr class="govuk-table__row" role="row">\n'
    '  <td class="govuk-table__cell" role="cell">\n'
    '    <a class="govuk-link" href="{url}">{name}</a>{details}{also}{comment}\n'
    "  </td>\n"
    '  <td class="govuk-table__cell" role="cell" data-label="This work will be undertaken by">'
    "{undertaken_by}</td>\n"
    '  <td class="govuk-table__cell" role="cell" data-label="Target date for completion">'
    "{target}</td>\n"
    '  <td class="govuk-table__cell" role="cell" data-label="Progress">{status}<br>{rag}{update}'
    "</td>\n"
    "</tr>\n"
)
DETAILS = (
    '\n    <details class="govuk-details app-plan-table__details app-print-open">'
    '<summary class="govuk-details__summary"><span class="govuk-details__summary-text">'
    'The whole action</span></summary><div class="govuk-details__text">{}</div></details>'
)
NOTE = '\n    <p class="govuk-body-s app-plan-table__note">{}: {}</p>'
UPDATE = (
    '<br><a class="govuk-link" href="{}">Update<span class="govuk-visually-hidden">{}</span></a>'
)
NOT_SET = '<span class="app-muted">Not set</span>'


def _lines(text):
    """Text as HTML with its line breaks kept (what the linebreaksbr filter gives)."""
    return escape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


@register.simple_tag(takes_context=True)
def action_rows(context, section):
    """A table row for each of the section's actions (see selectors.action_plan_sections for
    what each action brings): a link to it, its whole text where the link cuts it short, what
    else it serves, its comment, who does it, its target, its progress and an Update link."""
    filtered = context.get("filtered")
    outcome = f"{context['terms'].outcome} {section.outcome.reference}"
    # A tag's words and colour depend on the value alone: made once for each value.
    tags = {}

    def tag(draw, action, value):
        if (draw, value) not in tags:
            tags[draw, value] = draw(action)
        return tags[draw, value]

    rows = []
    for number, action in enumerate(section.actions, start=1):
        short, cut = short_text(action.description)
        update = ""
        if section.can_edit_actions:
            hidden = f": {short}" if filtered else f" action {number} of {outcome}"
            update = UPDATE.format(escape(action.edit_url), escape(hidden))
        name = f"Action {action.reference}: {short}" if action.reference else short
        rows.append(
            ROW.format(
                url=escape(action.url),
                name=escape(name),
                details=(DETAILS.format(plan_text(action.description)) if cut else ""),
                also=(
                    NOTE.format("Also serves", escape("; ".join(action.also_serves_names)))
                    if action.also_serves_names
                    else ""
                ),
                comment=NOTE.format("Comment", _lines(action.comment)) if action.comment else "",
                undertaken_by=_lines(action.undertaken_by),
                target=_lines(action.target_display) if action.target_display else NOT_SET,
                status=tag(status_tag, action, action.status),
                rag=tag(rag_tag, action, action.rag),
                update=update,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped or HTML)
