"""The site's URLs: the web application at /, the REST API at /api/, the back office at /admin/."""

from django.contrib import admin
from django.urls import include, path

from paritrana.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("paritrana.web.urls")),
]

# Django's 403 and 404 as the site's error page, in the user's language (domain errors: paritrana.web.errors)
handler403 = "paritrana.web.errors.forbidden"
handler404 = "paritrana.web.errors.not_found"
