"""Minting: certificates of authenticity as NFTs, minted exactly once per paid order."""
