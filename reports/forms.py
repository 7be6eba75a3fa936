from django import forms

from lacstrategy.forms import RecordForm, gds_date
from lacstrategy.models import ReportSection
from lacstrategy.selectors import council, terms
from reports.models import CommitteeReport


class ReportForm(RecordForm):
    """The officer's narrative. The optional sections on it are those the council's template
    has, less those this report leaves out; which it leaves out is ticked here too."""

    meeting_on = gds_date("Meeting date", help_text="For example, 12 9 2016")
    describes_on = gds_date(
        "The date, if the report describes the records as they stood on another date",
        required=False,
        help_text="For example, 30 9 2016. The report shows what had been recorded by the end "
        "of that day.",
    )
    sections_included = forms.MultipleChoiceField(
        label="Optional sections in this report",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick a section to leave it out of this report. A section ticked again "
        "can be written once the report is saved.",
    )
    submit_label = "Save the draft"

    class Meta(RecordForm.Meta):
        model = CommitteeReport
        fields = [
            "report_type",
            "action_plan",
            *(name for name in CommitteeReport.NARRATIVE_FIELDS if name != "sections_left_out"),
        ]
        widgets = {
            "contact_details": forms.Textarea(attrs={"rows": 2}),
            "title": forms.Textarea(attrs={"rows": 2}),
            "report_type": forms.RadioSelect,
            "describes": forms.RadioSelect,
            "background_papers": forms.Textarea(attrs={"rows": 3}),
            "wards_affected": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.instance
        self.fields["body"].help_text = f"For example, {terms().committee}."
        if not report.is_quarterly:
            information = self.fields["information"]
            information.help_text = "Shown before what is drawn from the records, if anything."
        # Only a report started on a strategy chooses its type, between these two.
        if report.pk or report.report_type not in STRATEGY_TYPES:
            del self.fields["report_type"]
        else:
            self.fields["report_type"].choices = [
                (value, label)
                for value, label in CommitteeReport.Type.choices
                if value in STRATEGY_TYPES
            ]
        if report.report_type == CommitteeReport.Type.STRATEGY_APPROVAL and report.strategy_id:
            plans = self.fields["action_plan"]
            plans.queryset = report.strategy.action_plans.order_by("financial_year_start")
            plans.required = False
            plans.label = f"Action plan whose {terms().priorities} it tables"
            plans.help_text = (
                f"For a strategy approval. Leave it empty to table the {terms().outcomes} alone."
            )
        else:
            del self.fields["action_plan"]
        if report.is_quarterly:
            self.fields["describes"].help_text = (
                "A report on a past quarter can show what was known at its meeting. Records "
                "entered or changed after the moment you choose are listed on the report's "
                "page, so that nothing is left out unknowingly."
            )
        else:  # the other types read the records as they are when drafted or issued
            del self.fields["describes"], self.fields["describes_on"]
        on = council().sections_on
        for section in ReportSection:
            if section not in on or section in report.sections_left_out:
                del self.fields[section.value]
        if on:
            self.fields["sections_included"].choices = [(s.value, s.label) for s in on]
            self.fields["sections_included"].initial = [
                s.value for s in on if s not in report.sections_left_out
            ]
        else:
            del self.fields["sections_included"]
        first_section = next((s for s in ReportSection if s.value in self.fields), None)
        if "sections_included" in self.fields:
            order = list(self.fields)
            order.remove("sections_included")
            ends = [n for n in order if n in ("seen_version", "change_reason")]
            if first_section:
                at = order.index(first_section.value)
            else:
                at = order.index(ends[0]) if ends else len(order)
            order.insert(at, "sections_included")
            self.order_fields(order)

    def clean(self):
        data = super().clean()
        if data.get("describes") != CommitteeReport.Describes.DATE:
            data["describes_on"] = None  # a date typed and then not chosen is not kept
        if data.get("report_type") == CommitteeReport.Type.OTHER:
            data["action_plan"] = None  # only a strategy approval tables a plan's priorities
        return data

    def service_kwargs(self):
        data = super().service_kwargs()
        if "sections_included" in data:
            included = data.pop("sections_included")
            data["sections_left_out"] = [
                s.value for s in council().sections_on if s.value not in included
            ]
        return data


STRATEGY_TYPES = (CommitteeReport.Type.STRATEGY_APPROVAL, CommitteeReport.Type.OTHER)
