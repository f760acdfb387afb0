"""All models, imported here so Alembic and create_all see every table."""

from studyapp.models.base import Base, utcnow
from studyapp.models.analytics import ItemStat, ProblemReport, Regrade, StatsRun
from studyapp.models.cohorts import (
    Group, GroupInvite, Membership, SetPasswordToken, exam_date_for, extra_time_granted, group_exam_date,
    group_exam_date_statement, learner_groups, nearest_exam_date,
)
from studyapp.models.exams import MockExam, MockItem
from studyapp.models.content import AuditEntry, ContentState, GlossaryTerm, Module, Page, Question, QuestionVersion, Status, Topic
from studyapp.models.progress import (
    Answer, Card, LearnerTally, PracticeSession, SessionItem, TopicRead, count_answers,
)
from studyapp.models.users import LoginThrottle, PasswordReset, Role, User

__all__ = [
    "Answer", "AuditEntry", "Base", "ItemStat", "ProblemReport", "Regrade", "StatsRun", "ContentState", "Card", "GlossaryTerm", "Group", "GroupInvite", "Membership", "SetPasswordToken", "LearnerTally", "LoginThrottle", "MockExam", "MockItem", "Module", "Page", "PasswordReset", "PracticeSession",
    "Question", "QuestionVersion", "Role", "SessionItem", "Status", "Topic", "TopicRead", "User",
    "count_answers", "exam_date_for", "extra_time_granted", "nearest_exam_date", "group_exam_date",
    "group_exam_date_statement", "learner_groups", "utcnow",
]
