"""Delivery of physical works: saved addresses, shipments from the artist to the buyer's door."""
