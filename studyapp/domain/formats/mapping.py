"""Which syllabus topic an imported question belongs to.

In order: a mapping the trainer gives (keyed by a whole category, its last part, or
`tag:<tag>`), a category whose last part is a topic id (what our own exports write),
then a CSV `topic` column naming a topic. A question none of these places has no
topic and is listed as waiting for one."""

import yaml

from studyapp.domain.formats.common import ImportedQuestion
from studyapp.domain.problems import Problem
from studyapp.domain.question_rules import SyllabusIndex

MAX_MAPPING_BYTES = 100_000


def category_keys(question: ImportedQuestion) -> list[str]:
    """The keys a mapping may use for this question, most specific first."""
    keys = []
    if question.category:
        keys += [question.category, question.category.rstrip("/").rsplit("/", 1)[-1].strip()]
    keys += [f"tag:{tag}" for tag in question.values.get("tags", [])]
    return [key for key in dict.fromkeys(keys) if key]


def resolve_topic(question: ImportedQuestion, mapping: dict[str, str], index: SyllabusIndex) -> str | None:
    """The topic id for `question`, or None if nothing names one."""
    for key in category_keys(question):
        if key in mapping and mapping[key] in index.topic_modules:
            return mapping[key]
    for key in category_keys(question)[:2]:
        if key in index.topic_modules:
            return key
    topic = question.values.get("topic")
    return topic if topic in index.topic_modules else None


def read_mapping(name: str, text: str, index: SyllabusIndex) -> tuple[dict[str, str], list[Problem]]:
    """A mapping file: YAML, one `category: topic-id` (or `tag:word: topic-id`) a line."""
    if len(text) > MAX_MAPPING_BYTES:
        return {}, [Problem(name, 1, f"a mapping file may hold at most {MAX_MAPPING_BYTES:,} characters")]
    try:
        loaded = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return {}, [Problem(name, mark.line + 1 if mark else 1, f"the mapping is not valid YAML: {error}")]
    if not isinstance(loaded, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()):
        return {}, [Problem(name, 1, "a mapping file holds lines `category: topic-id`")]
    problems = [Problem(name, 1, f"{key!r} maps to unknown topic {topic!r}")
                for key, topic in loaded.items() if topic not in index.topic_modules]
    return ({} if problems else loaded), problems
