"""Word lists for the demo data set: French names, trades, streets, cities, subjects.

Kept in code rather than taken from Faker, whose output changes between versions: the demo must
give the same rows for the same seed forever.
"""

# (city, postal code, latitude, longitude, agency key, landline prefix, weight).
# Real postal codes and town-centre coordinates; the weight skews companies towards big cities.
CITIES = [
    ("Paris", "75001", 48.8625, 2.3364, "paris", "01", 3),
    ("Paris", "75002", 48.8683, 2.3428, "paris", "01", 3),
    ("Paris", "75008", 48.8727, 2.3125, "paris", "01", 5),
    ("Paris", "75009", 48.8770, 2.3375, "paris", "01", 4),
    ("Paris", "75011", 48.8590, 2.3800, "paris", "01", 4),
    ("Paris", "75012", 48.8412, 2.3876, "paris", "01", 3),
    ("Paris", "75015", 48.8421, 2.2927, "paris", "01", 4),
    ("Paris", "75017", 48.8873, 2.3067, "paris", "01", 4),
    ("Boulogne-Billancourt", "92100", 48.8353, 2.2410, "paris", "01", 3),
    ("Nanterre", "92000", 48.8924, 2.2069, "paris", "01", 2),
    ("Courbevoie", "92400", 48.8973, 2.2522, "paris", "01", 2),
    ("Issy-les-Moulineaux", "92130", 48.8240, 2.2700, "paris", "01", 2),
    ("Rueil-Malmaison", "92500", 48.8778, 2.1803, "paris", "01", 2),
    ("Montreuil", "93100", 48.8638, 2.4485, "paris", "01", 2),
    ("Saint-Denis", "93200", 48.9362, 2.3574, "paris", "01", 2),
    ("Argenteuil", "95100", 48.9472, 2.2467, "paris", "01", 1),
    ("Cergy", "95000", 49.0364, 2.0761, "paris", "01", 1),
    ("Versailles", "78000", 48.8049, 2.1204, "paris", "01", 2),
    ("Saint-Germain-en-Laye", "78100", 48.8989, 2.0938, "paris", "01", 1),
    ("Créteil", "94000", 48.7904, 2.4556, "paris", "01", 2),
    ("Vitry-sur-Seine", "94400", 48.7875, 2.3928, "paris", "01", 1),
    ("Massy", "91300", 48.7309, 2.2713, "paris", "01", 1),
    ("Évry-Courcouronnes", "91000", 48.6290, 2.4410, "paris", "01", 1),
    ("Meaux", "77100", 48.9601, 2.8788, "paris", "01", 1),
    ("Melun", "77000", 48.5422, 2.6554, "paris", "01", 1),
    ("Rouen", "76000", 49.4432, 1.0999, "paris", "02", 2),
    ("Le Havre", "76600", 49.4944, 0.1079, "paris", "02", 1),
    ("Caen", "14000", 49.1829, -0.3707, "paris", "02", 2),
    ("Cherbourg-en-Cotentin", "50100", 49.6337, -1.6222, "paris", "02", 1),
    ("Rennes", "35000", 48.1173, -1.6778, "paris", "02", 2),
    ("Saint-Malo", "35400", 48.6493, -2.0257, "paris", "02", 1),
    ("Brest", "29200", 48.3904, -4.4861, "paris", "02", 1),
    ("Quimper", "29000", 47.9960, -4.1024, "paris", "02", 1),
    ("Lorient", "56100", 47.7483, -3.3700, "paris", "02", 1),
    ("Vannes", "56000", 47.6582, -2.7608, "paris", "02", 1),
    ("Nantes", "44000", 47.2184, -1.5536, "paris", "02", 3),
    ("Saint-Nazaire", "44600", 47.2735, -2.2138, "paris", "02", 1),
    ("Angers", "49000", 47.4784, -0.5632, "paris", "02", 1),
    ("Le Mans", "72000", 48.0061, 0.1996, "paris", "02", 1),
    ("Laval", "53000", 48.0707, -0.7734, "paris", "02", 1),
    ("Tours", "37000", 47.3941, 0.6848, "paris", "02", 1),
    ("Orléans", "45000", 47.9030, 1.9093, "paris", "02", 1),
    ("Chartres", "28000", 48.4439, 1.4890, "paris", "02", 1),
    ("Bourges", "18000", 47.0810, 2.3988, "paris", "02", 1),
    ("Lille", "59000", 50.6292, 3.0573, "paris", "03", 3),
    ("Roubaix", "59100", 50.6942, 3.1746, "paris", "03", 1),
    ("Tourcoing", "59200", 50.7239, 3.1612, "paris", "03", 1),
    ("Dunkerque", "59140", 51.0343, 2.3768, "paris", "03", 1),
    ("Valenciennes", "59300", 50.3570, 3.5235, "paris", "03", 1),
    ("Calais", "62100", 50.9513, 1.8587, "paris", "03", 1),
    ("Arras", "62000", 50.2910, 2.7775, "paris", "03", 1),
    ("Amiens", "80000", 49.8941, 2.2958, "paris", "03", 1),
    ("Beauvais", "60000", 49.4295, 2.0807, "paris", "03", 1),
    ("Compiègne", "60200", 49.4179, 2.8261, "paris", "03", 1),
    ("Reims", "51100", 49.2583, 4.0317, "paris", "03", 1),
    ("Troyes", "10000", 48.2973, 4.0744, "paris", "03", 1),
    ("Metz", "57000", 49.1193, 6.1757, "paris", "03", 1),
    ("Nancy", "54000", 48.6921, 6.1844, "paris", "03", 1),
    ("Strasbourg", "67000", 48.5734, 7.7521, "paris", "03", 2),
    ("Colmar", "68000", 48.0794, 7.3585, "paris", "03", 1),
    ("Mulhouse", "68100", 47.7508, 7.3359, "paris", "03", 1),
    ("Poitiers", "86000", 46.5802, 0.3404, "paris", "05", 1),
    ("Niort", "79000", 46.3237, -0.4588, "paris", "05", 1),
    ("La Rochelle", "17000", 46.1603, -1.1511, "paris", "05", 1),
    ("Lyon", "69002", 45.7500, 4.8270, "lyon", "04", 4),
    ("Lyon", "69003", 45.7605, 4.8597, "lyon", "04", 4),
    ("Lyon", "69006", 45.7700, 4.8520, "lyon", "04", 3),
    ("Lyon", "69007", 45.7450, 4.8420, "lyon", "04", 3),
    ("Lyon", "69009", 45.7740, 4.8050, "lyon", "04", 2),
    ("Villeurbanne", "69100", 45.7719, 4.8902, "lyon", "04", 3),
    ("Vénissieux", "69200", 45.6975, 4.8867, "lyon", "04", 1),
    ("Vaulx-en-Velin", "69120", 45.7785, 4.9210, "lyon", "04", 1),
    ("Bron", "69500", 45.7386, 4.9133, "lyon", "04", 1),
    ("Saint-Priest", "69800", 45.6960, 4.9440, "lyon", "04", 1),
    ("Villefranche-sur-Saône", "69400", 45.9900, 4.7190, "lyon", "04", 1),
    ("Saint-Étienne", "42000", 45.4397, 4.3872, "lyon", "04", 2),
    ("Roanne", "42300", 46.0360, 4.0680, "lyon", "04", 1),
    ("Grenoble", "38000", 45.1885, 5.7245, "lyon", "04", 2),
    ("Vienne", "38200", 45.5253, 4.8740, "lyon", "04", 1),
    ("Bourgoin-Jallieu", "38300", 45.5860, 5.2736, "lyon", "04", 1),
    ("Chambéry", "73000", 45.5646, 5.9178, "lyon", "04", 1),
    ("Annecy", "74000", 45.8992, 6.1294, "lyon", "04", 2),
    ("Annemasse", "74100", 46.1934, 6.2342, "lyon", "04", 1),
    ("Valence", "26000", 44.9334, 4.8924, "lyon", "04", 1),
    ("Montélimar", "26200", 44.5581, 4.7509, "lyon", "04", 1),
    ("Bourg-en-Bresse", "01000", 46.2052, 5.2255, "lyon", "04", 1),
    ("Mâcon", "71000", 46.3069, 4.8287, "lyon", "03", 1),
    ("Chalon-sur-Saône", "71100", 46.7806, 4.8539, "lyon", "03", 1),
    ("Dijon", "21000", 47.3220, 5.0415, "lyon", "03", 2),
    ("Besançon", "25000", 47.2378, 6.0241, "lyon", "03", 1),
    ("Clermont-Ferrand", "63000", 45.7772, 3.0870, "lyon", "04", 2),
    ("Vichy", "03200", 46.1277, 3.4260, "lyon", "04", 1),
    ("Le Puy-en-Velay", "43000", 45.0434, 3.8858, "lyon", "04", 1),
    ("Marseille", "13001", 43.2999, 5.3841, "lyon", "04", 3),
    ("Marseille", "13008", 43.2416, 5.3817, "lyon", "04", 2),
    ("Aix-en-Provence", "13100", 43.5297, 5.4474, "lyon", "04", 2),
    ("Avignon", "84000", 43.9493, 4.8055, "lyon", "04", 1),
    ("Toulon", "83000", 43.1242, 5.9280, "lyon", "04", 1),
    ("Nice", "06000", 43.7102, 7.2620, "lyon", "04", 2),
    ("Cannes", "06400", 43.5528, 7.0174, "lyon", "04", 1),
    ("Nîmes", "30000", 43.8367, 4.3601, "lyon", "04", 1),
    ("Montpellier", "34000", 43.6108, 3.8767, "lyon", "04", 2),
    ("Béziers", "34500", 43.3442, 3.2158, "lyon", "04", 1),
    ("Perpignan", "66000", 42.6887, 2.8948, "lyon", "04", 1),
    ("Toulouse", "31000", 43.6047, 1.4442, "lyon", "05", 2),
    ("Bordeaux", "33000", 44.8378, -0.5792, "lyon", "05", 2),
    ("Mérignac", "33700", 44.8386, -0.6436, "lyon", "05", 1),
    ("Limoges", "87000", 45.8336, 1.2611, "lyon", "05", 1),
    ("Pau", "64000", 43.2951, -0.3708, "lyon", "05", 1),
    ("Bayonne", "64100", 43.4929, -1.4748, "lyon", "05", 1),
]

