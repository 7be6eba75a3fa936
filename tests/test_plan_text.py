"""Plan text as the plan page and documents show it: paragraphs and bullets, each line escaped."""

from hypothesis import given
from hypothesis import strategies as st

from actionplans.models import Action, short_text
from lacstrategy.templatetags.lac import plan_text


def test_lines_become_paragraphs_and_dashes_bullets_each_escaped_once():
    text = "Work with <schools> & colleges\r\n- a 'first' step\n  - \"second\"\n\nThen &amp; after"
    assert plan_text(text) == (
        '<p class="govuk-body app-plan-para">Work with &lt;schools&gt; &amp; colleges</p>'
        '<ul class="govuk-list govuk-list--bullet app-plan-list">'
        "<li>a &#x27;first&#x27; step</li><li>&quot;second&quot;</li></ul>"
        '<p class="govuk-body app-plan-para">Then &amp;amp; after</p>'
    )


def test_nothing_gives_nothing():
    assert plan_text(None) == "" and plan_text("  \n ") == ""


def _short_and_cut_as_before(description):
    """The two properties as they were written before short_text, for comparison."""
    first_line = description.strip().splitlines()[0] if description.strip() else ""
    first_line = first_line.lstrip("- ").strip()
    short = (
        first_line
        if len(first_line) <= 90
        else first_line[:88].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    )
    return short, short != description.strip().lstrip("- ").strip()


@given(st.text(alphabet=st.sampled_from("ab -,;:\n\r\t\u2028…x"), max_size=200))
def test_short_text_says_what_the_action_s_two_properties_said(description):
    assert short_text(description) == _short_and_cut_as_before(description)
    action = Action(description=description)
    assert (action.short_description, action.description_is_cut) == short_text(description)
