from django import forms

MAX_LENGTH = 200


class SearchForm(forms.Form):
    # A GET form: the words stay in the address, so a search can be bookmarked or shared.
    q = forms.CharField(
        label="Search the records",
        max_length=MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": f"Search words must be {MAX_LENGTH} characters or fewer",
            "null_characters_not_allowed": "Search words cannot contain a null character",
        },
    )
