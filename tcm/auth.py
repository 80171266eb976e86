"""How each request's user is loaded: with its role, in one statement written once.

Every page asks `request.user.role` (the role gates, the scoping of persons):
loaded the default way, that is the user, then its groups. The same question
as an annotated ORM query (a subquery with a CASE) cost more CPU to compile,
on every request, than the second query it saved; the statement here is
plain SQL, read by RawQuerySet.
"""

from django.contrib.auth.backends import ModelBackend

from tcm.models import User
from tcm.roles import Role

_ROLES = ", ".join(["%s"] * len(Role))
_RANKS = " ".join(f"WHEN %s THEN {rank}" for rank in range(len(Role)))
# The first role of the user's groups in Role's order, as User.role decides it.
USER_WITH_ROLE = f"""
    SELECT tcm_user.*, (
        SELECT auth_group.name
        FROM tcm_user_groups JOIN auth_group ON auth_group.id = tcm_user_groups.group_id
        WHERE tcm_user_groups.user_id = tcm_user.id AND auth_group.name IN ({_ROLES})
        ORDER BY CASE auth_group.name {_RANKS} END
        LIMIT 1
    ) AS role_name
    FROM tcm_user
    WHERE tcm_user.id = %s
"""  # noqa: S608  # nosec B608: placeholders only


class UserWithRoleBackend(ModelBackend):
    """Django's ModelBackend (passwords, permissions), reading the session's user with its role.

    Sessions name the backend that logged them in: switching from ModelBackend to
    this one logged everybody out once.
    """

    def get_user(self, user_id):
        params = [*Role.values, *Role.values, user_id]
        user = next(iter(User.objects.raw(USER_WITH_ROLE, params)), None)
        return user if user is not None and self.user_can_authenticate(user) else None
