"""The benchmark corpus: the demo articles copied with distinct ids, mixed with generated
off-topic news, written as Markdown files with front matter that the ingester reads as it
reads any article.

Most news is out of scope for watchfloor, so off-topic articles are the majority (80% by
default): a benchmark of on-topic articles only would hide what a sentence gate could save.
A document's id is the hash of its text, so every copy of a demo article gets one neutral
closing sentence of its own (an archive note); copy 0 is the article unchanged. Off-topic
articles are written from the templates and word lists in ``offtopic.yaml`` with a seeded
generator, 300 to 800 words each: the same seed gives the same corpus, byte for byte.

Run ``python -m bench.corpus OUT --articles N`` to write a corpus without timing anything.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "corpus" / "demo"
TEMPLATES = Path(__file__).with_name("offtopic.yaml")

DEFAULT_ARTICLES = 5000
DEFAULT_OFF_TOPIC_SHARE = 0.8
DEFAULT_SEED = 20240601
MIN_WORDS, MAX_WORDS = 300, 800
# Share of sentences after the lead taken from the background sentences every topic shares.
BACKGROUND_SHARE = 0.15
SMALL_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Off-topic articles are dated over the span the demo corpus covers.
FIRST_DAY, LAST_DAY = datetime(2016, 1, 1), datetime(2023, 12, 31)
# Editions named in the archive note of a copied demo article.
EDITIONS = ("morning", "evening", "weekend", "Asia", "Europe", "Americas", "digital")

_URL_LINE = re.compile(r"^url:\s*(?P<url>\S+)\s*$", re.M)
_FRONT_END = re.compile(r"\A---\n.*?\n---\n", re.S)


@dataclass(frozen=True, slots=True)
class CorpusSpec:
    """What to generate. ``off_topic_share`` is rounded to whole articles."""

    articles: int = DEFAULT_ARTICLES
    off_topic_share: float = DEFAULT_OFF_TOPIC_SHARE
    seed: int = DEFAULT_SEED
    demo_dir: Path = DEMO_DIR

    def counts(self) -> tuple[int, int]:
        """(on-topic, off-topic) article counts."""
        off = round(self.articles * self.off_topic_share)
        return self.articles - off, off


@dataclass(frozen=True, slots=True)
class CorpusInfo:
    """What was written, for the results file."""

    folder: Path
    articles: int
    on_topic: int
    off_topic: int
    seed: int
    demo_articles: int
    topics: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "articles": self.articles,
            "on_topic": self.on_topic,
            "off_topic": self.off_topic,
            "off_topic_share": self.off_topic / self.articles if self.articles else None,
            "seed": self.seed,
            "demo_articles": self.demo_articles,
            "off_topic_by_topic": dict(sorted(self.topics.items())),
        }


# -- templates ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    body: tuple[str, ...]
    quotes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Templates:
    """offtopic.yaml, read once."""

    words: Mapping[str, tuple[str, ...]]
    article_slots: tuple[str, ...]
    generic: tuple[str, ...]
    topics: tuple[Topic, ...]

    @classmethod
    def load(cls, path: Path = TEMPLATES) -> Templates:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        parts = ("titles", "leads", "body", "quotes")
        topics = tuple(
            Topic(name, *(tuple(str(s) for s in t[k]) for k in parts))
            for name, t in data["topics"].items()
        )
        return cls(
            words={k: tuple(str(w) for w in v) for k, v in data["words"].items()},
            article_slots=tuple(data["article_slots"]),
            generic=tuple(data["generic"]),
            topics=topics,
        )


def _pair(t: Templates, rng: random.Random, first: str, second: str) -> str:
    """A two-word name: a person, a team ("Leeds Falcons") or a company ("Corvane Foods")."""
    return f"{rng.choice(t.words[first])} {rng.choice(t.words[second])}"


def _money(rng: random.Random) -> str:
    if rng.random() < 0.85:
        return f"${rng.randint(12, 990) / 10:.1f} million"
    return f"${rng.randint(11, 99) / 10:.1f} billion"


def _count(rng: random.Random) -> str:
    return f"{rng.randint(12, 900) * 100:,}"


# How each slot is drawn; the slots in PICKS are drawn from the word list of their name.
Draw = Callable[[Templates, random.Random], str]
DRAWS: dict[str, Draw] = {
    "person": lambda t, r: _pair(t, r, "first", "last"),
    "person2": lambda t, r: _pair(t, r, "first", "last"),
    "coach": lambda t, r: _pair(t, r, "first", "last"),
    "coach2": lambda t, r: _pair(t, r, "first", "last"),
    "team": lambda t, r: _pair(t, r, "city", "mascot"),
    "rival": lambda t, r: _pair(t, r, "city", "mascot"),
    "company": lambda t, r: _pair(t, r, "company_head", "company_tail"),
    "s1": lambda t, r: str(r.randint(2, 4)),
    "s2": lambda t, r: str(r.randint(0, 1)),
    "n": lambda t, r: str(r.randint(5, 30)),
    # Spelled out, as news style writes numbers under ten.
    "small": lambda t, r: SMALL_NUMBERS[r.randint(2, 9)],
    "minutes": lambda t, r: str(r.randint(10, 45)),
    "minute": lambda t, r: str(r.randint(11, 89)),
    "pct": lambda t, r: str(r.randint(2, 45)),
    "small_pct": lambda t, r: f"{r.randint(1, 19) / 10:.1f}",
    "money": lambda t, r: _money(r),
    "money2": lambda t, r: _money(r),
    "crowd": lambda t, r: _count(r),
    "crowd_small": lambda t, r: str(r.randint(60, 400)),
    "temp": lambda t, r: str(r.randint(31, 41)),
    "low": lambda t, r: str(r.randint(6, 18)),
    "mm": lambda t, r: str(r.randint(40, 120)),
    "wind": lambda t, r: str(r.randint(60, 110)),
    "decade": lambda t, r: str(r.randint(20, 50)),
    "year": lambda t, r: str(r.randint(1965, 2005)),
    "price": lambda t, r: str(r.randint(199, 1299)),
    "gold": lambda t, r: f"{r.randint(1200, 2000):,}",
}
PICKS = {"city", "region", "bank", "fund", "product", "org", "weekday", "month", "ordinal"}


class _Slots(dict[str, str]):
    """Slot values for one sentence: the article's fixed ones, and fresh draws for the rest
    (cached, so a slot named twice in one sentence has one value)."""

    def __init__(self, templates: Templates, rng: random.Random, fixed: Mapping[str, str]):
        super().__init__(fixed)
        self._t = templates
        self._rng = rng

    def __missing__(self, key: str) -> str:
        value = (
            self._rng.choice(self._t.words[key]) if key in PICKS else DRAWS[key](self._t, self._rng)
        )
        self[key] = value
        return value


# -- off-topic articles ------------------------------------------------------------------


def off_topic_article(templates: Templates, topic: Topic, rng: random.Random, index: int) -> str:
    """One generated article as Markdown with front matter, MIN_WORDS to MAX_WORDS long."""
    slots = _Slots(templates, rng, {})
    fixed = {key: slots[key] for key in templates.article_slots}
    while fixed["rival"] == fixed["team"]:  # a team does not play itself
        fixed["rival"] = DRAWS["rival"](templates, rng)

    def fill(template: str) -> str:
        return template.format_map(_Slots(templates, rng, fixed))

    # Title i and lead i tell the same story; a topic may have more titles than leads.
    story = rng.randrange(min(len(topic.titles), len(topic.leads)))
    title = fill(topic.titles[story])
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    sentences = _sentences(templates, topic, rng, fill, topic.leads[story], target)
    paragraphs = _paragraphs(sentences, rng)
    outlet = rng.choice(templates.words["outlet"])
    if rng.random() < 0.6:  # a wire dateline on most stories, as the demo corpus has
        paragraphs[0] = f"{fixed['city'].upper()} ({outlet}) - {paragraphs[0]}"
    published = FIRST_DAY + timedelta(
        seconds=rng.randint(0, int((LAST_DAY - FIRST_DAY).total_seconds()))
    )
    front = {
        "title": title,
        "published": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "outlet": outlet,
        "url": f"https://bench.watchfloor.invalid/{topic.name}/{index:06d}",
    }
    # JSON strings are YAML scalars: titles with colons or quotes stay valid front matter.
    head = "\n".join(f"{k}: {json.dumps(v)}" for k, v in front.items())
    return f"---\n{head}\n---\n" + "\n\n".join(paragraphs) + "\n"


def _sentences(
    templates: Templates,
    topic: Topic,
    rng: random.Random,
    fill: Callable[[str], str],
    lead: str,
    target_words: int,
) -> list[str]:
    """The lead, then the topic's body and quote sentences in a shuffled order with a few
    background sentences among them, up to the target length (never below MIN_WORDS). No
    template is used twice in one article (a story that says the same thing twice reads as
    generated), so a long target may stop short when a topic's templates run out."""
    out = [fill(lead)]
    words = len(out[0].split())
    topical = [*topic.body, *topic.quotes]
    background = list(templates.generic)
    rng.shuffle(topical)
    rng.shuffle(background)
    while topical or background:
        use_background = not topical or (bool(background) and rng.random() < BACKGROUND_SHARE)
        sentence = fill((background if use_background else topical).pop())
        length = len(sentence.split())
        if words >= MIN_WORDS and words + length > target_words:
            break
        out.append(sentence)
        words += length
    return out


