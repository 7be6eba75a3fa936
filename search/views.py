from django.shortcuts import render
from django.utils.text import capfirst, get_text_list

from lacstrategy import permissions
from search import selectors
from search.forms import SearchForm


def search_results(request):
    permissions.require(request.user, "lacstrategy.view_records")
    form = SearchForm(request.GET, auto_id="search-%s")
    kinds = selectors.searchable(user=request.user)
    kind = request.GET.get("kind")
    kind = kind if kind in kinds else None
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = selectors.search(
            user=request.user,
            text=form.cleaned_data["q"],
            kind=kind,
            page=request.GET.get("page", 1),
        )
    context = {
        "forms": [form],
        "form": form,
        "results": results,
        "kind": kind,
        "kinds_searched": capfirst(get_text_list(list(kinds.values()), "and")),
    }
    if results:
        count = results.total
        heading = f"{count} result{'' if count == 1 else 's'} for ‘{results.text}’"
        if kind and results.groups:
            heading += f" in {results.groups[0].name}"
            context["page_obj"] = results.groups[0].page_obj
        context["heading"] = heading
    return render(request, "search/results.html", context)
