"""The settings of the rate-limit test's two servers (test_rate_limit_processes): the project's own, but for the
static files, collected as they are instead of compressed. WhiteNoise's compression (gzip and Brotli of 540 files,
the API documentation's maps among them) took most of each server's start, and the test starts two; what the
test proves (the processes share one limit) does not touch the static files. test_production_start serves with
the production settings unchanged."""

from paritrana.site.settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
