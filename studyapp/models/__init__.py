"""All models, imported here so Alembic and create_all see every table."""

from studyapp.models.base import Base, utcnow
from studyapp.models.exams import MockExam, MockItem
from studyapp.models.content import GlossaryTerm, Module, Page, Question, QuestionVersion, Topic
from studyapp.models.progress import Answer, Card, PracticeSession, SessionItem, TopicRead
from studyapp.models.users import Role, User

__all__ = [
    "Answer", "Base", "Card", "GlossaryTerm", "MockExam", "MockItem", "Module", "Page", "PracticeSession",
    "Question", "QuestionVersion", "Role", "SessionItem", "Topic", "TopicRead", "User",
    "utcnow",
]