def _paragraphs(sentences: Sequence[str], rng: random.Random) -> list[str]:
    """News paragraphs: the lead alone, then one to three sentences each."""
    paragraphs = [sentences[0]]
    i = 1
    while i < len(sentences):
        size = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[i : i + size]))
        i += size
    return paragraphs


# -- copies of the demo articles ---------------------------------------------------------


def demo_copy(text: str, copy: int) -> str:
    """Copy ``copy`` of a demo article: copy 0 unchanged, every later one with a closing
    archive note naming its own number (so its text, and hence its id, differ) and its own
    URL."""
    if copy == 0:
        return text
    edition = EDITIONS[copy % len(EDITIONS)]
    note = f"This report also ran in the {edition} edition, archive number {100000 + copy}."
    text = _URL_LINE.sub(lambda m: f"url: {m['url']}?copy={copy}", text, count=1)
    return text.rstrip("\n") + "\n\n" + note + "\n"


def demo_articles(demo_dir: Path) -> list[tuple[str, str]]:
    """(file stem, text) of every demo article, in name order."""
    files = sorted(p for p in demo_dir.glob("*.md") if _FRONT_END.match(p.read_text("utf-8")))
    if not files:
        raise SystemExit(f"no demo articles (*.md with front matter) in {demo_dir}")
    return [(p.stem, p.read_text(encoding="utf-8")) for p in files]


