"""PII detectors: a linear-time candidate regex per type, then a validator (checksum, registry, entropy) that
must accept the candidate before it is flagged.

Every pattern's first character must not follow the characters the match itself may contain (`_not_after`),
so within a run of such characters only its first position can start a match, and every repetition is bounded
and made of classes that cannot match the same character two ways: each position is tried a bounded number of
times, so the scan is linear in the text's length whatever the input (tests/test_pii.py has a time budget per MB).

Boundaries are written per pattern, not with `\\b`: in Chinese, Japanese or Thai an address sits right against
letters (`请发邮件到a@b.cn获取`), where `\\b` sees no boundary at all.
"""
from __future__ import annotations

import bisect
import ipaddress
import math
import re
import unicodedata
from collections import Counter
from typing import Callable, Iterator, NamedTuple

import phonenumbers

from . import checksums

TYPES = ("URL_CREDENTIALS", "KEY", "EMAIL", "IBAN", "CREDIT_CARD", "NATIONAL_ID", "IP_ADDRESS", "PHONE", "USER")


def _ranges(keep: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Runs of Basic Multilingual Plane code points for which `keep` holds, as (first, last)."""
    runs: list[tuple[int, int]] = []
    for code in range(0x300, 0x10000):
        if keep(chr(code)):
            if runs and runs[-1][1] == code - 1:
                runs[-1] = (runs[-1][0], code)
            else:
                runs.append((code, code))
    return runs


def _not_after(chars: str) -> str:
    """Placed right after a pattern's first character: that character does not follow one of `chars`.

    A pattern that opens with a character class lets `re` skip ahead to the next position where that class
    matches; a leading look-behind would make it try every position (about 2.5x slower on prose)."""
    return rf"(?<!{chars}[\s\S])"


class Span(NamedTuple):
    start: int
    end: int
    type: str


# Word characters of spaced scripts: an address or a handle never touches one (`ftp://usuário@host` is a login,
# not `rio@host`), while in Chinese, Japanese, Korean or Thai text it may touch the next word.
_SPACED_WORD = "[^\\W\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"

# Internationalised domains: labels of Unicode letters/digits; the top-level label is ASCII letters, punycode or
# one of the non-ASCII country TLDs of the corpus's languages, listed because in unspaced scripts an address runs
# straight into the next word (`wang@例子.中国获取`) and nothing else marks where the TLD ends.
# Combining marks (Devanagari vowel signs, Arabic harakat…) are not `\w` in `re`, but they are part of a label.
# Only marks that `\w` does not match: the label's alternatives must stay disjoint (no exponential backtracking).
_MARKS = "".join(f"{chr(a)}-{chr(b)}" for a, b in _ranges(
    lambda c: unicodedata.category(c).startswith("M") and not re.match(r"\w", c)))
_LABEL = rf"[^\W_](?:[^\W_]|[{_MARKS}]|-){{0,62}}"
_IDN_TLDS = "|".join(("中国", "中國", "公司", "网络", "台灣", "香港", "рф", "укр", "срб", "бел", "қаз", "ไทย", "भारत",
                      "ভারত", "இந்தியா", "السعودية", "مصر", "امارات", "الجزائر", "المغرب", "ایران", "پاکستان", "한국"))
_TLD = rf"(?:[A-Za-z]{{2,24}}(?![A-Za-z0-9-])|xn--[A-Za-z0-9-]{{1,59}}|(?:{_IDN_TLDS}))"
_DOMAIN = rf"(?:{_LABEL}\.){{1,8}}{_TLD}"
_LOCAL_CHAR = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LOCAL_OR_DOT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]"
# The local part: dot-separated atoms, the first character matched apart so it can carry the boundary.
_LOCAL = (rf"{_LOCAL_CHAR}{_not_after(f'(?:{_LOCAL_OR_DOT}|{_SPACED_WORD})')}"
          rf"{_LOCAL_CHAR}{{0,63}}(?:\.{_LOCAL_CHAR}{{1,64}}){{0,8}}")
EMAIL = re.compile(rf"{_LOCAL}(?:@|%40){_DOMAIN}")

# The span is the whole authority (`user:password@host`), so what redaction leaves
# (`https://PI:URL_CREDENTIALS/path`) cannot read as an email.
URL_CREDENTIALS = re.compile(r"(?<=://)[^\s/?#@:]{1,128}:[^\s/?#@]{1,128}@[^\s/?#@]{1,255}")

IPV4 = re.compile(rf"[0-9]{_not_after('[0-9A-Za-z.]')}[0-9]{{0,2}}\.(?:[0-9]{{1,3}}\.){{2}}[0-9]{{1,3}}"
                  r"(?![0-9A-Za-z]|\.[0-9])")
IPV6 = re.compile(rf"[0-9A-Fa-f:]{_not_after('[0-9A-Za-z:.]')}[0-9A-Fa-f:]{{1,38}}(?:\.[0-9]{{1,3}}){{0,3}}"
                  r"(?![0-9A-Za-z:])")

CARD = re.compile(rf"[0-9]{_not_after('[0-9A-Za-z.,-]')}(?:[ -]?[0-9]){{12,18}}(?![0-9A-Za-z]|[.,-][0-9])")
IBAN = re.compile(rf"[A-Z]{_not_after('[0-9A-Za-z]')}[A-Z][0-9]{{2}}(?: ?[0-9A-Za-z]){{11,30}}")

NATIONAL_IDS = (
    (re.compile(rf"[1-9]{_not_after('[0-9A-Za-z]')}[0-9]{{16}}[0-9Xx](?![0-9A-Za-z])"), checksums.china_id_ok),
    (re.compile(rf"[2-9]{_not_after('[0-9A-Za-z.-]')}[0-9]{{3}} [0-9]{{4}} [0-9]{{4}}(?![0-9A-Za-z]| [0-9])"),
     checksums.aadhaar_ok),
    (re.compile(rf"[0-9]{_not_after('[0-9A-Za-z.-]')}[0-9]{{2}}\.[0-9]{{3}}\.[0-9]{{3}}-[0-9]{{2}}"
                r"(?![0-9A-Za-z]|[.-][0-9])"), checksums.cpf_ok),
    (re.compile(rf"[0-9XYZxyz]{_not_after('[0-9A-Za-z]')}[0-9]{{7}}-?[A-Za-z](?![0-9A-Za-z])"), checksums.spain_id_ok),
    (re.compile(rf"[12]{_not_after('[0-9A-Za-z]')} ?[0-9]{{2}} ?[0-9]{{2}} ?(?:[0-9]{{2}}|2[AB])"
                r" ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}(?![0-9A-Za-z])"), checksums.france_nir_ok),
)

# `+`, `(` or a digit (the `00` international prefix is digits too), then digits in groups.
PHONE = re.compile(rf"[+(0-9]{_not_after('[0-9A-Za-z+(/.,:-]')}(?:(?<=[+(])[0-9])?(?:[ .()/-]{{0,2}}[0-9]){{6,16}}"
                   r"(?![0-9A-Za-z]|[.,/:-][0-9])")
_SPACE_GAP = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"[^0-9]")
_ISBN_BEFORE = re.compile(r"ISBN(?:-1[03])?:?\s?$", re.IGNORECASE)
_DATE_LIKE = re.compile(r"(?:[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2}|[0-9]{1,2}[-./][0-9]{1,2}[-./][0-9]{4})")

# Handles; decorators, CSS at-rules, doc tags and crontab's @daily are code, not people. `@host.example.com` (a
# syslog target) is a host: a handle has no dot before a letter.
USER = re.compile(rf"@{_not_after('(?:[.@+/:-]|' + _SPACED_WORD + ')')}[A-Za-z0-9_]{{2,30}}"
                  rf"(?!{_SPACED_WORD}|[@(]|[.-][A-Za-z0-9])")
_CODE_AT_WORDS = frozenset("""media import font-face keyframes property staticmethod classmethod override param
return returns throws throw author deprecated see since version interface implementation end synthesize
dataclass charset supports page include mixin extend if else each foreach section yield todo fixme note example
brief file var type link code inheritdoc typedef class function abstract protected private public namespace
app pytest test before after beforeeach aftereach component injectable input output ngmodule suppresswarnings
functionalinterface entity table column id transactional autowired bean configuration service controller
everyone here channel all includedir reboot yearly annually monthly weekly daily hourly midnight""".split())

KNOWN_KEYS = re.compile(
    r"AKIA[0-9A-Z]{16}(?![0-9A-Za-z])"                     # AWS access key id
    r"|gh[pousr]_[A-Za-z0-9]{36}(?![0-9A-Za-z])"           # GitHub tokens
    r"|github_pat_[A-Za-z0-9_]{82}(?![0-9A-Za-z])"
    r"|xox[abposr]-[A-Za-z0-9-]{10,72}(?![0-9A-Za-z-])"    # Slack
    r"|AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"             # Google API key
    r"|[rs]k_(?:live|test)_[0-9A-Za-z]{24,99}(?![0-9A-Za-z])"  # Stripe
    r"|sk-(?:proj-)?[A-Za-z0-9_-]{32,160}(?![A-Za-z0-9_-])"   # OpenAI-style
    r"|hf_[A-Za-z]{34}(?![0-9A-Za-z])"                     # Hugging Face
    r"|eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{8,2000}(?![A-Za-z0-9_-])"  # JWT
    r"|-----BEGIN (?:[A-Z]{1,20} ){0,3}PRIVATE KEY-----[A-Za-z0-9+/=\s]{0,8192}?"
    r"-----END (?:[A-Z]{1,20} ){0,3}PRIVATE KEY-----")
_KEY_MARKERS = ("AKIA", "gh", "github_pat_", "xox", "AIza", "k_live_", "k_test_", "sk-", "hf_", "eyJ", "-----BEGIN")
_KEY_START = re.compile(r"(?<![0-9A-Za-z_-])")
# `password = s3cr3t!x`: the value after a secret-naming key, whatever its shape.
ASSIGNED_SECRET = re.compile(
    r"(?i:\b(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)"
    r"[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?)([^\s\"'<>,;]{8,128})")
_FINGERPRINT_BEFORE = re.compile(r"(?:SHA256|SHA1|MD5|sha256|sha512)[:=-]$")
_SECRET_WORDS = ("pass", "pwd", "secret", "key", "token")
# `password = password`, `secret: $SECRET`, `token={token}`: documentation placeholders and variables.
_PLACEHOLDERS = frozenset("password passwd secret changeme example yourpassword your_password mypassword "
                          "password123 xxxxxxxx ******** placeholder undefined none null true false".split())
_NOT_A_VALUE = ("http", "PI:", "<", "$", "{", "%", "[")
TOKEN = re.compile(rf"[A-Za-z0-9+/_=-]{_not_after('[A-Za-z0-9+/_=-]')}[A-Za-z0-9+/_=-]{{19,199}}(?![A-Za-z0-9+/_=-])")
_HEX = re.compile(r"[0-9a-fA-F]+")
_WORDISH = re.compile(r"[A-Z]?[a-z]{3,}")


def entropy(s: str) -> float:
    """Shannon entropy in bits per character."""
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def looks_random(token: str) -> bool:
    """A secret-like token: mixed upper, lower and digits, near the entropy of random characters, and not a
    hash (git commits and checksums are hex and not personal), a path or an identifier."""
    if _HEX.fullmatch(token) or token.count("/") > 2 or token.count("_") > 3 or token.count("-") > 3:
        return False
    upper = sum(c.isupper() for c in token)
    lower = sum(c.islower() for c in token)
    digits = sum(c.isdigit() for c in token)
    if upper < 2 or lower < 2 or digits < 2:
        return False
    # Mostly made of word pieces (`CommandCtrl+Shift+F12`, `javasettings_Windows_X86_64`): a name, not a key.
    if sum(len(w) for w in _WORDISH.findall(token)) > 0.6 * len(token):
        return False
    # Random base62 text of length n has entropy close to log2(min(n, 62)); camelCase words fall well short.
    return entropy(token) >= 0.82 * math.log2(min(len(token), 62))


def _emails(text: str, region: str | None) -> Iterator[Span]:
    if "@" not in text and "%40" not in text:
        return
    for m in EMAIL.finditer(text):
        yield Span(m.start(), m.end(), "EMAIL")


def _url_credentials(text: str, region: str | None) -> Iterator[Span]:
    if "://" not in text:
        return
    for m in URL_CREDENTIALS.finditer(text):
        yield Span(m.start(), m.end(), "URL_CREDENTIALS")


def _personal_ip(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Only public unicast addresses can point at a person: private, loopback, documentation, multicast and
    reserved ranges (netmasks like 255.255.255.0 among them) are configuration, not identity."""
    return address.is_global and not address.is_multicast


def _ip_addresses(text: str, region: str | None) -> Iterator[Span]:
    if "." in text:
        for m in IPV4.finditer(text):
            parts = m.group().split(".")
            # Quads of small numbers are section numbers (`see 12.1.7.3`) far more often than hosts: a random
            # public address has all four parts under 32 once in 4,000.
            if all(int(p) < 32 for p in parts) or any(p[0] == "0" and p != "0" or int(p) > 255 for p in parts):
                continue
            if _personal_ip(ipaddress.IPv4Address(m.group())):
                yield Span(m.start(), m.end(), "IP_ADDRESS")
    if "::" in text or text.count(":") >= 7:
        for m in IPV6.finditer(text):
            candidate = m.group()
            if candidate.count(":") < 2 or sum(c in "0123456789abcdefABCDEF" for c in candidate) < 4:
                continue
            try:
                address = ipaddress.IPv6Address(candidate)
            except ValueError:
                continue
            # Three or more groups, so `a::b` in C++ or `12::34` in a transcript is left alone.
            if len([g for g in candidate.split(":") if g]) >= 3 and _personal_ip(address):
                yield Span(m.start(), m.end(), "IP_ADDRESS")


def card_brand_ok(digits: str) -> bool:
    """Lengths and leading digits of the card networks (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay,
    Maestro): a Luhn-valid 16-digit number starting 978 is an ISBN-like code, not a card."""
    n, p2, p4 = len(digits), int(digits[:2]), int(digits[:4])
    return ((digits[0] == "4" and n in (13, 16, 19)) or (51 <= p2 <= 55 and n == 16) or (2221 <= p4 <= 2720 and n == 16)
            or (p2 in (34, 37) and n == 15) or ((p4 == 6011 or p2 == 65 or 644 <= p4 // 10 <= 649) and n in (16, 19))
            or (3528 <= p4 <= 3589 and n in (16, 19)) or (p2 in (36, 38, 39) or 300 <= p4 // 10 <= 305) and n == 14
            or (p2 == 62 and 16 <= n <= 19) or (p2 in (50, 56, 57, 58, 63, 67) and 12 <= n <= 19))


def _trimmings(candidate: str) -> Iterator[tuple[int, int]]:
    """(start, end) within a run of digit groups: the whole run, then without the part before its first space,
    then without the part after its last, since a run often takes in a list number (`1. 612 34 51 03`) or a
    number after it (`… 7272 14 days`). Never more than three tries, so the scan stays linear."""
    yield 0, len(candidate)
    gaps = list(_SPACE_GAP.finditer(candidate))
    if gaps:
        yield gaps[0].end(), len(candidate)
        yield 0, gaps[-1].start()


def _cards(text: str, region: str | None) -> Iterator[Span]:
    for m in CARD.finditer(text):
        for a, b in _trimmings(m.group()):
            s = m.group()[a:b].strip(" -")
            digits = s.replace(" ", "").replace("-", "")
            if len(set(s) - set("0123456789")) <= 1 and card_brand_ok(digits) and checksums.luhn_ok(digits):
                yield Span(m.start() + a, m.start() + b, "CREDIT_CARD")
                break


def _ibans(text: str, region: str | None) -> Iterator[Span]:
    for m in IBAN.finditer(text):
        want = checksums.IBAN_LENGTHS.get(m.group()[:2])
        if want is None:
            continue
        # Take exactly the country's length, so a word after the IBAN is not read as part of it.
        chars, end = 0, m.start()
        while end < m.end() and chars < want:
            chars += text[end] != " "
            end += 1
        value = text[m.start():end].replace(" ", "").upper()
        glued = end < len(text) and text[end].isascii() and text[end].isalnum()
        if chars == want and not glued and checksums.iban_ok(value):
            yield Span(m.start(), end, "IBAN")


def _national_ids(text: str, region: str | None) -> Iterator[Span]:
    for pattern, valid in NATIONAL_IDS:
        for m in pattern.finditer(text):
            if valid(re.sub(r"[ .-]", "", m.group())):
                yield Span(m.start(), m.end(), "NATIONAL_ID")


def _phones(text: str, region: str | None) -> Iterator[Span]:
    for m in PHONE.finditer(text):
        for a, b in _trimmings(m.group()):
            if _phone_ok(m.group()[a:b], region, text, m.start()):
                yield Span(m.start() + a, m.start() + b, "PHONE")
                break


def _phone_ok(s: str, region: str | None, text: str, start: int) -> bool:
    international = s[0] == "+" or s.startswith("00")
    digits = len(_NON_DIGITS.sub("", s))
    # A national number needs grouping (or parentheses) to read as a phone number, not a count or an id.
    # E.164 numbers have at most 15 digits (with the country code).
    if not 8 <= digits <= 15 or _DATE_LIKE.search(s) or not (international or any(c in s for c in " .()-/")):
        return False
    if (not international and not _possible_length(s, digits, region)) or IPV4.fullmatch(s) \
            or _ISBN_BEFORE.search(text, max(0, start - 10), start):
        return False
    try:
        # `00` is the international call prefix of most of the world: read as `+`.
        number = phonenumbers.parse("+" + s[2:] if s.startswith("00") else s, None if international else region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and (international or _written_as_usual(s, number))


def _possible_length(candidate: str, digits: int, region: str | None) -> bool:
    """Whether the region has national numbers of this many digits: a cheap test that spares most candidates
    the (slow) full parse."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region) if region else None
    if metadata is None:
        return False
    prefix = metadata.national_prefix or ""
    if prefix and _NON_DIGITS.sub("", candidate).startswith(prefix):
        digits -= len(prefix)
    lengths = metadata.general_desc.possible_length
    return not lengths or digits in lengths


def _written_as_usual(candidate: str, number: phonenumbers.PhoneNumber) -> bool:
    """A national number written with the trunk prefix where the region's own format has it (`06 12 34 56 78`
    in France, not `6 12 34 56 78`, more often a count or a code), or as it comes where it has none (mobiles in
    China, `(11) 2345-6789` in Brazil, `(201) 555-0123` in North America)."""
    region = phonenumbers.region_code_for_number(number)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region) if region else None
    prefix = metadata.national_prefix if metadata else None
    usual = _NON_DIGITS.sub("", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    return not (prefix and usual.startswith(prefix)) or _NON_DIGITS.sub("", candidate).startswith(prefix)


def _handles(text: str, region: str | None) -> Iterator[Span]:
    if "@" not in text:
        return
    for m in USER.finditer(text):
        if m.group()[1:].lower() not in _CODE_AT_WORDS:
            yield Span(m.start(), m.end(), "USER")


def _keys(text: str, region: str | None) -> Iterator[Span]:
    # Substring tests (fast C searches) skip the regex scans on the many documents that cannot match.
    if any(marker in text for marker in _KEY_MARKERS):
        for m in KNOWN_KEYS.finditer(text):
            if _KEY_START.match(text, m.start()):
                yield Span(m.start(), m.end(), "KEY")
    lower = text.lower()
    if ("=" in text or ":" in text) and any(word in lower for word in _SECRET_WORDS):
        for m in ASSIGNED_SECRET.finditer(text):
            value = m.group(1)
            if len(set(value)) > 3 and not value.startswith(_NOT_A_VALUE) and value.lower() not in _PLACEHOLDERS:
                yield Span(m.start(1), m.end(1), "KEY")
    public = _public_key_material(text)
    for m in TOKEN.finditer(text):
        if (looks_random(m.group()) and not _FINGERPRINT_BEFORE.search(text, max(0, m.start() - 8), m.start())
                and not any(start <= m.start() < end for start, end in public)):
            yield Span(m.start(), m.end(), "KEY")


def _public_key_material(text: str) -> list[tuple[int, int]]:
    """Spans of PGP armour (public keys, signatures): random-looking but published on purpose."""
    blocks = []
    start = text.find("-----BEGIN PGP ")
    while start >= 0:
        end = text.find("-----END PGP ", start)
        end = len(text) if end < 0 else end
        blocks.append((start, end))
        start = text.find("-----BEGIN PGP ", end)
    return blocks


DETECTORS: dict[str, Callable[[str, str | None], Iterator[Span]]] = {
    "URL_CREDENTIALS": _url_credentials, "KEY": _keys, "EMAIL": _emails, "IBAN": _ibans, "CREDIT_CARD": _cards,
    "NATIONAL_ID": _national_ids, "IP_ADDRESS": _ip_addresses, "PHONE": _phones, "USER": _handles,
}
assert tuple(DETECTORS) == TYPES


# Decimal digits of other scripts (Arabic-Indic, Persian/Urdu, Devanagari, Bengali, fullwidth…) read as ASCII
# digits: one character for one, so offsets in the folded text are offsets in the original.
_FOLD_DIGITS = {code: ord("0") + unicodedata.digit(chr(code)) for code in range(0x80, 0x10000)
                if unicodedata.category(chr(code)) == "Nd"}


def find_pii(text: str, types: tuple[str, ...] | list[str] = TYPES, region: str | None = None) -> list[Span]:
    """Non-overlapping spans sorted by start. Where two detectors overlap, the one earlier in `TYPES` wins
    (credentials in a URL over the email they look like; a card or an IP address over the phone number its digits
    could be)."""
    if not text.isascii():
        text = text.translate(_FOLD_DIGITS)
    rank = {t: i for i, t in enumerate(TYPES)}
    found = [s for t in types for s in DETECTORS[t](text, region)]
    found.sort(key=lambda s: (rank[s.type], s.start, -s.end))
    taken: list[Span] = []  # sorted by start, non-overlapping: a new span can only overlap its two neighbours
    for span in found:
        i = bisect.bisect_left(taken, span)
        if (i == 0 or taken[i - 1].end <= span.start) and (i == len(taken) or span.end <= taken[i].start):
            taken.insert(i, span)
    return taken
