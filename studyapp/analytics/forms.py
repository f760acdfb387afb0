"""Forms of item analysis: a learner's problem report, resolving reports, correcting a key."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, ValidationError

from studyapp.analytics.services import REASONS
from studyapp.validation import no_control_characters

ID_RANGE = NumberRange(min=1, max=2**31 - 1)


class ReportForm(FlaskForm):
    kind = SelectField(choices=[SelectChoice("practice", "practice"), SelectChoice("mock", "mock")],
                       validators=[InputRequired()])
    item = IntegerField(validators=[InputRequired(), ID_RANGE])
    reason = RadioField("What is wrong?", choices=[SelectChoice(k, v) for k, v in REASONS.items()],
                        validators=[InputRequired(message="Choose what is wrong with the question.")])
    text = TextAreaField("Tell us more (optional)", validators=[Optional(), Length(max=1000), no_control_characters])


class ResolveForm(FlaskForm):
    action = SelectField(choices=[SelectChoice("fixed", "fixed"), SelectChoice("dismissed", "dismissed")],
                         validators=[InputRequired(), AnyOf(["fixed", "dismissed"])])
    note = TextAreaField("Note to the learners", validators=[Length(max=500), no_control_characters])

    def validate_note(self, field):
        if self.action.data == "dismissed" and not (field.data or "").strip():
            raise ValidationError("Say why the reports are dismissed: the learners will read it.")


class RegradeForm(FlaskForm):
    version = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=100_000)])
    right = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=9)])