FEMALE_FIRST_NAMES = [
    "Hélène", "Françoise", "Bérénice", "Camille", "Sophie", "Isabelle", "Nathalie", "Céline",
    "Émilie", "Chloé", "Léa", "Manon", "Juliette", "Anaïs", "Agnès", "Valérie", "Sandrine",
    "Sylvie", "Martine", "Brigitte", "Élodie", "Aurélie", "Mélanie", "Virginie", "Stéphanie",
    "Laëtitia", "Noémie", "Margaux", "Inès", "Clémence", "Delphine", "Géraldine", "Josiane",
    "Maëlle", "Zoé", "Océane", "Pauline", "Marion", "Laure", "Claire", "Anne", "Cécile",
]
MALE_FIRST_NAMES = [
    "Jérôme", "François", "Julien", "Thomas", "Nicolas", "Pierre", "Sébastien", "Stéphane",
    "Frédéric", "Olivier", "Philippe", "Laurent", "Christophe", "Éric", "Benoît", "Régis",
    "Gérard", "Hervé", "Jean-Marc", "Jean-Luc", "Loïc", "Mathieu", "Maxime", "Hugo", "Lucas",
    "Théo", "Antoine", "Alexandre", "Guillaume", "Cédric", "Rémi", "Gaëtan", "Noël", "Yannick",
    "Damien", "Vincent", "Arnaud", "Bruno", "Denis", "Joël", "Mickaël", "Raphaël",
]
# "Dupont" and "Dupuis" are left out on purpose: "Dupont SARL" must be the only "dup" match.
LAST_NAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent",
    "Fournier", "Morel", "Girard", "André", "Lefebvre", "Mercier", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
    "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Gérard",
    "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy",
    "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Pérez", "Marchand", "Dufour", "Blanchard",
    "Brun", "Barbier", "Arnaud", "Giraud", "Rivière", "Hamon", "Bouvier", "Le Gall", "Le Goff",
    "Kerboul", "Caron", "Brunet", "Picard", "Renaud", "Collin", "Vidal", "Carré", "Hébert",
    "Bérard", "Séguin", "Leclerc", "Besnard", "Chauvin", "Pelletier", "Lévêque", "Bénard",
    "Aubert", "Jacquet", "Régnier", "Maréchal", "Benoît", "Lacroix", "Prévost", "Mallet",
]

