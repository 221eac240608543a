"""Posters with QR codes (`lotse poster`) and the deep links they carry.

`links` builds and reads the `/start` payloads (used by the conversation core and the
report too); `render` lays out the A4 or A3 poster as PDF and PNG, with a `pictograms`
drawing for the interest (only the CLI imports them); `make` picks the words, the links
and whom to call.
"""
