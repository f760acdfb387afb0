"""One table of broken questions, used to show bank files and the web editor give the same messages."""

import yaml

GOOD_VALUES = {
    "id": "TST-100", "topic": "alpha.first", "level": 1,
    "stem": "Which shape has exactly three straight sides?",
    "options": [
        {"text": "Triangle", "correct": True, "why": "Three sides, three corners."},
        {"text": "Square", "correct": False, "why": "A square has four sides."},
        {"text": "Circle", "correct": False, "why": "A circle has no straight side."},
        {"text": "Hexagon", "correct": False, "why": "A hexagon has six sides."},
    ],
    "explanation": "Count the sides.", "see": "alpha.first#key-idea", "tags": ["definition"],
}


def with_option(number: int, **changes) -> list[dict]:
    options = [dict(o) for o in GOOD_VALUES["options"]]
    options[number].update(changes)
    return options


# (name, changes to GOOD_VALUES, field path, message part)
BROKEN = [
    ("empty why", {"options": with_option(2, why="")}, "options.2.why", "option has an empty rationale (why)"),
    ("empty option text", {"options": with_option(1, text=" ")}, "options.1.text", "option has an empty text"),
    ("no correct option", {"options": with_option(0, correct=False)}, "options", "no option is marked correct"),
    ("two correct options", {"options": with_option(3, correct=True)}, "options", "2 options are marked correct"),
    ("same text twice", {"options": with_option(1, text="Triangle")}, "options", "two options have the same text"),
    ("unknown anchor", {"see": "alpha.first#nowhere"}, "see", "#nowhere, which is not a heading of 'alpha.first'"),
    ("unknown see topic", {"see": "alpha.zzz"}, "see", "see points to unknown topic 'alpha.zzz'"),
    ("empty stem", {"stem": "  "}, "stem", "stem must be non-empty text"),
    ("empty explanation", {"explanation": ""}, "explanation", "explanation must be non-empty text"),
    ("stem too long", {"stem": "Why " * 1200 + "?"}, "stem", "keep it under 4,000"),
]


def as_yaml(values: dict, module: str = "alpha") -> bytes:
    return yaml.safe_dump({"module": module, "questions": [values]}, sort_keys=False).encode()


def as_form(values: dict) -> dict:
    """The editor's field names for the same values."""
    data = {"topic": values["topic"], "see": values.get("see") or "", "level": str(values["level"]),
            "stem": values["stem"], "explanation": values["explanation"], "tags": ", ".join(values.get("tags", [])),
            "correct": next((str(i) for i, o in enumerate(values["options"]) if o.get("correct")), "")}
    for number, option in enumerate(values["options"]):
        data[f"options-{number}-text"], data[f"options-{number}-why"] = option["text"], option["why"]
    return data
