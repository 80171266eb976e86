"""`POST /api/v1/auth/token/`: a token for username and password, behind the same lockout.

DRF's own view authenticates with its wrapped request, so django-axes (which
counts failures and refuses locked-out usernames) flags the wrapper, not the
Django request its middleware looks at. This view reads the flag itself and
answers 429 with the lockout message instead of a generic 400.
"""

from axes.helpers import get_lockout_message
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled, ValidationError


class ObtainTokenView(ObtainAuthToken):
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if getattr(request, "axes_locked_out", False):
                raise Throttled(detail=get_lockout_message()) from None
            raise
