"""Forms of the trainer's bank: the list's query string and the question editor.

The editor's fields carry only types and lengths; the rules of a good question are
the bank files' own and run in services.check, whose problems land beside the
field they name."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, FieldList, Form, FormField, HiddenField, IntegerField, RadioField, SelectChoice, SelectField,
    StringField, TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from studyapp.analytics.stats import FLAG_NAMES
from studyapp.authoring.bank_query import SORTS, BankQuery
from studyapp.domain.question_rules import MAX_LENGTHS, MAX_OPTIONS, STATUSES

OPTION_COUNT = 4


def _no_control_characters(form, field):
    if field.data and any(ord(c) < 32 and c not in "\r\n\t" for c in field.data):
        raise ValidationError("Remove the control characters from this text.")


class BankQueryForm(Form):
    """The bank list's URL parameters; anything out of range is a 400, not a guess."""

    q = StringField(validators=[Optional(), Length(max=200), _no_control_characters])
    module = SelectField(choices=[], validate_choice=True, validators=[Optional()])
    topic = SelectField(choices=[], validate_choice=True, validators=[Optional()])
    level = SelectField(choices=[SelectChoice("", "any level"), SelectChoice("1", "1 know"), SelectChoice("2", "2 understand")],
                        validators=[Optional()])
    status = SelectField(choices=[SelectChoice("", "any status")] + [SelectChoice(s, s) for s in STATUSES],
                         validators=[Optional()])
    tag = StringField(validators=[Optional(), Length(max=40), Regexp(r"^[\w-]*$")])
    attention = BooleanField("Needs attention")
    flag = SelectField("Flag", choices=[SelectChoice("", "any flag")] + [SelectChoice(k, v) for k, v in FLAG_NAMES.items()],
                       validators=[Optional()])
    sort = SelectField("Sort by", choices=[SelectChoice(k, label) for k, label in SORTS.items()], default="id",
                       validators=[Optional()])
    dir = SelectField("Order", choices=[SelectChoice("asc", "ascending"), SelectChoice("desc", "descending")],
                      default="asc", validators=[Optional()])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1, max=10_000)])

    def to_query(self) -> BankQuery:
        return BankQuery(q=(self.q.data or "").strip(), module=self.module.data or "", topic=self.topic.data or "",
                         level=int(self.level.data) if self.level.data else None, status=self.status.data or "",
                         tag=(self.tag.data or "").strip(), attention=bool(self.attention.data), flag=self.flag.data or "",
                         sort=self.sort.data or "id", descending=self.dir.data == "desc", page=self.page.data or 1)


class OptionForm(Form):
    text = TextAreaField("Option text", validators=[Length(max=MAX_LENGTHS["text"]), _no_control_characters])
    why = TextAreaField("Why", validators=[Length(max=MAX_LENGTHS["why"]), _no_control_characters])


class QuestionForm(FlaskForm):
    topic = SelectField("Topic", choices=[], validators=[InputRequired()])
    see = SelectField("Syllabus section", choices=[], validate_choice=False,
                      validators=[Optional(), Length(max=MAX_LENGTHS["see"])])
    level = RadioField("Level", choices=[SelectChoice("1", "1 — know"), SelectChoice("2", "2 — understand")], default="1",
                       validators=[InputRequired(), AnyOf(["1", "2"])])
    stem = TextAreaField("Question (stem)", validators=[Length(max=MAX_LENGTHS["stem"]), _no_control_characters])
    options = FieldList(FormField(OptionForm), min_entries=OPTION_COUNT, max_entries=MAX_OPTIONS)
    correct = RadioField("Correct option", choices=[], validate_choice=False, validators=[Optional()])
    explanation = TextAreaField("Explanation", validators=[Length(max=MAX_LENGTHS["explanation"]),
                                                           _no_control_characters])
    tags = StringField("Tags", description="Words separated by commas, e.g. definition, scenario",
                       validators=[Optional(), Length(max=400), Regexp(r"^[\w\s,-]*$", message="Tags are words.")])
    base_version = HiddenField()
    reserved_id = HiddenField(validators=[Optional(), Length(max=20)])

    def content(self) -> dict:
        """The values as a version's content dict (what check_question and store_version take)."""
        correct = self.correct.data
        return {
            "topic": self.topic.data, "level": int(self.level.data) if self.level.data in ("1", "2") else None,
            "stem": (self.stem.data or "").strip(),
            "options": [{"text": (o.text.data or "").strip(), "correct": str(i) == correct, "why": (o.why.data or "").strip()}
                        for i, o in enumerate(self.options)],
            "explanation": (self.explanation.data or "").strip(), "see": self.see.data or None,
            "tags": [t.strip() for t in (self.tags.data or "").split(",") if t.strip()],
        }

    def fill(self, content: dict) -> None:
        """Load a version's content into an empty form (GET of the editor)."""
        self.topic.data, self.see.data, self.level.data = content["topic"], content["see"] or "", str(content["level"])
        self.stem.data, self.explanation.data = content["stem"], content["explanation"]
        self.tags.data = ", ".join(content["tags"])
        while len(self.options) < len(content["options"]):
            self.options.append_entry()
        for entry, option in zip(self.options, content["options"]):
            entry.text.data, entry.why.data = option["text"], option["why"]
        self.correct.data = next((str(i) for i, o in enumerate(content["options"]) if o["correct"]), None)

    def show_warnings(self, warnings) -> None:
        """Item-writing warnings go beside their field too, as warnings (they do not stop a save)."""
        for warning in warnings:
            field = self._field_for(warning.field)
            field.warnings = [*getattr(field, "warnings", []), warning.message]

    def show_problems(self, problems) -> None:
        """Put each rule's message beside the field it names ("options.2.why" -> option 3's why)."""
        for problem in problems:
            field = self._field_for(problem.field)
            field.errors = [*field.errors, problem.message]

    def _field_for(self, path: str):
        parts = path.split(".")
        if parts[0] == "options" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(self.options):
            entry = self.options[int(parts[1])]
            return getattr(entry.form, parts[2]) if len(parts) == 3 and hasattr(entry.form, parts[2]) else entry.text
        if parts[0] == "options":
            return self.correct
        return getattr(self, parts[0], None) if parts[0] in ("topic", "see", "level", "stem", "explanation", "tags") else self.stem
