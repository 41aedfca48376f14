"""The in-memory database: a working fake for fast tests, held to the same contract as SQL.

Inside `async with`, repositories work on private copies of the committed state (made on
first read); `commit()` checks the same rules the database enforces and raises the same
errors — unique email, one live order per artwork (`ArtworkNotAvailable`), one winner
per optimistic version (`RefreshTokenRejected` for token families, `ConcurrentUpdate` for
artworks, orders, KYC cases, account tokens, email deliveries and shipments), one shipment
per order, unique outbox keys and email Message-IDs (`ConcurrentUpdate`), existing
references — and then publishes the changes at once. Leaving without a commit discards
the copies.

Counters and denormalised copies that SQL maintains with one relative UPDATE
(`favorites_count`, `artist_name`, `artist_suspended`) are applied as such at commit: they are not changes
of the artwork, so they neither conflict with nor bump its version.

`database` holds the state and a transaction's view of it, one module per feature holds its
repositories, `commit` the rules checked at commit, `unit_of_work` the registry of repositories
and `read_models` the read ports over the committed state.
"""

from artmarket.fakes.persistence.database import InMemoryDatabase
from artmarket.fakes.persistence.read_models import InMemoryGalleryQueries, InMemoryOperationsQueries
from artmarket.fakes.persistence.unit_of_work import InMemoryUnitOfWork

__all__ = ["InMemoryDatabase", "InMemoryGalleryQueries", "InMemoryOperationsQueries", "InMemoryUnitOfWork"]
