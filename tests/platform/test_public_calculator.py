"""The calculator is public, as the footer promises: an anonymous visitor computes a rule and reads its outputs by
their translated titles; it reaches nothing else; each address is limited per minute (a 429 page in the user's
language, with Retry-After), another address and a signed-in user are not held back by it."""

from __future__ import annotations

import html as html_text
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from paritrana.rules import get_rule
from paritrana.web.calculator_forms import output_label

COMPUTE = "/calculator/pu_contributions/?date=2024-05-01&wage=5000000&risk_group=1"


def text(response: Any) -> str:
    return html_text.unescape(response.content.decode())


def test_an_anonymous_visitor_computes_and_reads_titles_not_keys(db: None) -> None:
    c = Client()
    c.cookies["django_language"] = "en"
    assert c.get("/calculator/").status_code == 200
    response = c.get(COMPUTE)
    assert response.status_code == 200
    page = text(response)
    for f in get_rule("pu_contributions").outputs:
        if output_label(f) != f.name:  # a key (jht_employer…) is never shown as such in the result
            assert not re.search(rf">\s*{f.name}\s*<", page), f.name
    shown = [output_label(f) for f in get_rule("pu_contributions").outputs]
    assert sum(label in page for label in shown) >= 3
    # nothing else is open to it: the pages of the roles send it to log in, the API answers 401/403
    for url in ("/", "/claims/", "/workers/", "/bills/", "/coverage/"):
        assert c.get(url)["Location"].startswith("/login/"), url
    assert c.post("/claims/1/pay/", {"confirmed": "yes"}).status_code in (302, 403)
    assert c.get("/api/workers").status_code in (401, 403)


def test_each_address_is_limited_per_minute(db: None, settings: Any) -> None:
    settings.PARITRANA_PUBLIC_PER_MINUTE = 3
    c = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(3):
        assert c.get(COMPUTE).status_code == 200
    refused = c.get(COMPUTE)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    page = text(refused)  # Bahasa Indonesia by default
    assert "Terlalu banyak permintaan dari alamat Anda" in page and 'id="error-message"' in page
    c.cookies["django_language"] = "en"
    assert "Too many requests from your address" in text(c.get("/calculator/"))
    # another address is counted apart
    assert Client(REMOTE_ADDR="198.51.100.8").get(COMPUTE).status_code == 200
    # a signed-in user is not limited by its address's count
    user = get_user_model().objects.create_user("officer", password="x-123-secret")
    signed = Client(REMOTE_ADDR="198.51.100.7")
    signed.force_login(user)
    assert signed.get(COMPUTE).status_code == 200