LEGAL_FORMS = ["SARL", "SAS", "SA", "EURL", "SAS", "SARL", "SARL"]
TRADES = [
    "Boulangerie", "Menuiserie", "Plomberie", "Garage", "Pharmacie", "Imprimerie",
    "Électricité", "Fromagerie", "Quincaillerie", "Carrosserie", "Charpente", "Maçonnerie",
    "Serrurerie", "Pâtisserie", "Boucherie", "Librairie", "Optique", "Jardinerie",
    "Chaudronnerie", "Métallerie", "Ébénisterie", "Couverture", "Peinture", "Transports",
    "Ambulances", "Traiteur", "Cave", "Fleurs", "Papeterie", "Informatique", "Nettoyage",
]
FIRMS = ["Cabinet", "Étude", "Agence", "Atelier", "Laboratoire"]
BRAND_HEADS = [
    "Agri", "Bio", "Éco", "Techno", "Hydro", "Méca", "Élec", "Alti", "Inno", "Logi", "Thermo",
    "Vita", "Néo", "Ultra", "Hexa", "Opti", "Métal", "Fibro", "Proxi", "Domo", "Azur", "Alpi",
]
BRAND_TAILS = [
    "tec", "pro", "nov", "flex", "logis", "concept", "plast", "sol", "nergie", "vision",
    "form", "bat", "services", "system", "med", "pack", "line", "ouest", "sud", "est",
]
BRAND_SUFFIXES = ["", "", " Industrie", " Distribution", " Services", " Solutions", " France"]
SCI_NAMES = [
    "Les Tilleuls", "Les Acacias", "du Moulin", "des Vignes", "Les Charmilles", "du Parc",
    "Les Glycines", "de la Source", "Bellevue", "Les Érables", "du Port", "Saint-Jacques",
]

