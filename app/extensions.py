"""Extensions, created unbound and bound in create_app()."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sock import Sock
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from app.job_queue import Jobs

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# Objects stay loaded after commit: views serialise what they just wrote without re-reading it.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
# Flask-Login's protection hashes the client's address and browser into the cookie and, when
# they change, marks the session not fresh ("basic") or drops it ("strong"). A session here
# is a server-side record (app/services/sessions.py), ended at logout, on a password change
# or a deactivation; nothing asks for freshness, and a phone changes address whenever it
# moves between networks. The hash cost a SHA-512 per request and 130 bytes of cookie.
login_manager.session_protection = None
sock = Sock()
jobs = Jobs()
