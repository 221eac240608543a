"""The web chat channel (aiohttp): the page, its JSON API, mail for Lotsen."""
