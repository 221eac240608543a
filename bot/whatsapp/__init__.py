"""The WhatsApp channel: Meta's Cloud API webhook in, Cloud API messages out."""
