from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, HiddenField, IntegerField, RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from studyapp.domain.practice import KINDS


class StartForm(FlaskForm):
    kind = SelectField("Practise", choices=[SelectChoice(k, label) for k, label in KINDS.items()],
                       validators=[DataRequired()])
    scope = HiddenField(validators=[Length(max=100)])
    module = SelectField("Module", choices=[], validate_choice=False, validators=[Optional(), Length(max=100)])
    topic = SelectField("Topic", choices=[], validate_choice=False, validators=[Optional(), Length(max=100)])


class AnswerForm(Form):
    """An answer as posted (AnswerForm(request.form)). A plain WTForms form, not a FlaskForm:
    CSRFProtect has already refused a POST without a valid token before any view runs, and
    checking the token a second time here (and signing a new one) cost a tenth of a submit;
    FlaskForm's wrapping of the request added another 1%."""

    choice = RadioField("Your answer", coerce=int, validators=[InputRequired(message="Choose an answer first.")])
    guessed = BooleanField("I guessed")
    question_id = HiddenField(validators=[DataRequired(), Length(max=20)])
    # Time on the question as the page measured it; a day is already far past any real answer.
    elapsed_ms = IntegerField(validators=[Optional(), NumberRange(min=0, max=86_400_000)])