STREET_TYPES = [
    "rue", "rue", "rue", "rue", "avenue", "avenue", "boulevard", "place", "allée", "impasse",
    "chemin", "quai", "cours",
]
STREET_NAMES = [
    "de la République", "Jean Jaurès", "Victor Hugo", "Pasteur", "de la Gare",
    "du Général Leclerc", "du Général de Gaulle", "des Lilas", "de Verdun", "Gambetta",
    "Voltaire", "Émile Zola", "de la Paix", "du Moulin", "des Écoles", "de l'Église", "Carnot",
    "Jules Ferry", "de la Liberté", "du 8 Mai 1945", "du Commerce", "des Acacias",
    "de l'Industrie", "des Artisans", "Georges Clemenceau", "Foch", "de Paris", "Nationale",
    "du Stade", "Saint-Michel", "des Tanneurs", "du Port", "Anatole France", "Paul Bert",
    "Aristide Briand", "Louis Pasteur", "des Frères Lumière", "Marie Curie", "de Bretagne",
    "du Maréchal Joffre", "Jean Moulin", "de la Mairie", "des Tilleuls", "des Peupliers",
]
BUSINESS_PARKS = [
    "ZA des Pins", "ZI Nord", "ZI Sud", "ZAC de la Plaine", "Parc d'activités des Chênes",
    "ZA du Moulin", "Technopôle",
]

