"""Locust scenario: salespeople working the app through the day (bench/run_load.py runs it).

Each simulated user logs in once (the demo accounts are shared: sessions are per login),
then, with 1-3 s of think time between tasks, does 70% reads (own companies, a company, its
timeline, contacts and deals, tasks, notifications, sync pulls from its cursor), 20% searches
and 10% writes (a call logged with POST /api/exchanges, a deal edited with PATCH and its
version, an outbox of exchange creates sent with POST /api/sync/push). Every task is one
request, so the weights are the request mix.

Failures: any 5xx, connection error or 4xx the contract does not give to that request. A 409
on PATCH /api/deals/{id} is the contract's answer to an edit made on a stale version (two
salespeople on one deal): it is counted apart, not as a failure. Sync pushes must answer
`applied` for every new mutation and `duplicate` for every resent one (exactly once).

Environment: LOAD_ACCOUNTS (comma-separated e-mails), LOAD_PASSWORD, LOAD_SYNC_CURSOR (the
change counter when the run starts: devices are already synced), LOAD_COUNTS_FILE (where the
scenario's own counters are written as JSON at the end).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from locust import HttpUser, between, events, task

ACCOUNTS = [a for a in os.environ.get("LOAD_ACCOUNTS", "commercial@demo.tournee.fr").split(",")
            if a]
PASSWORD = os.environ.get("LOAD_PASSWORD", "tournee-demo")
START_CURSOR = os.environ.get("LOAD_SYNC_CURSOR", "0")
# Words a salesperson types: common French surnames and cities, plus names they have seen.
WORDS = ["martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand",
         "leroy", "moreau", "simon", "laurent", "lefebvre", "michel", "garcia", "david",
         "bertrand", "roux", "vincent", "fournier", "girard", "bonnet", "dupont", "lambert",
         "lyon", "paris", "nantes", "lille", "bordeaux", "grenoble", "toulouse", "hélène",
         "électricité", "boulangerie", "transports", "cabinet", "atelier", "garage"]
OUTCOMES = ["interested", "call_back", "no_answer", "quote_sent", "order", "not_interested"]
OPEN_STAGES = ["prospecting", "qualification", "proposal", "negotiation"]
SUBJECTS = ["Relance devis", "Prise de rendez-vous", "Point d'étape", "Suivi commande",
            "Appel de courtoisie"]

LOGIN = "POST /api/auth/login"
counts: Counter = Counter()  # the scenario's own tallies, beside locust's statistics
# Versions that successful deal edits answered, per deal, across all users: an edit answered
# with a version another edit already got means one overwrote the other (a lost update).
deal_versions: defaultdict[str, set[int]] = defaultdict(set)
_next_account = itertools.count()


@events.test_stop.add_listener
def _write_counts(environment, **_kwargs) -> None:
    path = os.environ.get("LOAD_COUNTS_FILE")
    if path:
        with open(path, "w") as out:
            json.dump(dict(sorted(counts.items())), out, indent=1)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class Salesperson(HttpUser):
    """One field salesperson's device."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.email = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.csrf = ""
        self.companies: dict[str, str] = {}  # id -> name, the ones this user has seen
        self.deals: dict[str, int] = {}  # id -> the version this user has on screen
        self.words = list(WORDS)
        self.cursor = START_CURSOR
        self.client_id = str(uuid.uuid4())
        self.seq = 0
        self.last_push: dict | None = None  # the last batch the server answered
        self.unsent: dict | None = None  # a batch whose push failed, sent again next time
        self._login()
        if self.csrf:
            self.my_companies()
            self._open_list("/api/deals?owner=me&limit=50", "GET /api/deals?owner=me")

    # --- helpers ------------------------------------------------------------------------

    def _json(self, path: str, name: str, expected: tuple[int, ...] = (200,),
              method: str = "GET", body: dict | None = None,
              check: Callable[[dict], str | None] | None = None) -> dict | None:
        """Send one request; anything but an expected status, or a body that `check` finds
        wrong (it returns why), is a failure. Returns the body, or None after a failure."""
        headers = {"X-CSRF-Token": self.csrf} if method != "GET" else {}
        with self.client.request(method, path, name=name, json=body, headers=headers,
                                 catch_response=True) as resp:
            if resp.status_code not in expected:
                resp.failure(f"{resp.status_code}: {(resp.text or str(resp.error))[:200]}")
                if resp.status_code == 401:
                    self.csrf = ""  # the session is gone: log in again
                return None
            try:
                data = resp.json()
            except ValueError:
                resp.failure(f"{resp.status_code}: not JSON")
                return None
            if resp.status_code == 409 and data["error"]["code"] != "version_conflict":
                resp.failure(f"409 {data['error']['code']}: only a stale version may be 409")
                return None
            data["_status"] = resp.status_code
            wrong = check(data) if check is not None else None
            if wrong:
                resp.failure(wrong)
                return None
            resp.success()
            return data

    def _login(self) -> None:
        data = self._json("/api/auth/login", LOGIN, method="POST",
                          body={"email": self.email, "password": PASSWORD})
        if data is not None:
            self.csrf = data["csrf_token"]

    def _remember(self, items: list[dict]) -> None:
        for item in items:
            if "stage" in item:  # a deal
                self.deals[item["id"]] = item["version"]
                self.companies.setdefault(item["company_id"], item["company_name"])
            elif "status" in item:  # a company
                self.companies[item["id"]] = item["name"]
                if len(self.words) < 200:
                    self.words.append(item["name"].split()[0])

    def _open_list(self, path: str, name: str) -> list[dict]:
        data = self._json(path, name)
        if data is None:
            return []
        self._remember(data["items"])
        return data["items"]

    def _company(self) -> str | None:
        return random.choice(list(self.companies)) if self.companies else None

    def _exchange(self, company_id: str | None) -> dict:
        start = _now() - timedelta(minutes=random.randint(1, 120))
        return {"id": str(uuid.uuid4()), "kind": "call", "state": "done",
                "outcome": random.choice(OUTCOMES), "subject": random.choice(SUBJECTS),
                "details": "Appel passé pendant la tournée (test de charge).",
                "starts_at": _iso(start), "ends_at": _iso(start + timedelta(minutes=7)),
                "company_id": company_id}

    # --- reads: 70 ----------------------------------------------------------------------

    @task(10)
    def my_companies(self) -> None:
        self._open_list("/api/companies?owner=me&limit=50", "GET /api/companies?owner=me")

    @task(10)
    def company(self) -> None:
        company_id = self._company()
        if company_id:
            data = self._json(f"/api/companies/{company_id}", "GET /api/companies/[id]")
            if data is not None:
                self.companies[company_id] = data["name"]

    @task(15)
    def timeline(self) -> None:
        company_id = self._company()
        if company_id:
            self._json(f"/api/companies/{company_id}/timeline?limit=50",
                       "GET /api/companies/[id]/timeline")

    @task(8)
    def contacts(self) -> None:
        company_id = self._company()
        if company_id:
            self._open_list(f"/api/contacts?company_id={company_id}",
                            "GET /api/contacts?company_id")

    @task(8)
    def deals(self) -> None:
        company_id = self._company()
        if company_id:
            self._open_list(f"/api/deals?company_id={company_id}", "GET /api/deals?company_id")

    @task(5)
    def my_tasks(self) -> None:
        self._json("/api/tasks", "GET /api/tasks")

    @task(5)
    def notifications(self) -> None:
        self._json("/api/notifications", "GET /api/notifications")

    @task(9)
    def pull(self) -> None:
        data = self._json(f"/api/sync/changes?since={self.cursor}&limit=500",
                          "GET /api/sync/changes")
        if data is not None:
            self.cursor = data["cursor"]
            counts["pull_changes"] += len(data["changes"])
            counts["pull_has_more"] += bool(data["has_more"])

    # --- search: 20 ---------------------------------------------------------------------

    @task(20)
    def search(self) -> None:
        word = random.choice(self.words).lower()
        q = word[:3] if random.random() < 0.7 else word  # a prefix, or a whole name
        data = self._json(f"/api/search?q={q}", "GET /api/search")
        if data is not None:
            counts["search_hits"] += len(data["items"])
            counts["search_empty"] += not data["items"]
            for item in data["items"]:
                if item["type"] == "company":
                    self.companies.setdefault(item["id"], item["title"])

    # --- writes: 10 ---------------------------------------------------------------------

    @task(5)
    def log_call(self) -> None:
        body = self._exchange(self._company())
        created = self._json("/api/exchanges", "POST /api/exchanges", (201,), "POST", body)
        if created is None:
            return
        counts["exchange_created"] += 1
        if random.random() < 0.1:  # the answer was lost: the device sends it again
            again = self._json("/api/exchanges", "POST /api/exchanges (replay)", (200,),
                               "POST", body)
            if again is not None:
                counts["exchange_replayed"] += 1
                counts["exchange_replay_mismatch"] += again["id"] != created["id"] or (
                    again["version"] != created["version"])

    @task(2)
    def edit_deal(self) -> None:
        if not self.deals:
            return
        deal_id = random.choice(list(self.deals))
        body = {"version": self.deals[deal_id], "stage": random.choice(OPEN_STAGES),
                # never the amount it has: an edit that changes nothing keeps its version
                "amount": f"{random.randint(1, 10**9)}.{random.randint(0, 99):02d}"}

        def check(data: dict) -> str | None:
            if data["_status"] == 409:
                return None
            if data["version"] in deal_versions[deal_id] or data["version"] != body["version"] + 1:
                counts["deal_lost_update"] += 1
                return f"lost update: version {body['version']} edited into {data['version']}"
            deal_versions[deal_id].add(data["version"])
            return None

        data = self._json(f"/api/deals/{deal_id}", "PATCH /api/deals/[id]", (200, 409),
                          "PATCH", body, check)
        if data is None:
            return
        if data["_status"] == 409:  # someone edited it since this user loaded it
            counts["deal_conflict_409"] += 1
            self.deals[deal_id] = data["current"]["version"]
        else:
            counts["deal_updated"] += 1
            self.deals[deal_id] = data["version"]

    @task(3)
    def push(self) -> None:
        if not self.csrf:
            self._login()
            return
        if self.unsent is not None:  # the last push failed: the outbox sends it again
            batch, wanted = self.unsent, ("applied", "duplicate")
        elif self.last_push is not None and random.random() < 0.2:
            batch, wanted = self.last_push, ("duplicate",)  # the answer was lost: resent
        else:
            mutations = []
            for _ in range(random.randint(1, 3)):
                self.seq += 1
                mutations.append({"seq": self.seq, "entity": "exchange", "op": "create",
                                  "id": str(uuid.uuid4()),
                                  "data": {k: v for k, v in self._exchange(self._company())
                                           .items() if k != "id"}})
            batch, wanted = {"client_id": self.client_id, "mutations": mutations}, ("applied",)
        self.unsent = batch
        with self.client.post("/api/sync/push", json=batch, name="POST /api/sync/push",
                              headers={"X-CSRF-Token": self.csrf}, catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code}: {(resp.text or str(resp.error))[:200]}")
                return
            answer = resp.json()
            statuses = [r["status"] for r in answer["results"]]
            last = max(m["seq"] for m in batch["mutations"])
            if len(statuses) != len(batch["mutations"]) or any(
                    st not in wanted for st in statuses) or answer["last_seq"] != last:
                counts["push_not_exactly_once"] += 1
                resp.failure(f"push answered {statuses} and last_seq {answer['last_seq']}, "
                             f"wanted {wanted} and {last}")
                return
            resp.success()
            for st in statuses:
                counts[f"push_mutations_{st}"] += 1
            self.last_push, self.unsent = batch, None
