"""The Bahasa Indonesia catalogue is complete, keeps every placeholder, and its compiled .mo is in step with the .po.

A small .po reader of its own (no polib): each check returns the entries that break it, the tests over the real
catalogue expect none, and the tests over small made-up catalogues show that each check does catch what it is for.
"""

from __future__ import annotations

import gettext
import io
import re
import struct
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.mo"

KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
# %(name)s, %s, %d, %r… (flags and width allowed, but not the space flag: "100 % of" is prose) and the literal %%
PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0+-]*\d*(?:\.\d+)?(?P<conv>[diouxXeEfFgGcrsa%])")
BRACE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\])*)?(?:![rsa])?(?::[^{}]*)?\}")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    previous: list[str] = field(default_factory=list)  # the "#| msgid …" comments of a fuzzy guess

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def unquote(literal: str) -> str:
    body = literal.strip()
    assert body.startswith('"') and body.endswith('"'), f"not a quoted string: {literal}"
    body = body[1:-1]
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), "\\" + m.group(1)), body)


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file, header included, obsolete (#~) entries left out."""
    entries: list[Entry] = []
    comments: list[str] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    start = 0

    def finish() -> None:
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            comments = []
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and target is not None and target[0] == "msgstr":
                finish()
            if not comments:
                start = number
            comments.append(line)
            continue
        match = KEYWORD.match(line)
        if match:
            keyword, index, literal = match.group(1), match.group(2), match.group(3)
            if keyword in ("msgctxt", "msgid") and current is not None and (target is None or target[0] == "msgstr"):
                finish()
            if current is None:
                current = Entry(line=start or number)
                for comment in comments:
                    if comment.startswith("#,"):
                        current.flags |= {flag.strip() for flag in comment[2:].split(",") if flag.strip()}
                    elif comment.startswith("#|"):
                        current.previous.append(comment)
                comments, start = [], 0
            value = unquote(literal)
            if keyword == "msgctxt":
                current.msgctxt, target = value, ("msgctxt", None)
            elif keyword == "msgid":
                current.msgid, target = value, ("msgid", None)
            elif keyword == "msgid_plural":
                current.msgid_plural, target = value, ("msgid_plural", None)
            else:
                slot = int(index) if index is not None else 0
                current.msgstr[slot], target = value, ("msgstr", slot)
            continue
        if line.startswith('"'):
            assert current is not None and target is not None, f"line {number}: a string outside an entry"
            value = unquote(line)
            kind, slot = target
            if kind == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + value
            elif kind == "msgid":
                current.msgid += value
            elif kind == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + value
            else:
                assert slot is not None
                current.msgstr[slot] += value
            continue
        raise AssertionError(f"line {number}: cannot read {raw!r}")
    finish()
    return entries


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = next(e for e in entries if e.is_header)
    pairs = (line.split(":", 1) for line in header.msgstr.get(0, "").splitlines() if ":" in line)
    return {key.strip().lower(): value.strip() for key, value in pairs}


def nplurals(entries: list[Entry]) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header_fields(entries).get("plural-forms", ""))
    assert match, "the header has no Plural-Forms"
    return int(match.group(1))


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if not e.is_header]


def untranslated(entries: list[Entry]) -> list[str]:
    forms = nplurals(entries)
    found = []
    for entry in messages(entries):
        slots = range(forms) if entry.msgid_plural is not None else range(1)
        if any(not entry.msgstr.get(slot, "").strip() for slot in slots):
            found.append(entry.label())
    return found


def fuzzy(entries: list[Entry]) -> list[str]:
    return [e.label() for e in messages(entries) if "fuzzy" in e.flags or e.previous]


def percent_placeholders(text: str) -> tuple[set[str], list[str], int]:
    """Named %(x)s placeholders, positional %s-style ones in order, and the count of literal %%."""
    named: set[str] = set()
    positional: list[str] = []
    literal = 0
    for match in PERCENT.finditer(text):
        if match.group("conv") == "%":
            literal += 1
        elif match.group("name") is not None:
            named.add(f"%({match.group('name')}){match.group('conv')}")
        else:
            positional.append(match.group(0))
    return named, positional, literal


def stray_percent(text: str) -> bool:
    """A % that Python's % operator would stumble over."""
    return "%" in PERCENT.sub("", text)


def placeholder_problems(entries: list[Entry]) -> list[str]:
    found = []
    for entry in messages(entries):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
        for slot, translated in sorted(entry.msgstr.items()):
            where = f"{entry.label()} msgstr[{slot}]"
            # a named placeholder of either English form must be kept (the plural form may name more, e.g. "all %(n)s")
            source_braces = set().union(*(set(BRACE.findall(s)) for s in sources))
            braces = set(BRACE.findall(translated))
            if source_braces != braces:
                found.append(f"{where}: braces {sorted(source_braces)} != {sorted(braces)}")
            named = [percent_placeholders(s) for s in sources]
            source_named = set().union(*(n for n, _, _ in named))
            got_named, got_positional, got_literal = percent_placeholders(translated)
            if "python-format" in entry.flags or source_named or any(p for _, p, _ in named):
                if source_named != got_named:
                    found.append(f"{where}: placeholders {sorted(source_named)} != {sorted(got_named)}")
                if named[0][1] != got_positional:
                    found.append(f"{where}: positional {named[0][1]} != {got_positional}")
                if named[0][2] != got_literal or stray_percent(translated) != stray_percent(entry.msgid):
                    found.append(f"{where}: a literal % must be written %% as in the English")
            elif got_named or got_positional:
                found.append(f"{where}: placeholders {sorted(got_named) + got_positional} not in the English")
            source_tags = Counter(tag for s in sources[:1] for tag in TAG.findall(s))
            if source_tags != Counter(TAG.findall(translated)):
                found.append(f"{where}: HTML tags {sorted(source_tags)} != {sorted(TAG.findall(translated))}")
    return found


