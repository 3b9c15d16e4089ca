"""WSGI entry point: ``paritrana.site.wsgi:application``.

It refuses to load in production with unsafe settings (no real secret key, no allowed hosts, HTTPS not
declared, debug on): ``ImproperlyConfigured`` naming each, so a WSGI server stops at start instead of serving
with a public key (decision 0010). ``paritrana demo`` sets demo mode, where it loads as before.
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paritrana.site.settings")
if settings.PARITRANA_START_REFUSAL:
    raise ImproperlyConfigured(settings.PARITRANA_START_REFUSAL)
application = get_wsgi_application()
