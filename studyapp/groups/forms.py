"""Forms of groups: a group's settings, join codes, the class list, extra time, the report's order."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, Form, PasswordField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, Optional

from studyapp.auth.forms import RegisterForm
from studyapp.auth.passwords import acceptable_password
from studyapp.validation import DateWithin, no_control_characters


class GroupForm(FlaskForm):
    name = StringField("Group name", validators=[DataRequired(), Length(max=80), no_control_characters])
    exam_date = DateField("Exam date", validators=[
        Optional(), DateWithin(date(2000, 1, 1), years_ahead=5, message="Enter a date within the next five years.")])
    default_extra_time = BooleanField("Grant 25 % extra time to learners who join")


class JoinCodeForm(FlaskForm):
    code = StringField("Join code", validators=[DataRequired(), Length(max=30), no_control_characters])


class JoinRegisterForm(RegisterForm):
    """Signing up on the way into a group (not limited per address: the link is the key)."""


class InviteForm(FlaskForm):
    action = StringField(validators=[DataRequired(), AnyOf(["renew", "off"])])


class ExtraTimeForm(FlaskForm):
    granted = BooleanField("25 % extra time")


class RosterForm(FlaskForm):
    # 20,000 characters (the request guard's limit on a field) is about 400 learners.
    roster = TextAreaField("Learners, one per line: email,name", validators=[
        DataRequired(), Length(max=20_000), no_control_characters])


class SetPasswordForm(FlaskForm):
    password = PasswordField("Choose a password", validators=[DataRequired(), acceptable_password])
    confirm = PasswordField("Repeat password", validators=[EqualTo("password", message="The passwords do not match.")])


class ReportQueryForm(Form):
    """The report's query string; an unknown order is a 400, not a guess."""

    sort = StringField(validators=[Optional(), Length(max=120)])
    dir = SelectField(choices=[SelectChoice("asc", "ascending"), SelectChoice("desc", "descending")], default="asc", validators=[Optional()])

    def sort_key(self, topic_ids: set[str]) -> str | None:
        value = self.sort.data or "name"
        if value in ("name", "readiness") or (value.startswith("topic:") and value[6:] in topic_ids):
            return value
        return None
