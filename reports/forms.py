from django import forms

from lacstrategy.forms import RecordForm, gds_date
from lacstrategy.selectors import terms
from reports.models import CommitteeReport


class ReportForm(RecordForm):
    meeting_on = gds_date("Meeting date", help_text="For example, 12 9 2016")
    submit_label = "Save the draft"

    class Meta(RecordForm.Meta):
        model = CommitteeReport
        fields = CommitteeReport.NARRATIVE_FIELDS
        widgets = {
            "contact_details": forms.Textarea(attrs={"rows": 2}),
            "title": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = f"For example, {terms().committee}."
