"""Image processing with Pillow."""
