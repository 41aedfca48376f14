"""REST controllers, one module per use-case family."""
