"""Error messages in the caller's language (Accept-Language): English as written, or French.

Codes stay the same in every language: clients decide on `code`, people read `message`.
"""

from __future__ import annotations

import re

from flask import has_request_context, request

# (English pattern, French template); groups carry numbers and names across.
FRENCH = [
    (r"Missing data for required field\.", "Champ obligatoire."),
    (r"Only its owner or a manager may hand this record over\.",
     "Seuls son responsable ou un manager peuvent confier cette fiche à un autre."),
    (r"Only its owner or a manager may change it\.",
     "Seuls son responsable ou un manager peuvent le changer."),
    (r"Text may not contain the NUL character\.",
     "Le texte ne peut pas contenir le caractère NUL."),
    (r"A value is outside what can be stored\.",
     "Une valeur dépasse ce qui peut être enregistré."),
    (r"Field may not be null\.", "Ne peut pas être vide."),
    (r"Must not be blank\.", "Ne peut pas être vide."),
    (r"Unknown field\.", "Champ inconnu."),
    (r"Not a valid (string|integer|number|boolean|list|mapping type)\.", "Valeur invalide."),
    (r"Not a valid UUID\.", "Identifiant invalide."),
    (r"Not a valid (datetime|date)\.", "Date invalide."),
    (r"Must be between the years (\d+) and (\d+)\.", r"Doit être entre les années \1 et \2."),
    (r"Must be in the future\.", "Doit être dans le futur."),
    (r"At most a year from now\.", "Au plus un an à partir d'aujourd'hui."),
    (r"Only an admin may change the alert rules\.",
     "Seul un administrateur peut modifier les règles d'alerte."),
    (r"This alert is resolved already\.", "Cette alerte est déjà résolue."),
    (r"Not a valid email address\.", "Adresse e-mail invalide."),
    (r"Invalid input type\.", "Valeur invalide."),
    (r"Longer than maximum length (\d+)\.", r"\1 caractères au maximum."),
    (r"Shorter than minimum length (\d+)\.", r"\1 caractères au minimum."),
    (r"Length must be between (\d+) and (\d+)\.", r"Entre \1 et \2 éléments."),
    (r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.",
     r"Doit être entre \1 et \2."),
    (r"Must be greater than or equal to (\S+)\.", r"Doit être au moins \1."),
    (r"Must be less than or equal to (\S+)\.", r"Doit être au plus \1."),
    (r"Must be one of: (.*)\.", r"Doit être l'une de ces valeurs : \1."),
    (r"String does not match expected pattern\.", "Format invalide."),
    (r"No such record\.", "Fiche introuvable."),
    (r"No such active user\.", "Utilisateur inconnu ou inactif."),
    (r"No active (kind|outcome) '(.*)'\.", r"« \2 » n'est pas une valeur active."),
    (r"Must not be before starts_at\.", "Ne peut pas précéder le début."),
    (r"An integer is required\.", "Un nombre entier est requis."),
    (r"Required for an update\.", "Obligatoire pour une modification."),
    (r"A colour like #1a2b3c\.", "Une couleur comme #1a2b3c."),
    (r"Content does not match the extension\.", "Le contenu ne correspond pas à l'extension."),
    (r"Empty file\.", "Fichier vide."),
    (r"Missing file\.", "Fichier manquant."),
    (r"Accepted: (.*)\.", r"Acceptés : \1."),
    (r"At least (\d+) characters\.", r"\1 caractères au minimum."),
    (r"Some fields are not valid\.", "Certains champs sont à corriger."),
    (r"Wrong e-mail or password\.", "Adresse e-mail ou mot de passe incorrect."),
    (r"Log in first\.", "Connectez-vous d'abord."),
    (r"The server is too busy to answer now: try again in a moment\.",
     "Le serveur est trop occupé pour répondre : réessayez dans un instant."),
    (r"This device's copy comes from an earlier state of the server: sync again from the "
     r"start\.", "Les données de cet appareil datent d'un état antérieur du serveur : "
     "synchronisez depuis le début."),
    (r"Too many failed logins: try again later\.",
     "Trop d'échecs de connexion : réessayez plus tard."),
    (r"This password cannot be used\.", "Ce mot de passe ne peut pas être utilisé."),
    (r"Must not be your e-mail or your name\.",
     "Ne doit être ni votre adresse e-mail ni votre nom."),
    (r"Too common: choose a password others would not guess\.",
     "Trop courant : choisissez un mot de passe que personne ne devinerait."),
    (r"No such (\w+)\.", "Introuvable."),
    (r"The record changed since you loaded it\.",
     "La fiche a changé depuis que vous l'avez ouverte."),
    (r"This id is already used by another (record|file)\.",
     "Cet identifiant est déjà utilisé."),
    (r"The body is not valid JSON\.", "Le contenu n'est pas du JSON valide."),
    (r"Files are limited to (.*)\.", r"Fichiers limités à \1."),
    (r"Files of type \.(\S+) are not accepted\.", r"Les fichiers .\1 ne sont pas acceptés."),
    (r"The file's content does not match its extension\.",
     "Le contenu du fichier ne correspond pas à son extension."),
    (r"Must be the https URL the Push API gives\.",
     "Doit être l'adresse https donnée par l'API Push."),
    (r"Not a known push service\.", "Service de notification inconnu."),
    (r"Not a key the Push API gives\.", "Clé invalide pour l'API Push."),
    (r"Not valid base64url\.", "Base64url invalide."),
    (r"A time like 22:00\.", "Une heure comme 22:00."),
    (r"Not a known time zone\.", "Fuseau horaire inconnu."),
    (r"Start and end must differ\.", "Le début et la fin doivent différer."),
    (r"Open /api/live as a WebSocket\.", "Ouvrez /api/live en WebSocket."),
    (r"Only managers see the team's tasks\.",
     "Seuls les responsables voient les tâches de l'équipe."),
    (r"Only its creator or a manager may delete this task\.",
     "Seuls son auteur ou un responsable peuvent supprimer cette tâche."),
    (r"The period ends before it starts\.", "La période se termine avant de commencer."),
    (r"Must be after from\.", "Doit suivre le début."),
    (r"The period is too long\.", "La période est trop longue."),
    (r"At most (\d+) days after from\.", r"Au plus \1 jours après le début."),
    (r"This page may not open the live connection\.",
     "Cette page ne peut pas ouvrir la connexion en direct."),
]
COMPILED = [(re.compile(f"^{pattern}$"), template) for pattern, template in FRENCH]


def language() -> str:
    """'fr' or 'en', from the request's Accept-Language (English outside a request)."""
    if not has_request_context():
        return "en"
    return request.accept_languages.best_match(["en", "fr"], default="en")


def localise(message: str) -> str:
    """The message in the caller's language when we have it, else as written."""
    if language() != "fr":
        return message
    for pattern, template in COMPILED:
        if pattern.match(message):
            return pattern.sub(template, message)
    return message


def localise_fields(fields: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
    """Each field's messages through localise()."""
    if not fields:
        return fields
    return {name: [localise(m) for m in messages] for name, messages in fields.items()}
