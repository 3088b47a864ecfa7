"""Two edits of one record by two processes at once: the later one made against the version
the earlier one replaced is a conflict, never a silent overwrite.

PostgreSQL only: there each statement sees what committed before it, so a request that read a
deal, then saw another request's edit of it commit, used to pass the version check with what
it had read and overwrite that edit (both answered 200 with the same version). On SQLite a
write request holds the write lock from BEGIN, so the second edit cannot commit in between.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.orm import Session

from app.models import Deal
from app.models.events import writing
from app.services import deals, records
from app.services.errors import Conflict
from tests.databases import ON_POSTGRES
from tests.factories import DealFactory

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="SQLite serialises write requests")


@pytest.fixture()
def deal_id(app, db):
    deal = DealFactory(notes="before", amount="100.00")
    db.session.commit()
    db.session.expunge_all()
    return deal.id


def edit_elsewhere(app, db, user, deal_id, data: dict, version: int) -> tuple[threading.Thread,
                                                                              list]:
    """Another request, in another thread (another process, as far as the database knows):
    its own session and connection. Returns the thread and where its outcome goes."""
    outcome: list = []

    def run() -> None:
        with app.app_context(), Session(db.engine) as other, writing():
            try:
                deals.update_deal(other, other.merge(user, load=False), deal_id, data, version)
                other.commit()
                outcome.append("saved")
            except Conflict:
                outcome.append("conflict")

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_of_two_edits_of_one_version_one_is_a_conflict(app, db, people, deal_id):
    with writing():
        seen = records.get_live(db.session, Deal, deal_id)  # this request has read version 1
        assert seen.version == 1
        # Alice's edit of version 1 commits now, or waits for this transaction (if writes
        # take turns from their start): either way one of the two edits must be refused.
        alice, alices = edit_elsewhere(app, db, people.a, deal_id, {"notes": "from Alice"}, 1)
        alice.join(2)
        try:
            deals.update_deal(db.session, people.b, deal_id, {"notes": "from Bruno"}, 1)
            db.session.commit()
            brunos = "saved"
        except Conflict as error:
            db.session.rollback()
            brunos = "conflict"
            assert error.current.version == 2
            assert error.current.notes == "from Alice"  # the current record, not the one read
    alice.join(30)

    assert sorted([*alices, brunos]) == ["conflict", "saved"]
    db.session.expunge_all()
    stored = db.session.get(Deal, deal_id)
    assert (stored.version, stored.notes) == (2, "from Alice" if alices == ["saved"]
                                              else "from Bruno")
