"""Exchange lists read as rows (app/services/exchange_views.py) show what the model shows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.demo import load_demo
from app.models import Company, Exchange, User, utcnow
from app.schemas.exchange import exchange_schema
from app.services import timeline
from app.services.exchange_views import ExchangeView, list_exchanges
from app.services.exchanges import visible

ALL = {"limit": 200, "cursor": None}


def _every_view(db, user: User, **args) -> list[ExchangeView]:
    """Every exchange the list gives `user`, page after page."""
    views, cursor = [], None
    while True:
        page = list_exchanges(db.session, user, {**ALL, **args, "cursor": cursor})
        views += page.items
        cursor = page.next_cursor
        if cursor is None:
            return views


def test_every_exchange_of_the_book_dumps_as_the_model_does(db) -> None:
    load_demo(db.session, today=date(2026, 11, 24), password_method="pbkdf2:sha256:1000")
    # A deleted company still names its exchanges, as the model's relation loads it.
    gone = db.session.scalar(select(Company).join(Exchange, Exchange.company_id == Company.id)
                             .order_by(Company.name).limit(1))
    gone.deleted_at = utcnow()
    db.session.commit()
    users = db.session.scalars(select(User).where(User.role.in_(("sales", "manager")))
                               .order_by(User.email).limit(3)).all()
    kinds = {"private": 0, "participants": 0, "deals": 0, "location": 0, "no_contact": 0,
             "deleted_company": 0}
    for user in users:
        views = _every_view(db, user)
        expected = db.session.scalars(visible(user).order_by(Exchange.starts_at.desc(),
                                                             Exchange.id.desc())).unique().all()
        assert [v.id for v in views] == [e.id for e in expected]  # same rows, same order
        for view, model in zip(views, expected, strict=True):
            assert exchange_schema.dump(view) == exchange_schema.dump(model)
            kinds["private"] += view.private
            kinds["participants"] += bool(view.participant_ids)
            kinds["deals"] += bool(view.deal_ids)
            kinds["location"] += view.location is not None
            kinds["no_contact"] += view.contact_id is None
            kinds["deleted_company"] += view.company_id == gone.id
    assert all(kinds.values()), kinds  # the book had every case to compare


def test_filters_and_timelines_give_the_models_rows(db) -> None:
    load_demo(db.session, today=date(2026, 11, 24), password_method="pbkdf2:sha256:1000")
    user = db.session.scalar(select(User).where(User.email == "commercial@demo.tournee.fr"))
    company_id = db.session.scalar(
        select(Exchange.company_id).where(Exchange.company_id.is_not(None))
        .group_by(Exchange.company_id).order_by(func.count().desc()).limit(1))
    mine = _every_view(db, user, mine=True, state="done")
    assert mine and all(v.state == "done" for v in mine)
    assert all(v.created_by_id == user.id or user.id in v.participant_ids for v in mine)
    page = timeline.timeline(db.session, user, "company", company_id, limit=5, cursor=None)
    second = timeline.timeline(db.session, user, "company", company_id, limit=5,
                               cursor=page.next_cursor)
    shown = [*page.items, *second.items]
    assert len(shown) == 10 and len({v.id for v in shown}) == 10
    assert [v.starts_at for v in shown] == sorted((v.starts_at for v in shown), reverse=True)
    assert all(isinstance(v, ExchangeView) for v in shown)
