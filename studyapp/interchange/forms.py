"""Forms of the import page (upload, then preview and confirm) and the export download."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, Form, HiddenField, SelectChoice, SelectField
from wtforms.validators import AnyOf, Length, Optional, Regexp

from studyapp.domain.formats import FORMATS

TOKEN_PATTERN = r"^[A-Za-z0-9_-]{20,64}$"
FORMAT_NAMES = {"gift": "GIFT", "aiken": "Aiken", "moodlexml": "Moodle XML", "csv": "CSV (the template)",
                "yaml": "YAML (our bank)", "apkg": "Anki deck (.apkg)"}
IMPORT_CHOICES = [SelectChoice("", "Tell from the file")] + [SelectChoice(f, FORMAT_NAMES[f]) for f in FORMATS if f != "yaml"]


class UploadForm(FlaskForm):
    file = FileField("Question file", validators=[FileRequired("Choose a file to import.")])
    text_format = SelectField("Format", choices=IMPORT_CHOICES, validators=[Optional()])
    skip_bad = BooleanField("Import the good questions even if some are refused (they are listed)")


class ConfirmForm(FlaskForm):
    """The preview's form: the stored upload's token, the trainer's category -> topic choices, and the action."""

    token = HiddenField(validators=[Regexp(TOKEN_PATTERN)])
    text_format = HiddenField(validators=[Optional(), AnyOf([c.value for c in IMPORT_CHOICES])])
    skip_bad = BooleanField("Import the good questions even if some are refused (they are listed)")
    action = HiddenField(validators=[Optional(), AnyOf(["preview", "import"])])


class ExportForm(Form):
    """The download's query string: a format, and the bank list's filter (validated by BankQueryForm)."""

    format = SelectField("Format", choices=[SelectChoice(f, name) for f, name in FORMAT_NAMES.items()], default="gift",
                         validators=[Length(max=20)])
