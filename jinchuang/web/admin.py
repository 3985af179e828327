"""The web app registers nothing in the admin (it owns no models)."""
