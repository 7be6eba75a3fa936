"""The backup's file format: Django's JSON, with times to the microsecond.

Django's JSON encoder keeps milliseconds only, so a restored history row would differ from the
original (and rows saved within a millisecond would tie). Loading needs nothing special: the
JSON deserialiser reads the longer times as they are.

The file is what `dumpdata --natural-foreign` writes, so `loaddata` still reads it; the writer
differs only in how it finds natural keys: once per model, not once per row.
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = FullPrecisionEncoder
        self._natural_keys = {}

    def _natural_key(self, model, pk):
        """A record's natural key (a person's username), from every key of its model read in
        one query; Django's serialiser reads the related record once for every row. A history
        row may name a record that is gone (its links have no constraint): it keeps the id."""
        if model not in self._natural_keys:
            rows = model._base_manager.select_related()
            self._natural_keys[model] = {row.pk: row.natural_key() for row in rows}
        return self._natural_keys[model].get(pk, pk)

    def _uses_natural_key(self, field):
        return self.use_natural_foreign_keys and hasattr(field.remote_field.model, "natural_key")

    def handle_fk_field(self, obj, field):
        pk = getattr(obj, field.attname)
        if pk is None or not self._uses_natural_key(field):
            super().handle_fk_field(obj, field)
        else:
            self._current[field.name] = self._natural_key(field.remote_field.model, pk)

    def handle_m2m_field(self, obj, field):
        """From the links prefetched with the rows, as the backup's writer does."""
        related = getattr(obj, "_prefetched_objects_cache", {}).get(field.name)
        if related is None or not field.remote_field.through._meta.auto_created:
            super().handle_m2m_field(obj, field)
        elif self._uses_natural_key(field):
            model = field.remote_field.model
            self._current[field.name] = [self._natural_key(model, row.pk) for row in related]
        else:
            self._current[field.name] = [row.pk for row in related]
