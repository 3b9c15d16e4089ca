"""Legal references as a person reads them: the regulations and articles, in the page's language.

The rules and parameters carry their references as written by their authors, often with working notes in
English ("as amended by …; the rates declared for each year (jht.return_rate); uncertain"). A page shows only
the citations: the kind and number of each regulation with its article, paragraph or annex ("PP 44/2015
pasal 25; Lampiran III"), each once, in order. A text without a recognisable citation is shown as it is.
"""

from __future__ import annotations

import re

from django.utils.translation import pgettext

# The kinds of regulation cited by the parameters (UU, PP, Perpres, Inpres, Permenaker, Perdir …)
_KIND = r"(?:UU|PP|Perpres|Inpres|Keppres|Permenaker|Permenkeu|PMK|Perdir|Perpu|Perda|Pergub|Perbup|Perwal|SE)"
_NUMBER = r"\d+[A-Z]?/(?:[A-Z.\d]+/)*\d{4,6}"
_ONE_ARTICLE = r"\d+[a-z]?(?:\(\w+\)|-\(\w+\)|[-–]\d+[a-z]?)*"
_ARTICLE = rf"(?:arts?|pasal)\.?\s+{_ONE_ARTICLE}(?:\s*(?:,|and|dan)\s+{_ONE_ARTICLE})*"
_ANNEX = r"(?:Lampiran|annex)\s+[IVX]+"
CITATION = re.compile(
    rf"\b(?P<kind>{_KIND})\s+(?:No\.?\s*)?(?P<number>{_NUMBER})"
    rf"(?P<parts>(?:\s+(?:{_ARTICLE}|{_ANNEX})(?:\s+(?:and|dan)\s+(?:{_ARTICLE}|{_ANNEX}))*)?)"
)
_ARTICLE_WORD = re.compile(r"\b(arts?|pasal)\.?\s+")
_ANNEX_WORD = re.compile(r"\b(Lampiran|annex)\s+")
_AND = re.compile(r"\s+(and|dan)\s+")


def citations(text: str) -> list[str]:
    """The citations of a reference text, each once, in the active language's words for article and annex."""
    found: list[str] = []
    article = pgettext("legal citation", "art")
    annex = pgettext("legal citation", "annex")
    conjunction = pgettext("legal citation", "and")
    for m in CITATION.finditer(text or ""):
        parts = m.group("parts").strip()
        parts = _ARTICLE_WORD.sub(article + " ", parts)
        parts = _ANNEX_WORD.sub(annex + " ", parts)
        parts = _AND.sub(f" {conjunction} ", parts)
        citation = f"{m.group('kind')} {m.group('number')}" + (f" {parts}" if parts else "")
        if citation not in found:
            found.append(citation)
    return found


def legal_reference(text: str) -> str:
    """The citations of ``text`` joined by "; ", or the text itself when it cites no regulation."""
    found = citations(text)
    return "; ".join(found) if found else (text or "")