def mo_count(data: bytes) -> int:
    """How many messages a .mo holds (header included)."""
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    return struct.unpack(order + "I", data[8:12])[0]


def mo_problems(entries: list[Entry], data: bytes) -> list[str]:
    catalogue = gettext.GNUTranslations(io.BytesIO(data))
    found = []
    plural_forms = header_fields(entries).get("plural-forms")
    if catalogue.info().get("plural-forms") != plural_forms:
        found.append(f"header: Plural-Forms {catalogue.info().get('plural-forms')!r} != {plural_forms!r}")
    for entry in messages(entries):
        if entry.msgid_plural is None:
            if entry.msgctxt is None:
                got = catalogue.gettext(entry.msgid)
            else:
                got = catalogue.pgettext(entry.msgctxt, entry.msgid)
            if got != entry.msgstr.get(0):
                found.append(f"{entry.label()}: the .mo gives {got!r}, the .po {entry.msgstr.get(0)!r}")
            continue
        for n in (0, 1, 2, 5, 21):
            if entry.msgctxt is None:
                got = catalogue.ngettext(entry.msgid, entry.msgid_plural, n)
            else:
                got = catalogue.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
            expected = entry.msgstr.get(catalogue.plural(n))
            if got != expected:
                found.append(f"{entry.label()} n={n}: the .mo gives {got!r}, the .po {expected!r}")
    translated = [e for e in messages(entries) if "fuzzy" not in e.flags and all(e.msgstr.values())]
    if mo_count(data) != len(translated) + 1:
        found.append(f"the .mo holds {mo_count(data)} messages, the .po {len(translated)} and a header")
    return found


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO.read_text(encoding="utf-8"))


# --- the real catalogue ----------------------------------------------------------------------------------------


def test_the_catalogue_is_read(entries: list[Entry]) -> None:
    assert header_fields(entries).get("language") == "id"
    assert nplurals(entries) == 1
    assert len(messages(entries)) > 500
    by_id = {(e.msgctxt, e.msgid): e for e in entries}
    assert by_id[(None, "Arrears")].msgstr == {0: "Tunggakan"}
    assert by_id[(None, "%(n)s bill")].msgid_plural == "%(n)s bills"
    assert by_id[(None, "%(n)s bill")].msgstr == {0: "%(n)s tagihan"}


def test_every_message_is_translated(entries: list[Entry]) -> None:
    assert untranslated(entries) == []


def test_no_message_is_fuzzy(entries: list[Entry]) -> None:
    assert fuzzy(entries) == []


def test_every_placeholder_is_kept(entries: list[Entry]) -> None:
    assert placeholder_problems(entries) == []


def test_the_mo_is_compiled_from_the_po(entries: list[Entry]) -> None:
    assert mo_problems(entries, MO.read_bytes()) == []


# --- each check catches what it is for -------------------------------------------------------------------------

HEADER = r"""# comment
#, fuzzy
msgid ""
msgstr ""
"Language: id\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"
"""


def sample(body: str) -> list[Entry]:
    return parse_po(HEADER + "\n" + body)


GOOD = r"""#: a.py:1
#, python-format
msgid "Paid %(paid)s of the last "
"%(count)s months."
msgstr ""
"Dibayar %(paid)s dari %(count)s "
"bulan terakhir."

#, python-format
msgid "%(n)s bill"
msgid_plural "%(n)s bills"
msgstr[0] "%(n)s tagihan"

msgctxt "calculator input"
msgid "month"
msgstr "bulan ke"

#, python-brace-format
msgid "{value} is \"late\" by 6 %%"
msgstr "{value} \"terlambat\" 6 %%"

#~ msgid "gone"
#~ msgstr "hilang"
"""


def test_the_parser_reads_wrapped_plural_context_and_escaped_strings() -> None:
    parsed = sample(GOOD)
    assert [e.msgid for e in messages(parsed)] == [
        "Paid %(paid)s of the last %(count)s months.",
        "%(n)s bill",
        "month",
        '{value} is "late" by 6 %%',
    ]
    assert messages(parsed)[0].msgstr == {0: "Dibayar %(paid)s dari %(count)s bulan terakhir."}
    assert messages(parsed)[1].msgid_plural == "%(n)s bills"
    assert messages(parsed)[2].msgctxt == "calculator input"
    assert untranslated(parsed) == fuzzy(parsed) == placeholder_problems(parsed) == []


