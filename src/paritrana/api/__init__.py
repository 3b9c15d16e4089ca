"""The REST API (django-ninja); OpenAPI at /api/openapi.json, docs at /api/docs."""
