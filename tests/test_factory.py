"""The factory honours its configuration (flaskr test_factory)."""

from app import create_app
from app.config import Config, TestConfig


def test_testing_flag_follows_config(tmp_path):
    class Prod(Config):
        INSTANCE_DIR = tmp_path
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'p.db'}"
        SECRET_KEY = None

    assert not create_app(Prod).testing
    assert create_app(TestConfig).testing


def test_secret_key_generated_into_instance_and_kept(tmp_path):
    class Prod(Config):
        INSTANCE_DIR = tmp_path
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'p.db'}"
        SECRET_KEY = None

    first = create_app(Prod).config["SECRET_KEY"]
    assert len(first) == 64
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert create_app(Prod).config["SECRET_KEY"] == first


def test_instance_keys_are_written_once_and_kept(tmp_path):
    from app.config import write_once

    first = write_once(tmp_path / "key", b"first")
    second = write_once(tmp_path / "key", b"second")

    assert first == second == b"first"
    assert (tmp_path / "key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["key"]  # no temporary file left
