from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField
from wtforms.validators import NumberRange, Optional, Regexp


class MockAnswerForm(FlaskForm):
    """Answer, flag, and where to go next; an empty choice keeps the question unanswered."""

    choice = IntegerField(validators=[Optional(), NumberRange(min=0, max=5)])
    flagged = BooleanField("Flag for review")
    # next, previous, review or a question number; [0-9], since \d and str.isdigit() accept "²".
    go = HiddenField(default="next", validators=[Regexp(r"^(next|previous|review|[0-9]{1,4})$")])
