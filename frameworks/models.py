"""The national frameworks a council is judged against, as versioned reference data: the
corporate parenting principles in law, the Children's Social Care National Framework and
Ofsted's inspection judgements. Each version keeps its items; outcomes, indicators and actions
are tagged with the items of the version they were tagged against, so a later version never
loses an earlier mapping. (The council's own pledge is its strategy's commitments.)"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from lacstrategy.models import LongTextField, Record


class Framework(Record):
    class Kind(models.TextChoices):
        DUTIES = "duties", "Duties in law"
        NATIONAL = "national", "National framework"
        INSPECTION = "inspection", "Inspection"

    code = models.SlugField(max_length=60, help_text="The same in every version of the framework.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    edition = models.CharField(
        "version",
        max_length=80,
        help_text="As its publisher names it, for example 'December 2023'.",
    )
    published_on = models.DateField("published")
    source = models.CharField(max_length=300, help_text="Where it is set out.")
    source_url = models.URLField("link to the source", blank=True)
    note = LongTextField(blank=True)
    is_current = models.BooleanField(
        "in use",
        default=True,
        help_text="The version tags and the coverage page offer. Earlier ones keep their tags.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()
    unique_error_field = "edition"

    class Meta:
        ordering = ["order", "code", "-published_on"]
        constraints = [
            models.UniqueConstraint(fields=["code", "edition"], name="one_framework_version"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(is_current=True),
                name="one_framework_version_in_use",
                violation_error_message="Another version of this framework is in use",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.edition})"

    def unique_error_text(self):
        return "This framework already has a version with that name"

    def get_absolute_url(self):
        return reverse("frameworks:framework_detail", args=[self.pk])


class FrameworkItem(Record):
    """A principle, an outcome or enabler, or an inspection judgement of one framework version."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(
        max_length=60, help_text="The same in every version that keeps this item."
    )
    label = models.CharField(
        max_length=40, help_text="As the framework names its kind of item: '(b)', 'Outcome'."
    )
    part = models.CharField(
        max_length=60, blank=True, help_text="Where the framework has parts: 'Enablers'."
    )
    title = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()
    unique_error_field = "code"

    class Meta:
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="one_item_a_code")
        ]

    def __str__(self):
        return f"{self.label} {self.title}" if self.label.startswith("(") else self.title

    def unique_error_text(self):
        return "This framework version already has an item with that code"

    def get_absolute_url(self):
        return f"{self.framework.get_absolute_url()}#item-{self.code}"


class FrameworkUpload(Record):
    """A file describing a framework's later version, waiting for an administrator to confirm
    its preview. Nothing from it is saved until they do; it is deleted once added."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200)
    content = models.TextField("the uploaded file")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.file_name} for {self.framework.name}"

    def get_absolute_url(self):
        return reverse("frameworks:version_preview", args=[self.pk])
