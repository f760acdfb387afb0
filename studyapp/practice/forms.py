from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired, InputRequired, Optional

from studyapp.domain.practice import KINDS


class StartForm(FlaskForm):
    kind = SelectField("Practise", choices=[SelectChoice(k, label) for k, label in KINDS.items()],
                       validators=[DataRequired()])
    scope = HiddenField()
    module = SelectField("Module", choices=[], validate_choice=False, validators=[Optional()])
    topic = SelectField("Topic", choices=[], validate_choice=False, validators=[Optional()])


class AnswerForm(FlaskForm):
    choice = RadioField("Your answer", coerce=int, validators=[InputRequired(message="Choose an answer first.")])
    guessed = BooleanField("I guessed")
    question_id = HiddenField(validators=[DataRequired()])
    elapsed_ms = IntegerField(validators=[Optional()])
