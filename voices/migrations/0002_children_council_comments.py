"""The Children in Care Council's comments on a quarter become views heard for that quarter's
review, each keeping its id and its whole history (who recorded it, when and why)."""

from django.core.management.color import no_style
from django.db import migrations


def comments_to_views(apps, schema_editor):
    CouncilComment = apps.get_model("reviews", "CouncilComment")
    HistoricalCouncilComment = apps.get_model("reviews", "HistoricalCouncilComment")
    ReviewPeriod = apps.get_model("reviews", "ReviewPeriod")
    Voice = apps.get_model("voices", "Voice")
    HistoricalVoice = apps.get_model("voices", "HistoricalVoice")
    strategy_of = dict(ReviewPeriod.objects.values_list("pk", "action_plan__strategy_id"))
    Voice.objects.bulk_create(
        Voice(
            id=comment.id,
            version=comment.version,
            strategy_id=strategy_of[comment.period_id],
            period_id=comment.period_id,
            said=comment.comments,
            source="cicc",
            heard_on=comment.met_on,
            recorded_by_id=comment.recorded_by_id,
        )
        for comment in CouncilComment.objects.all()
    )
    HistoricalVoice.objects.bulk_create(
        HistoricalVoice(
            id=row.id,
            version=row.version,
            strategy_id=strategy_of.get(row.period_id),
            period_id=row.period_id,
            said=row.comments,
            source="cicc",
            heard_on=row.met_on,
            recorded_by_id=row.recorded_by_id,
            history_date=row.history_date,
            history_change_reason=row.history_change_reason,
            history_type=row.history_type,
            history_user_id=row.history_user_id,
        )
        for row in HistoricalCouncilComment.objects.order_by("history_id")
    )
    # Ids were kept: move the table's sequence past them (PostgreSQL).
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Voice]):
            cursor.execute(sql)


def views_to_comments(apps, schema_editor):
    CouncilComment = apps.get_model("reviews", "CouncilComment")
    Voice = apps.get_model("voices", "Voice")
    CouncilComment.objects.bulk_create(
        CouncilComment(
            id=voice.id,
            version=voice.version,
            period_id=voice.period_id,
            comments=voice.said,
            met_on=voice.heard_on,
            recorded_by_id=voice.recorded_by_id,
        )
        for voice in Voice.objects.filter(source="cicc", period__isnull=False)
    )


class Migration(migrations.Migration):
    dependencies = [("voices", "0001_initial")]

    operations = [migrations.RunPython(comments_to_views, views_to_comments)]
