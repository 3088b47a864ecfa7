"""factory_boy factories bound to the test database session."""

from __future__ import annotations

from datetime import UTC, datetime

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.extensions import db
from app.models import Agency, Company, CompanyContact, Contact, Deal, Exchange, Task, User

PASSWORD = "correct-horse-battery"


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class AgencyFactory(Base):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agence {n}")


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.fr")
    name = factory.Sequence(lambda n: f"Commercial {n}")
    role = "sales"
    password_hash = factory.LazyFunction(
        lambda: _hash(PASSWORD))


def _hash(password: str) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method="pbkdf2:sha256:1000")


class CompanyFactory(Base):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Société {n}")
    status = "client"
    city = "Lyon"
    phone = "04 72 00 00 00"


class ContactFactory(Base):
    class Meta:
        model = Contact

    first_name = "Hélène"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    phone = "06 12 34 56 78"


class CompanyContactFactory(Base):
    class Meta:
        model = CompanyContact

    role = "Acheteuse"


class DealFactory(Base):
    class Meta:
        model = Deal

    name = factory.Sequence(lambda n: f"Affaire {n}")
    company = factory.SubFactory(CompanyFactory)
    stage = "proposal"
    probability = 50


class ExchangeFactory(Base):
    class Meta:
        model = Exchange

    kind = "call"
    state = "done"
    subject = "Relance devis"
    starts_at = factory.Sequence(lambda n: datetime(2026, 1, 1, 9, tzinfo=UTC).replace(
        minute=n % 60, second=(n // 60) % 60))
    created_by = factory.SubFactory(UserFactory)


class TaskFactory(Base):
    """A task; give it assignee_id and created_by_id."""

    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Tâche {n}")


def assert_error(response, status: int, code: str | None = None) -> dict:
    """Check the one error shape (and its status and code); return the `error` object."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.get_data(as_text=True)
    body = response.get_json()
    error = body["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert set(body) <= {"error", "current"}
    assert set(error) <= {"code", "message", "fields"}
    if code is not None:
        assert error["code"] == code, error
    return error
