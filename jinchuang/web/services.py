"""The web app has no writes of its own: login and logout are Django's, audited by jinchuang.audit."""
