"""The catalog: artist profiles, KYC review, artworks, images, favourites and the gallery."""
