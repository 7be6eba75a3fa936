"""The one mapping from a status or rating to a GOV.UK tag colour (templates use lac.py's tags).

The words are always shown beside the colour, so colour is never the only signal.
"""

# An action's progress, and a plan's or strategy's state.
STATUS_COLOURS = {
    "not_started": "grey",
    "on_track": "blue",
    "at_risk": "yellow",
    "off_track": "red",
    "complete": "green",
    "withdrawn": "purple",
    "draft": "grey",
    "approved": "green",
    "archived": "grey",
}
RAG_COLOURS = {"red": "red", "amber": "orange", "green": "green", "": "grey"}
# An outcome owner's quarterly update.
UPDATE_COLOURS = {
    "draft": "light-blue",
    "submitted": "blue",
    "returned": "orange",
    "accepted": "green",
}
# The council's response to something children and young people said ("You said, we did").
RESPONSE_COLOURS = {
    "": "grey",  # no response yet
    "planned": "blue",
    "in_progress": "yellow",
    "done": "green",
    "not_possible": "purple",
}
