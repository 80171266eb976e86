"""API error handling: model and service validation errors become 400s.

Services raise django.core.exceptions.ValidationError (from full_clean() or
their own checks). DRF would let those through as 500s; here they become a
400 naming the field, as SPEC.md section 6 requires, and integrity errors
that slip past validation become a 409 instead of a crash.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = ValidationError(detail=detail)
    if isinstance(exc, IntegrityError):
        return Response(
            {"non_field_errors": ["This change conflicts with existing records."]},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