FEMALE_TITLES = [
    "Gérante", "Directrice générale", "Directrice achats", "Responsable technique",
    "Acheteuse", "Assistante de direction", "Responsable administrative et financière",
    "Comptable", "Responsable de production", "Cheffe de projet", "Responsable logistique",
    "Présidente", "Directrice commerciale", "Responsable qualité", "Office manager",
]
MALE_TITLES = [
    "Gérant", "Directeur général", "Directeur achats", "Responsable technique", "Acheteur",
    "Assistant de direction", "Responsable administratif et financier", "Comptable",
    "Responsable de production", "Chef de projet", "Responsable logistique", "Président",
    "Directeur commercial", "Responsable qualité", "Chef d'atelier", "Conducteur de travaux",
]
CONTACT_ROLES = [
    "Décideur", "Décideur", "Acheteur", "Prescripteur", "Utilisateur", "Comptabilité",
    "Technique", "Assistant(e)",
]
SECOND_COMPANY_ROLES = ["Associé(e)", "Consultant(e)", "Expert-comptable", "Administrateur"]
DEAL_CONTACT_ROLES = ["Décideur", "Signataire", "Prescripteur", "Utilisateur", "Acheteur"]

DEAL_TOPICS = [
    "Renouvellement parc copieurs", "Contrat de maintenance", "Équipement atelier",
    "Extension de gamme", "Fourniture annuelle consommables", "Audit énergétique",
    "Rénovation showroom", "Logiciel de caisse", "Mobilier de bureau", "Flotte de véhicules",
    "Formation des équipes", "Référencement catalogue", "Installation climatisation",
    "Vidéosurveillance", "Contrat cadre", "Commande d'ouverture", "Remplacement chaudière",
    "Étiquetage et emballage", "Matériel de sécurité", "Site de commerce en ligne",
]
NOTES = [
    "Client historique, très attaché au service après-vente.",
    "Préfère être contacté le matin.",
    "Parking difficile : se garer place du marché.",
    "Décision prise par le siège, passer par l'acheteur.",
    "Salon professionnel chaque année en mars.",
    "Sensible au prix, comparer avec la concurrence.",
    "Fermé le lundi.",
    "Accueil à l'entrée B, badge nécessaire.",
]

# Per exchange kind: subjects ("{year}" is filled with the year of the exchange).
SUBJECTS = {
    "call": [
        "Relance devis", "Appel de suivi", "Prise de rendez-vous", "Point commande",
        "Relance facture", "Qualification du besoin", "Rappel suite salon", "Suivi livraison",
        "Appel de courtoisie", "Relance proposition",
    ],
    "visit": [
        "Visite de courtoisie", "Présentation gamme {year}", "Démonstration produit",
        "Visite de chantier", "Audit des besoins", "Livraison échantillons", "Visite annuelle",
        "Relevé de mesures",
    ],
    "meeting": [
        "Réunion de lancement", "Négociation contrat", "Revue annuelle", "Comité de pilotage",
        "Présentation offre", "Point d'avancement projet",
    ],
    "email": [
        "Envoi devis", "Envoi catalogue {year}", "Confirmation de commande",
        "Envoi documentation technique", "Réponse à la réclamation",
        "Envoi conditions tarifaires", "Envoi compte rendu",
    ],
    "letter": ["Courrier de relance", "Envoi contrat signé", "Lettre de bienvenue", "Vœux {year}"],
    "sms": ["Confirmation RDV", "Retard de 15 min", "Rappel rendez-vous", "Merci pour l'accueil"],
    "note": [
        "Note interne", "Changement d'interlocuteur", "Info concurrence",
        "Budget validé en interne", "Déménagement prévu",
    ],
    "report": [
        "Compte rendu de visite", "Compte rendu de réunion", "Rapport mensuel",
        "Synthèse annuelle",
    ],
}
DEFAULT_SUBJECTS = ["Suivi client", "Point d'étape", "Échange divers"]
INTERNAL_SUBJECTS = [
    "Réunion d'équipe", "Point hebdo agence", "Formation produit", "Salon professionnel",
    "Préparation tournée", "Séminaire commercial",
]

