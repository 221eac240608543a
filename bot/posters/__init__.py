"""Posters with QR codes (`lotse poster`) and the deep links they carry.

`links` builds and reads the `/start` payloads (used by the conversation core and the
report too); `render` lays out the A4 poster as PDF and PNG (only the CLI imports it).
"""
