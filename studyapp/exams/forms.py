from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField
from wtforms.validators import NumberRange, Optional


class MockAnswerForm(FlaskForm):
    """Answer, flag, and where to go next; an empty choice keeps the question unanswered."""

    choice = IntegerField(validators=[Optional(), NumberRange(min=0, max=5)])
    flagged = BooleanField("Flag for review")
    go = HiddenField(default="next")