# -- the corpus --------------------------------------------------------------------------


def plan(spec: CorpusSpec) -> list[bool]:
    """Whether each article, in file order, is on-topic: shuffled, so that any leading
    slice of the corpus (the profile's subset) has the same mix."""
    on, off = spec.counts()
    kinds = [True] * on + [False] * off
    random.Random(f"{spec.seed}:plan").shuffle(kinds)
    return kinds


def generate(folder: Path, spec: CorpusSpec) -> CorpusInfo:
    """Write the corpus into ``folder`` (created; must hold no .md files yet)."""
    if spec.articles < 1 or not 0.0 <= spec.off_topic_share <= 1.0:
        raise SystemExit("--articles must be at least 1 and the off-topic share in [0, 1]")
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.glob("*.md")):
        raise SystemExit(f"{folder} already holds articles; give an empty folder")
    templates = Templates.load()
    demos = demo_articles(spec.demo_dir)
    on_seen = 0
    topics: dict[str, int] = {}
    for index, on_topic in enumerate(plan(spec)):
        if on_topic:
            stem, text = demos[on_seen % len(demos)]
            copy = on_seen // len(demos)
            on_seen += 1
            name, body = f"{index:06d}-demo-{stem}-c{copy}.md", demo_copy(text, copy)
        else:
            # One generator per article, seeded by (seed, index): an article depends on those
            # two alone, not on how many random draws the articles before it took.
            rng = random.Random(f"{spec.seed}:{index}")
            topic = rng.choice(templates.topics)
            topics[topic.name] = topics.get(topic.name, 0) + 1
            name = f"{index:06d}-{topic.name}.md"
            body = off_topic_article(templates, topic, rng, index)
        (folder / name).write_text(body, encoding="utf-8")
    on, off = spec.counts()
    return CorpusInfo(folder, spec.articles, on, off, spec.seed, len(demos), topics)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("folder", type=Path, help="an empty folder to write the articles into")
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--off-topic-share", type=float, default=DEFAULT_OFF_TOPIC_SHARE)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    info = generate(args.folder, CorpusSpec(args.articles, args.off_topic_share, args.seed))
    print(json.dumps(info.to_dict(), indent=2))


if __name__ == "__main__":
    main()
