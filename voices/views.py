from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from lacstrategy import permissions
from lacstrategy.record_views import RecordDeleteView, RecordDetailView, RecordFormView
from outcomes.models import Strategy
from reviews.models import ReviewPeriod
from voices import selectors, services
from voices.forms import VoiceFilterForm, VoiceForm, VoiceResponseForm
from voices.models import Voice, VoiceResponse

TITLE = "You said, we did"
PER_PAGE = 25


def _crumbs(strategy):
    return [
        (str(strategy), strategy.get_absolute_url()),
        (TITLE, reverse("voices:you_said_we_did", args=[strategy.pk])),
    ]


def latest_you_said_we_did(request):
    """The service navigation's link: the latest strategy's page, at an address that stays the
    same when the next strategy starts."""
    permissions.require(request.user, "lacstrategy.view_records")
    strategy = Strategy.objects.exclude(status=Strategy.Status.ARCHIVED).first()
    if strategy is None:
        return render(request, "voices/no_strategy.html", {"title": TITLE})
    return you_said_we_did(request, pk=strategy.pk)


def you_said_we_did(request, pk):
    """What children and young people said, newest first, and what the council did about it."""
    strategy = get_object_or_404(Strategy, pk=pk)
    permissions.require(request.user, "lacstrategy.view_records", strategy)
    form = VoiceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.voices_of(strategy_id=strategy.pk, **filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "object": strategy,
        "strategy": strategy,
        "form": form,
        "filtered": any(filters.values()),
        "page_obj": page,
        "voices": page.object_list,
        "title": TITLE,
        "breadcrumbs": [(str(strategy), strategy.get_absolute_url())],
    }
    return render(request, "voices/you_said_we_did.html", context)


class VoiceDetail(RecordDetailView):
    template_name = "voices/voice_detail.html"

    def load(self):
        return selectors.voice_detail(pk=self.kwargs["pk"])

    def breadcrumbs(self):
        return _crumbs(self.object.strategy)


class VoiceEdit(RecordFormView):
    permission = "voices.record_views"
    queryset = Voice.objects.select_related("strategy", "period__action_plan")
    form_class = VoiceForm
    title = "Change the view"

    def breadcrumbs(self):
        return _crumbs(self.object.strategy)

    def save(self, form):
        return services.voice_save(
            voice=form.instance, actor=self.request.user, **form.service_kwargs()
        )


class VoiceCreate(VoiceEdit):
    """Record a view for a strategy; from a quarter's dashboard, for that quarter's review."""

    queryset = Strategy.objects.all()
    title = "Record what children and young people said"
    success_message = "The view has been recorded"

    def new_instance(self):
        voice = Voice(strategy=self.object, recorded_by=self.request.user)
        asked = self.request.GET.get("period", "")
        period = ReviewPeriod.objects.filter(
            pk=int(asked) if asked.isascii() and asked.isdigit() and len(asked) < 10 else None,
            action_plan__strategy=self.object,
        ).first()
        if period is not None:
            voice.period = period
            voice.source = Voice.Source.CHILDREN_COUNCIL
        return voice

    def cancel_url(self):
        return reverse("voices:you_said_we_did", args=[self.object.pk])

    def breadcrumbs(self):
        return _crumbs(self.object)


class VoiceDelete(RecordDeleteView):
    permission = "voices.record_views"
    queryset = Voice.objects.select_related("strategy", "period__action_plan")

    def breadcrumbs(self):
        return _crumbs(self.object.strategy)

    def after_delete_url(self):
        return reverse("voices:you_said_we_did", args=[self.object.strategy_id])

    def delete(self, reason):
        services.voice_delete(voice=self.object, actor=self.request.user, reason=reason)


class ResponseEdit(RecordFormView):
    """The council's response to a view: made the first time, changed as the work goes on."""

    permission = "voices.respond"
    queryset = Voice.objects.select_related("strategy", "response")
    form_class = VoiceResponseForm
    title = "What we did"
    success_message = "The response has been saved"

    def form_kwargs(self):
        response = getattr(self.object, "response", None)
        return {"instance": response or VoiceResponse(voice=self.object)}

    @property
    def caption(self):
        return str(self.object)

    def breadcrumbs(self):
        return _crumbs(self.object.strategy)

    def save(self, form):
        return services.response_save(
            voice=self.object, actor=self.request.user, **form.service_kwargs()
        )