# Details of done exchanges: after an outcome, in keeping with it; without one, from DETAILS.
OUTCOME_DETAILS = {
    "no_answer": [
        "Messagerie, laissé un message.", "Pas de réponse, rappeler demain matin.",
        "Standard : interlocuteur absent cette semaine.",
    ],
    "interested": [
        "Client intéressé par la nouvelle gamme.", "Intéressé par un contrat de maintenance.",
        "A reçu l'échantillon, retour positif.", "Demande un devis pour 12 postes.",
    ],
    "call_back": [
        "Rappeler après le 15.", "Relancer en janvier, période chargée.",
        "Attend la validation de la direction.", "Décision en comité fin de mois.",
    ],
    "quote_sent": [
        "Devis envoyé, relance prévue dans 8 jours.", "Devis révisé avec une remise de 5 %.",
    ],
    "order": [
        "Commande confirmée par téléphone.", "Bon de commande reçu, livraison sous 15 jours.",
    ],
    "not_interested": [
        "Pas de budget avant le prochain trimestre.",
        "Concurrent moins cher de 8 %, à surveiller.", "Satisfait de son fournisseur actuel.",
    ],
}
DETAILS = [
    "RAS, client satisfait.",
    "Envoyer la plaquette et les tarifs.",
    "Rendez-vous pris pour la semaine prochaine.",
    "Souhaite un geste commercial sur la livraison.",
    "Nouveau responsable achats à rencontrer.",
    "Problème de facturation réglé avec la comptabilité.",
    "Stock bas, réassort à prévoir.",
    "Très bon accueil, visite de l'atelier.",
    "Délai de livraison trop long selon eux, voir avec la logistique.",
    "Point sur les chantiers en cours.",
]

# Weights for the default keys; keys configured by an admin and unknown here get weight 1.
KIND_WEIGHTS = {
    "call": 40, "visit": 20, "email": 15, "meeting": 8, "note": 7, "sms": 4, "report": 4,
    "letter": 2,
}
OUTCOME_WEIGHTS = {
    "interested": 20, "call_back": 18, "no_answer": 14, "order": 8, "not_interested": 6,
    "quote_sent": 8, "appointment": 8, "done": 10,
}
TIMED_KINDS = {"call": (2, 25), "visit": (30, 120), "meeting": (45, 120)}  # duration, minutes
PLANNED_DETAILS = [
    "À préparer : dernier devis et fiche client.",
    "Apporter les échantillons.",
    "Confirmer la veille par SMS.",
]
CANCELLED_DETAILS = [
    "Annulé par le client.",
    "Reporté, client indisponible.",
    "Annulé : grève des transports.",
    "Annulé, interlocuteur malade.",
]

# The demo accounts: e-mail local part, name, role, agency. All share the demo password.
ACCOUNTS = [
    ("admin", "Alice Martin", "admin", "paris"),
    ("manager", "Nathalie Rousseau", "manager", "paris"),
    ("commercial", "Julien Moreau", "sales", "paris"),
    ("commercial2", "Sophie Lambert", "sales", "lyon"),
    ("thomas.girard", "Thomas Girard", "sales", "paris"),
    ("emilie.fournier", "Émilie Fournier", "sales", "paris"),
    ("nicolas.chevalier", "Nicolas Chevalier", "sales", "lyon"),
    ("celine.blanc", "Céline Blanc", "sales", "lyon"),
]
# The day of commercial@ on the home screen: (hour, minute) local time, kind, subject.
TODAY_PLAN = [
    ((8, 30), "call", "Relance devis"),
    ((10, 0), "visit", "Présentation gamme {year}"),
    ((11, 45), "call", "Prise de rendez-vous"),
    ((14, 30), "visit", "Visite de courtoisie"),
    ((16, 30), "meeting", "Négociation contrat"),
]
