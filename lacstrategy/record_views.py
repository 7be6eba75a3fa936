"""The three shapes every record screen takes: a detail page, a form, a delete confirmation.

Each app's views subclass these in a few lines: which record, which permission, which service.
Every one asks lacstrategy.permissions before it shows or saves anything.
"""

import functools

from django.contrib import messages
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import router
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from lacstrategy import history, permissions
from lacstrategy.forms import ReasonForm
from lacstrategy.selectors import in_council_words
from lacstrategy.services import EditConflict


class RecordView(View):
    permission = "lacstrategy.view_records"
    template_name = ""
    queryset = None
    pk_kwarg = "pk"

    def load(self):
        """The record (or, for a create form, the parent record) named in the URL."""
        if self.queryset is None:
            return None
        return self.queryset.get(pk=self.kwargs[self.pk_kwarg])

    def breadcrumbs(self):
        return []

    def dispatch(self, request, *args, **kwargs):
        try:
            self.object = self.load()
        except ObjectDoesNotExist as error:
            raise Http404("No such record") from error
        permissions.require(request.user, self.permission, self.object)
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra):
        kind = in_council_words(self.object._meta.verbose_name) if self.object is not None else ""
        return {"object": self.object, "kind": kind, "breadcrumbs": self.breadcrumbs(), **extra}


class RecordDetailView(RecordView):
    def extra_context(self):
        return {}

    def status(self):
        return 200

    def get(self, request, *args, **kwargs):
        context = self.context(
            # Read when the template shows it: a page may keep that part cached (page_cache).
            history=functools.cache(lambda: history.record_history(self.object)),
            history_kind=history.kind_of(self.object),
            **self.extra_context(),
        )
        return render(request, self.template_name, context, status=self.status())


class RecordFormView(RecordView):
    """Create or edit a record through its service function."""

    template_name = "layouts/form.html"
    form_class = None
    title = ""
    caption = ""
    success_message = ""

    def new_instance(self):
        """For a create form, the unsaved record (with its parent set); None when editing."""
        return None

    def form_kwargs(self):
        return {"instance": self.new_instance() or self.object}

    def get_form(self, data=None):
        return self.form_class(data, **self.form_kwargs())

    def save(self, form):
        raise NotImplementedError

    def cancel_url(self):
        return self.object.get_absolute_url()

    def render_form(self, form, status=200):
        context = self.context(
            form=form, title=self.title, caption=self.caption, cancel_url=self.cancel_url()
        )
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def conflict(self, error):
        """Someone saved first: show what they changed, and this person's input to re-apply."""
        current = type(error.record)._default_manager.get(pk=error.record.pk)
        if isinstance(self.object, type(current)) and self.object.pk == current.pk:
            self.object = current  # the page's record is the one edited (not always: a profile)
        data = self.request.POST.copy()
        data["seen_version"] = current.version  # saving again now applies this person's input
        context = self.context(
            form=self.get_form(data),
            title=self.title,
            cancel_url=self.cancel_url(),
            their_changes=history.record_history(current, newer_than_version=error.seen_version),
        )
        return render(self.request, "layouts/conflict.html", context, status=409)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                record = self.save(form)
            except EditConflict as error:
                return self.conflict(error)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, self.success_message or f"{self.title}: saved")
                return redirect(record)
        return self.render_form(form, status=400)


class RecordDeleteView(RecordView):
    """Asks for confirmation, listing what will go with the record, then deletes it."""

    template_name = "layouts/delete.html"

    def delete(self, reason):
        raise NotImplementedError

    def after_delete_url(self):
        raise NotImplementedError

    def collect(self):
        """What would be deleted with the record, what a restore could not bring back, and what
        stops the deletion (PROTECT)."""
        collector = NestedObjects(using=router.db_for_write(type(self.object)))
        collector.collect([self.object])
        counts, lost = {}, []
        for model, instances in collector.data.items():
            if model._meta.auto_created:
                # A many-to-many link to the record from another kind (an action delivering a
                # commitment): that record's history keeps it, but a restore does not link it
                # again. Links the record itself holds come back with it.
                owner = model._meta.auto_created
                to_me = next(
                    (f for f in model._meta.fields if f.related_model is type(self.object)), None
                )
                links = [
                    link
                    for link in instances
                    if to_me and getattr(link, to_me.attname) == self.object.pk
                ]
                if links and owner is not type(self.object):
                    meta = owner._meta
                    noun = meta.verbose_name if len(links) == 1 else meta.verbose_name_plural
                    lost.append(f"the link from {len(links)} {in_council_words(noun)}")
                continue
            meta = model._meta
            name = in_council_words(
                meta.verbose_name if len(instances) == 1 else meta.verbose_name_plural
            )
            missing = history.fields_not_in_history(model) if hasattr(model, "history") else []
            if missing:
                what = ", ".join(str(f.verbose_name) for f in missing)
                lost.append(f"{len(instances)} {name}: {what}")
            if model is not type(self.object):
                counts[name] = counts.get(name, 0) + len(instances)
        blocked_by = [
            (in_council_words(obj._meta.verbose_name), obj) for obj in collector.protected
        ]
        return {
            "goes_with_it": sorted(counts.items()),
            "cannot_come_back": sorted(lost),
            "blocked_by": sorted(blocked_by, key=str),
        }

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.context(**self.collect()))

    def post(self, request, *args, **kwargs):
        collected = self.collect()
        form = ReasonForm(request.POST)
        if collected["blocked_by"] or not form.is_valid():
            context = self.context(form=form, **collected)
            status = 409 if collected["blocked_by"] else 400
            return render(request, self.template_name, context, status=status)
        reason = form.cleaned_data["reason"]
        label = str(self.object)
        target = self.after_delete_url()
        self.delete(reason or f"Deleted: {label}")
        messages.success(request, f"Deleted: {label}")
        return redirect(target)
