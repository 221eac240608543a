"""Offers from outside sources (CSV, Freinet-Online) into content/offers-imported.yaml."""
