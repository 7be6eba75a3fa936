"""The backup's file format: Django's JSON, with times to the microsecond.

Django's JSON encoder keeps milliseconds only, so a restored history row would differ from the
original (and rows saved within a millisecond would tie). Loading needs nothing special: the
JSON deserialiser reads the longer times as they are.
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
