# The Children in Care Council's comments are now views (voices/0002 moved them, with their
# history).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0005_update_waiting_index'),
        ('voices', '0002_children_council_comments'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='historicalcouncilcomment',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalcouncilcomment',
            name='period',
        ),
        migrations.RemoveField(
            model_name='historicalcouncilcomment',
            name='recorded_by',
        ),
        migrations.DeleteModel(
            name='CouncilComment',
        ),
        migrations.DeleteModel(
            name='HistoricalCouncilComment',
        ),
    ]
