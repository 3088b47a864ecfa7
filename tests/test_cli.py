"""The `tournee` commands."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import Company, User
from app.services.users import authenticate


def test_create_user_then_log_in(runner, db):
    result = runner.invoke(args=["create-user", "--email", "Lea@Example.fr", "--name", "Léa",
                                 "--role", "manager"], input="a-long-password\na-long-password\n")
    assert result.exit_code == 0, result.output
    user = authenticate(db.session, "lea@example.fr", "a-long-password")
    assert user is not None and user.role == "manager"


def test_create_user_refuses_short_password_and_duplicate(runner, db):
    short = runner.invoke(args=["create-user", "--email", "a@b.fr", "--name", "A"],
                          input="short\nshort\n")
    assert short.exit_code != 0 and "10 characters" in short.output
    ok = ["create-user", "--email", "a@b.fr", "--name", "A"]
    assert runner.invoke(args=ok, input="long-enough-1\nlong-enough-1\n").exit_code == 0
    again = runner.invoke(args=ok, input="long-enough-1\nlong-enough-1\n")
    assert again.exit_code != 0 and "already used" in again.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_demo_refuses_a_base_with_data(runner, db):
    from flask_migrate import stamp

    from tests.factories import CompanyFactory

    stamp()  # the fixture built the schema with create_all(); tell Alembic it is current
    CompanyFactory()
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0 and "--reset" in result.output
    assert db.session.scalar(select(func.count()).select_from(Company)) == 1
