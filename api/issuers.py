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
from domain import credentials as ob
from gamification.models import BadgeDefinition

NOT_FOUND = JSONResponse({"error": "No such issuer."}, status_code=404)
# Verifiers may cache what they read, but not past a revocation for long.
SHORT_CACHE = {"Cache-Control": "public, max-age=300"}


def urls(request: Request) -> Urls:
    """The stable base the credentials carry: PUBLIC_URL when set, else this request's."""
    configured = request.app.state.settings.public_url
    return Urls((configured or str(request.base_url)).rstrip("/"))


async def issuer(request: Request) -> Response:
    found = await service.profile(request.path_params["org"], urls(request))
    return NOT_FOUND if found is None else JSONResponse(found, headers=SHORT_CACHE)


async def keys(request: Request) -> Response:
    organisation_id = request.path_params["org"]
    if await service.profile(organisation_id, urls(request)) is None:
        return NOT_FOUND
    return JSONResponse(
        await service.key_set(organisation_id),
        media_type="application/jwk-set+json",
        headers=SHORT_CACHE,
    )


async def status_list(request: Request) -> Response:
    if await service.profile(request.path_params["org"], urls(request)) is None:
        return NOT_FOUND
    settings = request.app.state.settings
    token = await service.status_list_token(
        request.path_params["org"], urls(request), settings.jwt_secret, clock.now()
    )
    if token is None:
        return NOT_FOUND
    return Response(token, media_type="application/vc+jwt", headers=SHORT_CACHE)


async def _badge(request: Request) -> BadgeDefinition | None:
    if await service.profile(request.path_params["org"], urls(request)) is None:
        return None
    return await BadgeDefinition.get_or_none(
        organisation_id=request.path_params["org"],
        code=request.path_params["code"],
        version=request.path_params["version"],
    )


async def achievement(request: Request) -> Response:
    badge = await _badge(request)
    if badge is None:
        return NOT_FOUND
    found = urls(request)
    organisation = await badge.organisation
    document = ob.achievement(
        service.achievement_facts(badge, found),
        ob.Issuer(found.issuer(organisation.id), organisation.name),
    )
    return JSONResponse(document, headers=SHORT_CACHE)


async def image(request: Request) -> Response:
    """A plain round badge with the badge's name: every achievement has an image to show."""
    badge = await _badge(request)
    if badge is None:
        return NOT_FOUND
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
