"""Demo tasks: instructions colleagues hand each other about their clients.

commercial@ always has a few open ones, one of them overdue (the home screen and the alerts
show something on the first run); the rest is spread over the sales team.
"""

from __future__ import annotations

from datetime import timedelta

from app.demo.state import Demo, Firm
from app.models import Task

TITLES = [
    ("Rappeler pour le devis", "Le client attend une nouvelle proposition chiffrée."),
    ("Envoyer la documentation", "Brochure et fiche technique de la gamme 2027."),
    ("Préparer la visite", "Reprendre l'historique des commandes avant le rendez-vous."),
    ("Relancer la facture impayée", "Échéance dépassée, voir avec la comptabilité."),
    ("Présenter la nouvelle offre", "Remise de 5 % valable jusqu'à la fin du mois."),
    ("Mettre à jour les coordonnées", "Nouveau standard et nouvelle adresse de livraison."),
    ("Organiser une démonstration", "Proposer deux créneaux la semaine prochaine."),
    ("Transmettre le contrat signé", None),
]
PER_SCALE = 60
MINE = 6  # open tasks for commercial@, the first overdue


def _row(demo: Demo, index: int, firm: Firm, assignee, creator, due_days: float,
         state: str) -> dict:
    rng = demo.rng(f"tasks:{index}")
    title, details = TITLES[index % len(TITLES)]
    created = demo.days_ago(rng.uniform(1, 20))
    due = demo.loaded_at + timedelta(days=due_days)
    deal_id = firm.deals[0][0] if firm.deals and index % 3 == 0 else None
    return {"id": demo.new_id(rng), "title": title, "details": details,
            "assignee_id": assignee, "created_by_id": creator, "due_at": due,
            "priority": ("normal", "high", "low")[index % 3], "state": state,
            "done_at": created + timedelta(days=1) if state == "done" else None,
            "company_id": firm.id, "contact_id": None, "deal_id": deal_id, "exchange_id": None,
            "created_at": created}


def add_tasks(demo: Demo, scale: int) -> None:
    """Insert the demo tasks (after companies and deals)."""
    rng = demo.rng("tasks")
    me, manager = demo.users["commercial"], demo.users["manager"]
    mine = [f for f in demo.firms if f.owner_id == me]
    everyone = demo.sales["paris"] + demo.sales["lyon"]
    rows = [_row(demo, i, mine[i % len(mine)], me, manager, -2 if i == 0 else i * 1.5, "open")
            for i in range(MINE)]
    for i in range(MINE, PER_SCALE * scale):
        firm = rng.choice(demo.firms)
        creator = rng.choice([manager, *everyone])
        assignee = firm.owner_id if firm.owner_id != creator else rng.choice(everyone)
        state = "done" if rng.random() < 0.4 else "open"
        rows.append(_row(demo, i, firm, assignee, creator, rng.uniform(-5, 20), state))
    rows.sort(key=lambda r: (r["created_at"], r["id"]))
    demo.write(Task, rows)
