"""Artist profiles: an artist's own, and the public directory of artists."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from artmarket.application.catalog.ports import ArtistSummary, GalleryQueries
from artmarket.application.ports import Clock
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artist_slugs import numbered_slug, slug_base
from artmarket.domain.artists import ArtistProfile
from artmarket.domain.errors import NotFound


class SaveArtistProfile:
    """Create or update the caller's artist profile; their works show the new name.

    The first save gives the profile its slug (the name's, numbered when another artist has
    it: "ada-obi-2"); later saves keep it, so shared links to the page keep working.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(
        self, principal: Principal, *, display_name: str, bio: str, country: str, website: str | None
    ) -> ArtistProfile:
        now = self._clock.now()
        async with self._uow as uow:
            profile = await uow.artist_profiles.get(principal.id)
            if profile is None:
                profile = ArtistProfile.create(
                    user_id=principal.id,
                    display_name=display_name,
                    bio=bio,
                    country=country,
                    website=website,
                    now=now,
                    slug=await free_slug(uow, display_name),
                )
                uow.artist_profiles.add(profile)
            else:
                profile.update(display_name=display_name, bio=bio, country=country, website=website, now=now)
            await uow.artworks.rename_artist(principal.id, profile.display_name)
            await uow.commit()
        return profile


async def free_slug(uow: UnitOfWork, display_name: str) -> str:
    """The first of the name's slugs no profile has (the unique constraint settles a race)."""
    base = slug_base(display_name)
    number = 1
    while await uow.artist_profiles.slug_taken(numbered_slug(base, number)):
        number += 1
    return numbered_slug(base, number)


class GetMyArtistProfile:
    """The caller's own artist profile (None before they save one), to edit it."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal) -> ArtistProfile | None:
        async with self._uow as uow:
            return await uow.artist_profiles.get(principal.id)


class ListArtists:
    """Public artist directory: artists with at least one public work."""

    def __init__(self, queries: GalleryQueries) -> None:
        self._queries = queries

    async def __call__(self, *, limit: int, after: UUID | None) -> Sequence[ArtistSummary]:
        return await self._queries.artists(limit=limit, after=after)


class GetArtist:
    """One artist's public page, by their id or their slug."""

    def __init__(self, queries: GalleryQueries) -> None:
        self._queries = queries

    async def __call__(self, artist: UUID | str) -> ArtistSummary:
        if isinstance(artist, UUID):
            summary = await self._queries.artist(artist)
        else:
            summary = await self._queries.artist_by_slug(artist)
        if summary is None:
            raise NotFound("No such artist.")
        return summary
