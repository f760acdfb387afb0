from pathlib import Path

import pytest

from studyapp.domain.bank import check_bank, read_bank_dir
from studyapp.domain.syllabus import load_syllabus
from studyapp.domain.syllabus_check import check_syllabus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def syllabus():
    return load_syllabus(ROOT / "syllabus")


@pytest.fixture(scope="session")
def bank(syllabus):
    from studyapp.content.services import syllabus_index

    return check_bank(read_bank_dir(ROOT / "question_bank"), syllabus_index(syllabus))


@pytest.fixture(scope="session")
def syllabus_problems(syllabus):
    return check_syllabus(syllabus)
