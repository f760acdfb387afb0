"""An Anki deck (.apkg) of the bank, for learners who want it on their phone (genanki).

Each note's GUID is genanki.guid_for(question id), so importing an updated deck
updates the cards instead of adding copies. Front: the stem and the lettered options.
Back: the answer, every option's why, and the explanation. Texts are rendered by
render.py (Markdown, then the sanitizer), like everywhere else."""

import html
import os
import tempfile

import genanki

from studyapp.domain.render import render_markdown

# Fixed ids: Anki recognises the note type and deck across exports (random once, never changed).
MODEL_ID = 1_607_392_319
DECK_ID = 2_059_400_110
MODEL = genanki.Model(
    MODEL_ID, "studyapp MoP question",
    fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Id"}],
    templates=[{"name": "Card 1", "qfmt": "{{Question}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}'}],
    css=".card { font-family: sans-serif; font-size: 18px; text-align: left; } .key { font-weight: bold; }",
)


_BREAK = "studyappfieldbreak"


def _rendered(texts: list[str]) -> list[str]:
    """Each text as safe HTML. One render for the whole question (a Markdown instance costs
    milliseconds to build); per text only if a text's Markdown ran into the next one."""
    parts = render_markdown(f"\n\n{_BREAK}\n\n".join(texts)).html.split(f"<p>{_BREAK}</p>")
    if len(parts) != len(texts):
        return [render_markdown(text).html for text in texts]
    return [part.strip() for part in parts]


def note_fields(spec) -> list[str]:
    """(front, back, id) of one question as HTML."""
    letters = "ABCDEF"
    stem, explanation, *rest = _rendered([spec.stem, spec.explanation] + [t for o in spec.options for t in (o.text, o.why)])
    texts, whys = rest[0::2], rest[1::2]
    options = "".join(f"<li>{letters[n]}. {text}</li>" for n, text in enumerate(texts))
    front = f"{stem}<ol class=\"options\" type=\"A\">{options}</ol>"
    key = next(n for n, o in enumerate(spec.options) if o.correct)
    reasons = "".join(f"<li><strong>{letters[n]}</strong>{' (correct)' if n == key else ''}: {why}</li>"
                      for n, why in enumerate(whys) if spec.options[n].why)
    back = f"<p class=\"key\">Answer: {letters[key]}</p><ul>{reasons}</ul>{explanation}"
    return [front, back, html.escape(spec.id)]


def write(specs, deck_name: str = "MoP Foundation (studyapp)", timestamp: float = 0.0) -> bytes:
    """The .apkg bytes of a deck holding one note per question."""
    deck = genanki.Deck(DECK_ID, deck_name)
    for spec in specs:
        tags = [tag.replace(" ", "_") for tag in (*spec.tags, spec.module)]
        deck.add_note(genanki.Note(model=MODEL, fields=note_fields(spec), guid=genanki.guid_for(spec.id), tags=tags))
    # genanki builds the collection in a temporary SQLite file; the zip goes to memory.
    handle, path = tempfile.mkstemp(suffix=".apkg")
    os.close(handle)
    try:
        genanki.Package(deck).write_to_file(path, timestamp=timestamp or None)
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)
