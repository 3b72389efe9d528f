"""Source data cards: Hub card format (YAML front matter + Markdown sections), parsed and checked."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MODALITIES = ("web", "wikipedia", "pdf", "ocr", "speech", "code", "text")
#: Front-matter keys every source card must fill in; `custodian` must have a `name`.
REQUIRED_KEYS = ("uid", "pretty_name", "modality", "language", "license", "custodian")
#: Sections every card must have, in the Hub dataset-card template's order.
REQUIRED_SECTIONS = ("Description", "Licensing", "Personal and sensitive information", "Known limitations")
PLACEHOLDER = "TODO"


@dataclass
class Card:
    path: Path
    meta: dict[str, Any]
    body: str
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def languages(self) -> list[str]:
        langs = self.meta.get("language") or []
        return [langs] if isinstance(langs, str) else list(langs)

    @property
    def custodian(self) -> str:
        return str((self.meta.get("custodian") or {}).get("name", ""))


def split_front_matter(text: str) -> tuple[str, str]:
    """(`yaml`, `markdown`) of a card; raises ValueError if the card has no `---` front matter."""
    if not text.startswith("---\n"):
        raise ValueError("card does not start with a '---' YAML front matter block")
    end = text.find("\n---", 4)
    if end < 0:
        raise ValueError("card's YAML front matter is not closed by '---'")
    return text[4:end], text[end + 4:].lstrip("\n")


def read_card(path: str | Path) -> Card:
    """Parse a card; raises ValueError with the problem (bad YAML, no front matter)."""
    path = Path(path)
    front, body = split_front_matter(path.read_text(encoding="utf-8"))
    try:
        meta = yaml.safe_load(front) or {}
    except yaml.YAMLError as err:
        raise ValueError(f"YAML front matter does not parse: {str(err).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        raise ValueError("YAML front matter is not a mapping")
    return Card(path=path, meta=meta, body=body, sections=_sections(body))


def _sections(body: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    current = None
    for line in body.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    return {name: text.strip() for name, text in sections.items()}


def card_problems(card: Card, uid: str) -> list[str]:
    """Everything wrong with a card, one message each (empty when the card is complete)."""
    problems = [f"missing required key {key!r}" for key in REQUIRED_KEYS if not card.meta.get(key)]
    if card.meta.get("uid") and card.meta["uid"] != uid:
        problems.append(f"uid {card.meta['uid']!r} does not match the loader name {uid!r}")
    if card.meta.get("modality") and card.meta["modality"] not in MODALITIES:
        problems.append(f"modality {card.meta['modality']!r} is not one of {', '.join(MODALITIES)}")
    custodian = card.meta.get("custodian")
    if custodian and not (isinstance(custodian, dict) and custodian.get("name")):
        problems.append("custodian must be a mapping with at least a 'name'")
    problems += [f"missing section '## {name}'" for name in REQUIRED_SECTIONS if not card.sections.get(name)]
    if PLACEHOLDER in yaml.safe_dump(card.meta) or PLACEHOLDER in card.body:
        problems.append(f"still has {PLACEHOLDER} placeholders")
    return problems