@pytest.mark.parametrize(
    "body",
    [
        'msgid "Bills"\nmsgstr ""\n',
        'msgid "Bills"\nmsgstr "   "\n',
        'msgid "%(n)s bill"\nmsgid_plural "%(n)s bills"\nmsgstr[0] ""\n',
        'msgid "%(n)s bill"\nmsgid_plural "%(n)s bills"\nmsgstr[1] "%(n)s tagihan"\n',
    ],
)
def test_an_empty_translation_is_caught(body: str) -> None:
    assert untranslated(sample(body)) != []


@pytest.mark.parametrize(
    "body",
    [
        '#, fuzzy\nmsgid "payment"\nmsgstr "penempatan"\n',
        '#, fuzzy, python-format\nmsgid "%(n)s payer"\nmsgstr "%(n)s pemberi kerja"\n',
        '#| msgid "placement"\nmsgid "payment"\nmsgstr "pembayaran"\n',
    ],
)
def test_a_fuzzy_translation_is_caught(body: str) -> None:
    assert fuzzy(sample(body)) != []


@pytest.mark.parametrize(
    "body",
    [
        '#, python-format\nmsgid "Balance on %(day)s"\nmsgstr "Saldo per %(hari)s"\n',
        '#, python-format\nmsgid "Balance on %(day)s"\nmsgstr "Saldo"\n',
        '#, python-format\nmsgid "%(n)s bill"\nmsgid_plural "%(n)s bills"\nmsgstr[0] "tagihan"\n',
        '#, python-format\nmsgid "%s of %d"\nmsgstr "%d dari %s"\n',
        '#, python-format\nmsgid "%(p)s for 6 %%"\nmsgstr "%(p)s untuk 6 %"\n',
        '#, python-brace-format\nmsgid "{value} is not a month"\nmsgstr "{nilai} bukan bulan"\n',
        '#, python-brace-format\nmsgid "NIK {nik} on row {rows}"\nmsgstr "NIK {nik} di baris"\n',
        'msgid "Bills"\nmsgstr "Tagihan %(n)s"\n',
        'msgid "<strong>Bills</strong>"\nmsgstr "Tagihan"\n',
    ],
)
def test_a_lost_placeholder_is_caught(body: str) -> None:
    assert placeholder_problems(sample(body)) != []


def compile_mo(messages_: dict[str, str], plural_forms: str = "nplurals=1; plural=0;") -> bytes:
    """A .mo as msgfmt writes it (without the hash table, which gettext does not need)."""
    catalogue = {"": f"Language: id\nContent-Type: text/plain; charset=UTF-8\nPlural-Forms: {plural_forms}\n"}
    catalogue.update(messages_)
    keys = sorted(catalogue)
    ids = [k.encode() for k in keys]
    strs = [catalogue[k].encode() for k in keys]
    start = 7 * 4 + 16 * len(keys)
    offsets, data = [], b""
    for blob in ids + strs:
        offsets.append((len(blob), start + len(data)))
        data += blob + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    table = b"".join(struct.pack("<2I", length, offset) for length, offset in offsets)
    return head + table + data


def test_the_mo_check_passes_when_in_step() -> None:
    parsed = sample(GOOD)
    mo = compile_mo(
        {
            "Paid %(paid)s of the last %(count)s months.": "Dibayar %(paid)s dari %(count)s bulan terakhir.",
            "%(n)s bill\0%(n)s bills": "%(n)s tagihan",
            "calculator input\x04month": "bulan ke",
            '{value} is "late" by 6 %%': '{value} "terlambat" 6 %%',
        }
    )
    assert mo_problems(parsed, mo) == []


@pytest.mark.parametrize(
    ("messages_", "plural_forms"),
    [
        # a stale translation
        ({"%(n)s bill\0%(n)s bills": "%(n)s tagihan", "calculator input\x04month": "bulan"}, "nplurals=1; plural=0;"),
        # a message missing from the .mo (the plural one)
        ({"calculator input\x04month": "bulan ke"}, "nplurals=1; plural=0;"),
        # the context lost
        ({"%(n)s bill\0%(n)s bills": "%(n)s tagihan", "month": "bulan ke"}, "nplurals=1; plural=0;"),
        # an English plural rule
        (
            {"%(n)s bill\0%(n)s bills": "%(n)s tagihan", "calculator input\x04month": "bulan ke"},
            "nplurals=2; plural=(n != 1);",
        ),
        # a message the .po no longer has
        (
            {"%(n)s bill\0%(n)s bills": "%(n)s tagihan", "calculator input\x04month": "bulan ke", "gone": "hilang"},
            "nplurals=1; plural=0;",
        ),
    ],
)
def test_a_stale_mo_is_caught(messages_: dict[str, str], plural_forms: str) -> None:
    parsed = sample(
        '#, python-format\nmsgid "%(n)s bill"\nmsgid_plural "%(n)s bills"\nmsgstr[0] "%(n)s tagihan"\n\n'
        'msgctxt "calculator input"\nmsgid "month"\nmsgstr "bulan ke"\n'
    )
    assert mo_problems(parsed, compile_mo(messages_, plural_forms)) != []
