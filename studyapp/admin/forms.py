from flask_wtf import FlaskForm
from wtforms import SelectField, SelectChoice

from studyapp.models import Role


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(r.value, r.value.title()) for r in Role])
