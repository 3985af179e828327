"""The web app owns no tables: it renders what the other apps' selectors return."""
