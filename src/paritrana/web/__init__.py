"""The web application (stub; PLATFORM-WEB fills it)."""
