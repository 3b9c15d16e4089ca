"""Legal references shown as regulations and articles, without the authors' working notes."""

from __future__ import annotations

from django.utils import translation

from paritrana.web.legal_text import citations, legal_reference


def test_the_citations_are_kept_and_the_notes_left_out() -> None:
    text = "PP 46/2015 art 22(2) (balance = contributions + returns); UU 40/2004 art 37; the rates declared (jht.return_rate)."
    with translation.override("en"):
        assert legal_reference(text) == "PP 46/2015 art 22(2); UU 40/2004 art 37"
    with translation.override("id"):
        assert legal_reference(text) == "PP 46/2015 pasal 22(2); UU 40/2004 pasal 37"


def test_articles_annexes_and_amendments() -> None:
    text = (
        "PP 44/2015 art 25 and Lampiran III (48 x wage), as amended by PP 82/2019; minimum: the JKM lump sum (art 34)."
    )
    with translation.override("id"):
        assert citations(text) == ["PP 44/2015 pasal 25 dan Lampiran III", "PP 82/2019"]
    with translation.override("en"):
        assert citations("PP 45/2015 arts 16-18; Permenaker 29/2015 art 26 (deeming); PP 45/2015 arts 16-18") == [
            "PP 45/2015 art 16-18",
            "Permenaker 29/2015 art 26",
        ]


def test_a_text_without_a_citation_is_shown_as_it_is() -> None:
    assert legal_reference("no JKP before the law") == "no JKP before the law"
    assert legal_reference("") == ""


def test_paragraph_ranges_and_lists_of_articles() -> None:
    with translation.override("en"):
        assert (
            legal_reference("PP 46/2015 art 22(4)-(5); PP 60/2015 (housing)") == "PP 46/2015 art 22(4)-(5); PP 60/2015"
        )
        assert legal_reference("PP 49/2020 arts 4(1), 23(1).") == "PP 49/2020 art 4(1), 23(1)"
