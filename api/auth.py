"""How a reporting tool signs in to the feed, and what it may read: the person's own rights,
asked of the one permissions module like every page."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from api.models import ApiToken
from api.services import key_hash
from lacstrategy import permissions as lac_permissions


class BearerToken(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`. A revoked token, or one whose person can no longer sign
    in, is refused."""

    keyword = "Bearer"

    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed("Give the token after 'Bearer', with no spaces")
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=key_hash(words[1].decode(errors="replace")))
            .first()
        )
        if token is None or not token.is_active or not token.user.is_active:
            raise exceptions.AuthenticationFailed("This token is not valid, or has been revoked")
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ReadsRecords(permissions.BasePermission):
    """The same rule as the pages: anyone with a role may read the records."""

    message = "Your account has no role, so it cannot read the records."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS and lac_permissions.allows(
            request.user, "lacstrategy.view_records"
        )


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The token, as the OpenAPI schema describes it."""

    target_class = BearerToken
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API token of a person."}
