from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, DateField, EmailField, FloatField, HiddenField, IntegerField, PasswordField, SelectField, StringField,
)
from datetime import date

from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional, Regexp

from studyapp.auth.passwords import acceptable_password
from studyapp.local_time import zone_names
from studyapp.validation import DateWithin, finite, no_control_characters

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address like name@example.org.")


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), EMAIL, Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    remember = BooleanField("Keep me logged in on this device")
    next = HiddenField(validators=[Length(max=500)])


class RegisterForm(FlaskForm):
    display_name = StringField("Name", validators=[DataRequired(), Length(max=80), no_control_characters])
    email = EmailField("Email", validators=[DataRequired(), EMAIL, Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), acceptable_password])
    confirm = PasswordField("Repeat password", validators=[EqualTo("password", message="The passwords do not match.")])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=1000)])
    password = PasswordField("New password", validators=[DataRequired(), acceptable_password])
    confirm = PasswordField("Repeat new password", validators=[EqualTo("password", message="The passwords do not match.")])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), acceptable_password])
    confirm = PasswordField("Repeat new password", validators=[EqualTo("password", message="The passwords do not match.")])


class SettingsForm(FlaskForm):
    exam_date = DateField("Date of your exam", validators=[
        Optional(), DateWithin(date(2000, 1, 1), years_ahead=5, message="Enter a date within the next five years.")])
    desired_retention = FloatField("Target recall (0.75 to 0.97)", validators=[finite, NumberRange(0.75, 0.97)])
    extra_time = BooleanField("I have 25 % extra time in the exam")
    keyboard_shortcuts = BooleanField("Single-key shortcuts on questions (1–4 choose, G guessed, F flag)")
    # Choices are the IANA zones (filled in the view); "" follows the browser.
    time_zone = SelectField("Time zone", choices=[], validate_choice=True)
    daily_budget = IntegerField("Questions a day at most (for the exam-date plan)", validators=[
        Optional(), NumberRange(5, 500, message="Enter a number from 5 to 500, or leave it empty for no limit.")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = [("", "The time zone of this browser")] + [(z, z) for z in sorted(zone_names())]


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired(), Length(max=1000)])


class EmptyForm(FlaskForm):
    """A POST with nothing but a CSRF token (logout, mark as read, ...)."""
