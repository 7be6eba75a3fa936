"""Sort values for the tables people sort (static/js/sortable-tables.js reads data-sort-value):
the order of the words, where their alphabetical order would be wrong."""

from django import template

from reviews.selectors import RAG_ORDER, UPDATE_STATES

register = template.Library()

RAG_POSITIONS = {rag: position for position, (rag, _) in enumerate(RAG_ORDER, start=1)}


@register.filter
def rag_order(rag):
    """Red first, then amber, green, and not rated last."""
    return RAG_POSITIONS.get(rag or "", len(RAG_POSITIONS))


@register.filter
def update_state_order(state):
    """An update's place in the quarter: not started, draft, submitted, returned, accepted."""
    return UPDATE_STATES.index(state) + 1 if state in UPDATE_STATES else len(UPDATE_STATES) + 1
