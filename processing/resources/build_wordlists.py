"""Rebuild `stopwords.json` and `flagged_words.json` from the published lists they come from (see README.md).

Run with the sources installed: `pip install stopwordsiso==0.7.1 better-profanity==0.7.0`, then
`python processing/resources/build_wordlists.py`.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    import stopwordsiso

    stopwords = {lang: sorted(stopwordsiso.stopwords(lang)) for lang in sorted(stopwordsiso.langs())}
    profanity = resources.files("better_profanity").joinpath("profanity_wordlist.txt").read_text()
    # The list spells some entries with leetspeak variants generated at run time; keep plain lowercase words.
    flagged = {"en": sorted({w.strip().lower() for w in profanity.splitlines() if w.strip().isalpha()})}
    for name, table in (("stopwords.json", stopwords), ("flagged_words.json", flagged)):
        (HERE / name).write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n")


if __name__ == "__main__":
    main()
