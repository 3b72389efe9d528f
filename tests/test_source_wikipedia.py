"""The wikipedia loader on its dump-format fixture (UDHR and Debian Reference text as wikitext), and bad dumps."""
import bz2
import re

from bigscience_corpus.catalogue import PACKAGE_DIR, build_source, get_source
from bigscience_corpus.loaders.udhr import paragraphs, udhr_languages

DUMP = PACKAGE_DIR / "demo_data" / "wikipedia" / "frwiki-demo-pages-articles.xml.bz2"
UDHR_TITLE = "Déclaration universelle des droits de l'homme"


def load(tmp_path, files, **options):
    return build_source("wikipedia", {"data_files": [str(f) for f in files], "language": "fr", **options},
                        cache_dir=str(tmp_path / "c"))


def test_articles_clean_text_and_metadata(tmp_path):
    built = build_source("wikipedia", get_source("wikipedia").fixture, cache_dir=str(tmp_path), base_dir=PACKAGE_DIR)
    docs = {d["meta"]["title"]: d for d in built.dataset}
    # Redirect (DUDH), talk page and template page are not articles.
    assert sorted(docs) == [UDHR_TITLE, "Référence Debian"]
    assert built.skips.counts == {"redirect": 1}
    xml = bz2.decompress(DUMP.read_bytes()).decode("utf-8")
    for title, doc in docs.items():
        page = xml[xml.index(f"<title>{title}</title>"):]
        assert doc["meta"]["page_id"] == int(re.search(r"<id>(\d+)</id>", page).group(1))
        assert doc["meta"]["revision_id"] == int(re.search(r"<revision>\s*<id>(\d+)</id>", page).group(1))
        assert doc["lang"] == "fr" and doc["meta"]["dbname"] == "frwiki"
        for markup in ("{{", "}}", "[[", "<ref", "Catégorie", "wikitable", "ohchr", "vignette", "'''", "''"):
            assert markup not in doc["text"], (title, markup)
    udhr = docs[UDHR_TITLE]
    assert udhr["url"] == "https://fr.wikipedia.org/wiki/D%C3%A9claration_universelle_des_droits_de_l%27homme"
    lines = udhr["text"].split("\n")
    for _, _, paragraph in paragraphs(udhr_languages()["fr"].sample_text):
        for line in paragraph.split("\n"):
            assert line in lines
    assert "Préambule" in lines and "Articles" in lines  # section titles kept as lines of their own
    assert "Liberté" not in udhr["text"]  # only in the table
    debian = docs["Référence Debian"]["text"]
    assert "Voir aussi le projet Debian et GNU/Linux." in debian  # link labels kept, link targets dropped
    assert "Logo de" not in debian  # image caption


def test_bad_dumps_are_skipped_counted_and_the_rest_kept(tmp_path):
    xml = bz2.decompress(DUMP.read_bytes())
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "good.xml.bz2").write_bytes(DUMP.read_bytes())
    (bad / "truncated.xml.bz2").write_bytes(DUMP.read_bytes()[:-300])
    second = xml.index(b"<page>", xml.index(b"<page>") + 1)
    (bad / "malformed.xml").write_bytes(xml[:second] + b"<page><title>broken</tit></page>" + xml[second:])
    (bad / "swwiki.xml").write_bytes(xml.replace(b'xml:lang="fr"', b'xml:lang="sw"'))
    start = xml.index(b"Toute personne a droit")
    end = xml.index(b"</text>", start)
    huge = xml[:start] + xml[start:end] * (50_000_000 // (end - start)) + xml[end:]
    (bad / "huge.xml").write_bytes(huge)
    debian = xml.index(b"<text", xml.index("<title>Référence Debian</title>".encode()))
    markup = "{{Infobox Logiciel|nom=Debian}}\n[[Catégorie:Debian]]".encode()
    only_markup = re.sub(rb"(<text[^>]*>).*?(</text>)", lambda m: m.group(1) + markup + m.group(2),
                         xml[debian:], count=1, flags=re.DOTALL)
    (bad / "markup_only.xml").write_bytes(xml[:debian] + only_markup)
    built = load(tmp_path, sorted(bad.iterdir()))
    assert built.skips.counts == {
        "redirect": 3,  # in good.xml.bz2, huge.xml and markup_only.xml (malformed.xml breaks before it)
        "no text left after removing markup": 1,
        "unreadable input (EOFError)": 1, "malformed XML": 1,
        "dump language does not match the language option": 1,
        "wikitext longer than max_doc_chars=10000000": 1}
    by_file = {}
    for doc in built.dataset:
        by_file.setdefault(doc["meta"]["file"], []).append(doc["meta"]["title"])
    assert by_file == {"good.xml.bz2": [UDHR_TITLE, "Référence Debian"], "malformed.xml": [UDHR_TITLE],
                       "huge.xml": ["Référence Debian"], "markup_only.xml": [UDHR_TITLE]}
