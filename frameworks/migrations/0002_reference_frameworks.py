"""The frameworks shipped with the product (frameworks/reference), each with its history row,
written by the system: the frameworks a council is judged against are the same for every one."""

import datetime
import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

FILES = [
    "corporate-parenting-principles-2017.json",
    "national-framework-2023-12.json",
    "ilacs-2023-01.json",
]  # frameworks.migrations.SHIPPED_FILES lists these and any later migration's
REFERENCE = Path(__file__).resolve().parent.parent / "reference"


def load(apps, schema_editor):
    Framework = apps.get_model("frameworks", "Framework")
    Item = apps.get_model("frameworks", "FrameworkItem")
    history = {
        Framework: apps.get_model("frameworks", "HistoricalFramework"),
        Item: apps.get_model("frameworks", "HistoricalFrameworkItem"),
    }
    now = timezone.now()

    def create(model, reason, **fields):
        record = model.objects.create(**fields)
        history[model].objects.create(
            id=record.pk,
            history_date=now,
            history_type="+",
            history_change_reason=reason,
            **{f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields if f.attname != "id"},
        )
        return record

    for name in FILES:
        data = json.loads((REFERENCE / name).read_text(encoding="utf-8"))
        reason = f"Shipped with the product, from {data['source']}"
        items = data.pop("items")
        data["published_on"] = datetime.date.fromisoformat(data["published_on"])
        if Framework.objects.filter(code=data["code"], edition=data["edition"]).exists():
            continue
        framework = create(Framework, reason, **data)
        for order, item in enumerate(items, start=1):
            create(Item, reason, framework=framework, order=order, **item)


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
