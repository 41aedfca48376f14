"""The rules an artwork's life can break, as the errors that name them."""

from __future__ import annotations

from artmarket.domain.errors import Conflict, NotAllowed

#: How many images one artwork may have.
MAX_IMAGES = 12


class ArtworkNotAvailable(Conflict):
    default_message = "This artwork is not available."


class ArtworkStateConflict(Conflict):
    default_message = "The artwork's current status does not allow this."


class ArtworkLocked(NotAllowed):
    default_message = "A reserved or sold artwork cannot be edited."


class KycApprovalRequired(Conflict):
    default_message = "Publishing needs an approved KYC review."


class PublishRequirementsMissing(Conflict):
    default_message = "Publishing needs a title, a positive price and at least one image."


class ArtworkTakenDown(Conflict):
    default_message = "An administrator took this work down; it cannot be published again."


class TooManyImages(Conflict):
    default_message = f"An artwork has at most {MAX_IMAGES} images."
