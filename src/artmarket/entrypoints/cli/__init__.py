"""The `artmarket` command line: operators run the same use cases as the API."""
