"""What a verifier of Pacesetter's Open Badges credentials reads, with no account: the issuer's
profile, its keys (retired ones too), its status list, and each achievement with its image."""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core import clock
from core.credentials import service
from core.credentials.service import Urls
from core.orgs.models import Organisation
from gamification.models import BadgeDefinition

NOT_FOUND = JSONResponse({"error": "No such issuer."}, status_code=404)
# Verifiers may cache what they read, but not past a revocation for long.
SHORT_CACHE = {"Cache-Control": "public, max-age=300"}


def urls(request: Request) -> Urls:
    """The stable base the credentials carry: PUBLIC_URL when set, else this request's."""
    configured = request.app.state.settings.public_url
    return Urls((configured or str(request.base_url)).rstrip("/"))


async def _publisher(request: Request) -> Organisation | None:
    return await service.publisher(request.path_params["org"])


async def issuer(request: Request) -> Response:
    organisation = await _publisher(request)
    if organisation is None:
        return NOT_FOUND
    return JSONResponse(service.profile(organisation, urls(request)), headers=SHORT_CACHE)


async def keys(request: Request) -> Response:
    organisation = await _publisher(request)
    if organisation is None:
        return NOT_FOUND
    return JSONResponse(
        await service.key_set(organisation.id),
        media_type="application/jwk-set+json",
        headers=SHORT_CACHE,
    )


async def status_list(request: Request) -> Response:
    organisation = await _publisher(request)
    if organisation is None:
        return NOT_FOUND
    token = await service.status_list_token(
        organisation, urls(request), request.app.state.settings.jwt_secret, clock.now()
    )
    return Response(token, media_type="application/vc+jwt", headers=SHORT_CACHE)


async def _badge(request: Request) -> tuple[Organisation, BadgeDefinition] | None:
    organisation = await _publisher(request)
    if organisation is None:
        return None
    badge = await BadgeDefinition.get_or_none(
        organisation_id=organisation.id,
        code=request.path_params["code"],
        version=request.path_params["version"],
    )
    return None if badge is None else (organisation, badge)


async def achievement(request: Request) -> Response:
    found = await _badge(request)
    if found is None:
        return NOT_FOUND
    document = service.achievement(*found, urls(request))
    return JSONResponse(document, headers=SHORT_CACHE)


async def image(request: Request) -> Response:
    """A plain round badge with the badge's name: every achievement has an image to show."""
    found = await _badge(request)
    if found is None:
        return NOT_FOUND
    _, badge = found
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
        '<circle cx="128" cy="128" r="120" fill="#f59e0b"/>'
        '<circle cx="128" cy="128" r="100" fill="#1f2937"/>'
        '<text x="128" y="136" text-anchor="middle" font-family="sans-serif" font-size="20" '
        f'fill="#fff">{escape(badge.name[:24])}</text></svg>'
    )
    return Response(svg, media_type="image/svg+xml", headers=SHORT_CACHE)


ROUTES = [
    Route("/issuers/{org:int}", issuer),
    Route("/issuers/{org:int}/jwks.json", keys),
    Route("/issuers/{org:int}/status/1", status_list),
    Route("/issuers/{org:int}/achievements/{code}/{version:int}", achievement),
    Route("/issuers/{org:int}/achievements/{code}/{version:int}/image.svg", image),
]
