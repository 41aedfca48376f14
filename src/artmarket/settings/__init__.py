"""Settings: one typed object read from ARTMARKET_* variables, a `.env` file and `_FILE` secrets.

`Settings` (the fields) is in `model`, the rules they must satisfy in `rules`, the reading
of the environment in `environment`; the three names every caller needs are here.
"""

from artmarket.settings.environment import SettingsError, load_settings
from artmarket.settings.model import Settings

__all__ = ["Settings", "SettingsError", "load_settings"]
