"""Page routes, one module per area; `ROUTES` in `entrypoints/web/app.py` lists what is mounted."""
