"""What the PTCE Hénin-Carvin's newsletter (summer 2025) says, as plain data.

Sources: `shared/seeds/000_…txt` (the newsletter, by OCR, corrected here) and `001_…txt` (the clean
text of the seminar article, which wins over the OCR for the seminar). Only what they say is here:
no hour, address, postal code, person or kind of structure is made up. Where the text gives only
a month or a year, the date is the first day of it and `precision` says so. Values the newsletter
does not give (SIRET, host, publication director, fees, end times…) are simply absent.

Typography: plain spaces are written here; the loader puts the non-breaking spaces French wants
before « : ; ! ? » and inside guillemets.

References between records use the keys of this module (`structure`, `person`, `venue`), never
database ids.
"""

import datetime

# --- The association ---------------------------------------------------------------------------

SITE_IDENTITY = {
    "name": "PTCE Hénin-Carvin",
    "short_name": "PTCE Hénin-Carvin",
    "legal_form": "Association",
    # The dated legal form printed on statutory documents: an association (in the Pas-de-Calais,
    # under the law of 1901) since its creation in 2023, whose exact date the newsletter does
    # not give; the SCIC's form is added on the day of its transformation.
    "legal_status": "association_1901",
    "territory": "Communauté d'agglomération Hénin-Carvin (CAHC)",
    "tagline": "Répondre collectivement aux besoins peu ou mal couverts sur le territoire.",
    "about": (
        "En 2021, sept acteurs de l'économie sociale et solidaire (1001 Commerce, Rencontres et "
        "Loisirs, AFEJI, APEI, ADDS, DIE et Les Compagnons Bâtisseurs), ainsi que la Communauté "
        "d'agglomération Hénin-Carvin (CAHC), réunis sous l'impulsion du cabinet-conseil de "
        "Jacques Parent, ont formé un noyau dur autour d'une ambition partagée : faire du "
        "territoire d'Hénin-Carvin un véritable laboratoire d'innovations sociales, économiques "
        "et écologiques."
        "\n\n"
        "Au fil de nombreuses réunions de terrain, ils ont mené un travail de fond et tissé un "
        "réseau de plus d'une centaine de partenaires. Cet élan collectif a donné naissance, en "
        "2023, à l'association PTCE Hénin-Carvin, qui en constitue la première pierre "
        "structurante."
        "\n\n"
        "En 2024, année charnière, les groupes de travail ont poursuivi leurs actions dans quatre "
        "grands axes : la mobilité sociale et inclusive ; l'alimentation durable ; le "
        "développement social et la citoyenneté ; l'économie circulaire et la transition "
        "énergétique, avec la structuration de la filière de réemploi des matériaux du bâtiment "
        "et l'ouverture de la friperie solidaire."
        "\n\n"
        "Depuis septembre 2024, le PTCE a son local à la Résidence Alsace de Montigny-en-Gohelle, "
        "au cœur de la ZAC des Deux Villes : un espace de coordination, d'échange et d'animation "
        "pour l'ensemble des membres du collectif."
        "\n\n"
        "Une nouvelle étape stratégique s'ouvre : la transformation de l'association en SCIC "
        "(société coopérative d'intérêt collectif), pour sécuriser ses financements dans une "
        "logique de modèle économique hybride et durable, formaliser l'implication des acteurs "
        "publics, privés et citoyens dans une gouvernance partagée, et renforcer sa capacité "
        "d'action pour accompagner les transitions locales à long terme."
    ),
    "join_call": (
        "Le PTCE a besoin de vous ! Vous avez une idée, un projet, une envie d'agir ? Rejoignez "
        "un groupe de travail, proposez vos initiatives ou devenez membre de l'association. "
        "Ensemble, construisons des solutions durables et solidaires !"
    ),
    "office_name": "Résidence Alsace",
    "office_address": "ZAC des Deux Villes",
    "office_town": "Montigny-en-Gohelle",
    "phone": "06 80 59 63 40",
    "email": "rmogliaptcehc@adds62.fr",
    # Not the newsletter's address: the loader puts DEMO_NOTIFICATION_EMAIL here, so that a
    # demo's join requests never reach a real person.
    "website": "https://ptce-hc.fr/",
    # Not in the newsletter, so left empty (the site shows « à compléter »):
    # siret, publication_director, host_details.
}

YEARLY_FIGURES = [
    {
        "year": 2024,
        "meetings": 34,
        "members_involved": 113,
        "contributing_structures": 62,
        "jobs_created_fte": "19.7",
        "projects_supported": 16,
        "operational_cooperations": 13,
        "beneficiaries": 1932,
        "source": "« Bilan de l'année 2024 », lettre d'information du PTCE Hénin-Carvin "
        "(été 2025)",
        "is_published": True,
    },
]

# --- Places ------------------------------------------------------------------------------------

VENUES = {
    "garage-solidaire": {
        "name": "Garage solidaire",
        "address": "ZAC des Chauffours",
        "town": "Courrières",
    },
    "siege-apei": {
        "name": "Siège de l'APEI Hénin-Carvin",
        "address": "239 rue Philibert Robiaud",
        "town": "Hénin-Beaumont",
    },
    "piac": {"name": "PIAC", "address": "24 rue des Lilas", "town": "Carvin"},
    "adds": {"name": "ADDS", "address": "2 rue Léon Hourriez", "town": "Montigny-en-Gohelle"},
    "chaufferie-9-9bis": {
        "name": "Grande chaufferie du 9-9bis",
        "address": "",
        "town": "Oignies",
    },
}

# --- Structures --------------------------------------------------------------------------------
# `kind` is set where the newsletter says it (« l'association 1001 Commerce », « l'union
# commerciale de Carvin », « l'école ») or where the name itself does (APEI, CRESS, IRIAE);
# otherwise « other », for the coordinator to complete.

STRUCTURES = {
    # The founding core of 2021 (seven ESS actors and the CAHC).
    "1001-commerce": {
        "name": "1001 Commerce",
        "kind": "association",
        "email": "contact@1001commerce.fr",
        "is_founding_member": True,
    },
    "rencontres-et-loisirs": {
        "name": "Rencontres et Loisirs",
        "kind": "other",
        "is_founding_member": True,
    },
    "afeji": {
        "name": "AFEJI Hauts-de-France",
        "acronym": "AFEJI HDF",
        "kind": "association",
        "is_founding_member": True,
    },
    "apei-henin-carvin": {
        "name": "APEI Hénin-Carvin",
        "acronym": "APEI",
        "kind": "association",
        "address": "239 rue Philibert Robiaud",
        "town": "Hénin-Beaumont",
        "email": "siege@apei-henin.com",
        "is_founding_member": True,
    },
    "adds": {
        "name": "ADDS",
        "kind": "other",
        "address": "2 rue Léon Hourriez",
        "town": "Montigny-en-Gohelle",
        "is_founding_member": True,
    },
    "die": {
        "name": "DIE",
        "kind": "other",
        "phone": "03 21 20 79 44",
        "is_founding_member": True,
    },
    "compagnons-batisseurs": {
        "name": "Les Compagnons Bâtisseurs",
        "kind": "association",
        "is_founding_member": True,
    },
    "cahc": {
        "name": "Communauté d'agglomération Hénin-Carvin",
        "acronym": "CAHC",
        "kind": "local_authority",
        "description": "L'agglomération compte 12 quartiers prioritaires (QPV). Elle organise "
        "les petits déjeuners de l'ESS.",
        "is_founding_member": True,
    },
    # Regional networks that ran the seminar's workshops and round table.
    "cress": {
        "name": "Chambre régionale de l'économie sociale et solidaire",
        "acronym": "CRESS",
        "kind": "network",
    },
    "apes": {"name": "APES", "kind": "network"},
    "iriae": {"name": "IRIAE", "kind": "network"},
    "institut-godin": {"name": "Institut Godin", "kind": "other"},
    # Partners named in the groups' news.
    "activ": {
        "name": "ACTIV",
        "kind": "network",
        "town": "Carvin",
        "description": "L'union commerciale de Carvin.",
    },
    "maisons-et-cites": {"name": "Maisons et Cités", "kind": "other"},
    "ecole-maurice-thorez": {"name": "École Maurice Thorez", "kind": "school"},
    # Project holders of the Développement social group.
    "les-petits-originaux": {
        "name": "Les petits originaux",
        "kind": "association",
        "description": "Association de familles aidantes.",
    },
    "la-cahc-en-folie": {
        "name": "La CAHC en folie",
        "kind": "association",
        "description": "Association qui a pour but de faire découvrir le patrimoine aux "
        "enfants et aux parents.",
    },
    "solid-hair": {
        "name": "Solid'hair",
        "kind": "other",
        "description": "Coiffeuse, porteuse de projet.",
    },
}

# The only memberships the newsletter implies: the founding core, for 2025. Fee and payment
# date are unknown and stay empty.
MEMBERSHIPS = [
    {"structure": key, "year": 2025, "status": "active"}
    for key, structure in STRUCTURES.items()
    if structure.get("is_founding_member")
]

# --- People ------------------------------------------------------------------------------------
# Only the development officer publishes his contact details; nobody else's are shown.

PEOPLE = {
    "nordine-boukhateb": {
        "first_name": "Nordine",
        "last_name": "Boukhateb",
        "structure": "adds",
        "title": "président du PTCE Hénin-Carvin",
        "team_role": "president",
    },
    "rodolphe-moglia": {
        "first_name": "Rodolphe",
        "last_name": "Moglia",
        "title": "chargé d'animation et de développement du PTCE",
        "team_role": "development_officer",
        "team_since": datetime.date(2024, 7, 1),  # « depuis juillet 2024 »: month only
        "email": "rmogliaptcehc@adds62.fr",
        "phone": "06 80 59 63 40",
        "show_contact_publicly": True,
    },
    "jean-michel-bondu": {
        "first_name": "Jean-Michel",
        "last_name": "Bondu",
        "title": "consultant du PTCE Hénin-Carvin",
        "team_role": "consultant",
        "team_since": datetime.date(2024, 3, 1),  # « depuis mars 2024 »: month only
    },
    "sarah-dupont": {
        "first_name": "Sarah",
        "last_name": "Dupont",
        "structure": "cahc",
        "title": "chargée de mission ESS",
    },
    "marcello-della-franca": {
        "first_name": "Marcello",
        "last_name": "Della Franca",
        "structure": "cahc",
        "title": "vice-président de la CAHC, maire de Montigny-en-Gohelle",
    },
    "fabrice-taupin": {"first_name": "Fabrice", "last_name": "Taupin", "structure": "afeji"},
    "odette-dauchet": {"first_name": "Odette", "last_name": "Dauchet", "structure": "die"},
    "brigitte-monseu": {
        "first_name": "Brigitte",
        "last_name": "Monseu",
        "structure": "apei-henin-carvin",
    },
    "olivier-herlin": {
        "first_name": "Olivier",
        "last_name": "Herlin",
        "structure": "1001-commerce",
    },
    "serge-roussel": {
        "first_name": "Serge",
        "last_name": "Roussel",
        "structure": "compagnons-batisseurs",
        "email": "s.roussel@compagnonsbatisseurs.eu",
    },
    "rachid-cherfaoui": {"first_name": "Rachid", "last_name": "Cherfaoui"},
    "isabelle-leroy-selosse": {
        "first_name": "Isabelle",
        "last_name": "Leroy-Selosse",
        "structure": "apei-henin-carvin",
    },
    "sylvain-dursent": {"first_name": "Sylvain", "last_name": "Dursent", "structure": "iriae"},
}

# --- Working groups ----------------------------------------------------------------------------
# Meetings: the newsletter gives the day and the start hour, never an end; the two past meetings
# of the Développement social group have neither hour nor place.

# The newsletter reports on both meetings at once. Minutes stay unpublished (the default): the
# coordinator decides what a group page shows.
DEVELOPPEMENT_SOCIAL_PAST_MEETINGS = (
    "Avec la réunion du 12 décembre 2024 et celle du 27 février 2025, le groupe a rassemblé une "
    "vingtaine de personnes, porteurs de projets existants ou en réflexion : l'association de "
    "familles aidantes « Les petits originaux », la coiffeuse Solid'hair, l'association « La "
    "CAHC en folie ». Tous sont confrontés à la recherche de leur modèle économique et de locaux "
    "adaptés à leur activité."
)

GROUPS = [
    {
        "slug": "mobilite",
        "name": "Mobilité sociale, solidaire et inclusive",
        "order": 1,
        "accent_color": "#1d4f91",
        "short_description": "Lutter contre l'exclusion par la mobilité : garage solidaire, "
        "ateliers mobiles et dépannage solidaire.",
        "description": (
            "Le garage solidaire de Courrières poursuit son développement à travers des actions "
            "concrètes en faveur de la mobilité pour tous. Il a récemment mis en place des "
            "ateliers mobiles grâce à un utilitaire aménagé, permettant d'intervenir directement "
            "auprès des habitants. Ces ateliers se déplacent désormais au cœur des 12 quartiers "
            "prioritaires (QPV) de l'agglomération Hénin-Carvin, facilitant l'accès à "
            "l'entretien et à la réparation de véhicules pour les personnes les plus éloignées "
            "des services traditionnels. Par ailleurs, l'acquisition d'une dépanneuse renforce "
            "l'offre du garage, en assurant un dépannage rapide et solidaire. Ces évolutions "
            "renforcent la mission sociale du garage : lutter contre l'exclusion par la mobilité."
            "\n\n"
            "Dans cette dynamique, un événement dédié à la mobilité a été organisé sur le parking "
            "d'Aushopping à Noyelles-Godault. L'objectif était de faire connaître au grand public "
            "l'ensemble des solutions de mobilité existantes sur le territoire de la CAHC, en "
            "réunissant différents acteurs engagés pour une mobilité plus inclusive et durable."
            "\n\n"
            "Enfin, le garage solidaire s'implique activement dans le projet structurant du Canal "
            "Seine-Nord Europe, en assurant le transport des salariés vers le chantier de "
            "Marquion. Cette mission renforce son rôle d'acteur de la mobilité locale, au service "
            "de l'insertion professionnelle et du développement économique du territoire."
        ),
        "leads": [{"person": "fabrice-taupin", "structure": "afeji", "title": "chef de file"}],
        "contacts": [{"label": "", "phone": "03 59 61 05 20"}],
        "participant_structures": ["afeji"],
        "meetings": [
            {
                "date": datetime.date(2025, 9, 12),
                "start_time": datetime.time(9, 0),
                "venue": "garage-solidaire",
            },
            {
                "date": datetime.date(2025, 11, 14),
                "start_time": datetime.time(9, 0),
                "venue": "garage-solidaire",
            },
        ],
    },
    {
        "slug": "alimentation",
        "name": "Alimentation durable et consommation responsable",
        "order": 2,
        "accent_color": "#2f6a1e",
        "short_description": "Le maraîchage de Drocourt, ses premières récoltes et une classe "
        "de l'école Maurice Thorez chaque semaine.",
        "description": (
            "Le maraîchage de Drocourt continue de fleurir ! Courgettes, concombres, tomates, "
            "pommes de terre… les premières récoltes sont déjà là, fruits du travail collectif ! "
            "Dans les mois à venir, de nouveaux aménagements viendront renforcer le projet : "
            "plantations, outils pédagogiques et espaces cultivables supplémentaires."
            "\n\n"
            "Un beau partenariat se construit également avec l'école Maurice Thorez : une classe "
            "vient chaque semaine, accompagnée d'un encadrant de DIE, pour faire vivre le projet. "
            "Une belle aventure intergénérationnelle et locale !"
        ),
        "leads": [
            {"person": "odette-dauchet", "structure": "die", "title": "cheffe de file"},
            {
                "person": "brigitte-monseu",
                "structure": "apei-henin-carvin",
                "title": "cheffe de file",
            },
        ],
        "contacts": [
            {"label": "APEI Hénin-Carvin", "email": "siege@apei-henin.com"},
            {"label": "DIE", "phone": "03 21 20 79 44"},
        ],
        "participant_structures": ["die", "apei-henin-carvin"],
        "meetings": [
            {
                "date": datetime.date(2025, 10, 7),
                "start_time": datetime.time(14, 0),
                "venue": "siege-apei",
            },
            {
                "date": datetime.date(2025, 12, 2),
                "start_time": datetime.time(14, 0),
                "venue": "siege-apei",
            },
        ],
    },
    {
        "slug": "developpement-social",
        "name": "Développement social local et citoyenneté active",
        "order": 3,
        "accent_color": "#8e2450",
        "short_description": "Accompagner les porteurs de projets du territoire, de la "
        "boutique « Coup de Cœur » à la Maison du projet Cœur de Mineur.",
        "description": (
            "Les réunions des 12 décembre 2024 et 27 février 2025 du groupe ont rassemblé une "
            "vingtaine de personnes, porteurs de projets existants ou en réflexion, dans des "
            "domaines variés : de l'association de familles aidantes « Les petits originaux », "
            "qui a un projet de café et parc de jeu inclusif afin que les familles puissent "
            "« se poser », à la coiffeuse Solid'hair, en passant par l'association « La CAHC en "
            "folie », qui a pour but de faire découvrir le patrimoine aux enfants et aux parents. "
            "Tous sont confrontés à la recherche de leur modèle économique et de locaux adaptés à "
            "leur activité. Un projet de restauration solidaire (mobile et/ou fixe) est "
            "également à l'étude."
            "\n\n"
            "L'association 1001 Commerce, en partenariat avec ACTIV, l'union commerciale de "
            "Carvin, a participé à l'ouverture, depuis la fin de l'année 2024, de la boutique "
            "des créateurs « Coup de Cœur », qui permet à un collectif de créatrices et de "
            "créateurs d'exposer et de vendre leurs créations tout en bénéficiant de conditions "
            "avantageuses liées à leur cohésion de groupe. Un concept qui pourrait bien devenir "
            "un modèle à suivre."
            "\n\n"
            "La Maison du projet Cœur de Mineur, animée par Les Compagnons Bâtisseurs et "
            "soutenue par la Ville et Maisons et Cités, est devenue un lieu de vie et d'échanges "
            "essentiel au cœur du quartier Darcy. Entre janvier et juillet 2025, elle a accueilli "
            "111 bénéficiaires ou usagers, avec un programme dynamique pour animer la vie locale "
            "et renforcer le lien social : 13 ateliers participatifs, 11 accueils partenaires et "
            "14 permanences."
        ),
        "leads": [
            {"person": "olivier-herlin", "structure": "1001-commerce", "title": "chef de file"},
            {
                "person": "serge-roussel",
                "structure": "compagnons-batisseurs",
                "title": "chef de file",
            },
        ],
        "contacts": [
            {"label": "1001 Commerce", "email": "contact@1001commerce.fr"},
            {"label": "Les Compagnons Bâtisseurs", "email": "s.roussel@compagnonsbatisseurs.eu"},
            {"label": "Les Compagnons Bâtisseurs", "email": "f.duval@compagnonsbatisseurs.eu"},
        ],
        "participant_structures": [
            "1001-commerce",
            "compagnons-batisseurs",
            "les-petits-originaux",
            "solid-hair",
            "la-cahc-en-folie",
        ],
        "meetings": [
            {
                "date": datetime.date(2024, 12, 12),
                "status": "held",
                "minutes": DEVELOPPEMENT_SOCIAL_PAST_MEETINGS,
            },
            {
                "date": datetime.date(2025, 2, 27),
                "status": "held",
                "minutes": DEVELOPPEMENT_SOCIAL_PAST_MEETINGS,
            },
            {
                "date": datetime.date(2025, 9, 25),
                "start_time": datetime.time(14, 0),
                "venue": "piac",
            },
            {
                "date": datetime.date(2025, 11, 27),
                "start_time": datetime.time(14, 0),
                "venue": "piac",
            },
        ],
    },
    {
        "slug": "transition",
        "name": "Transition énergétique et économie circulaire",
        "order": 4,
        "accent_color": "#6b4a00",
        "short_description": "La filière de réemploi des matériaux du bâtiment : une "
        "plateforme à Rouvroy et des formations aux nouveaux métiers.",
        "description": (
            "Avec l'appui des membres du groupe, le projet de plateforme de réemploi des "
            "matériaux du bâtiment continue d'avancer. Le compromis de vente du terrain, sur la "
            "commune de Rouvroy, a été signé en octobre 2024 et le permis de construire a été "
            "déposé en décembre 2024. Les demandes de subventions sont en cours : deux aides ont "
            "déjà été déposées en début d'année 2025, avec une première réponse positive reçue en "
            "juillet. Un groupe de travail dédié aux formations sur les nouveaux métiers du "
            "réemploi a été constitué pour mieux répondre aux besoins de la filière."
        ),
        "leads": [{"person": "nordine-boukhateb", "structure": "adds", "title": "chef de file"}],
        "contacts": [{"label": "", "phone": "03 21 20 35 58"}],
        "participant_structures": ["adds"],
        "meetings": [
            {
                "date": datetime.date(2025, 10, 13),
                "start_time": datetime.time(14, 0),
                "venue": "adds",
            },
            {
                "date": datetime.date(2025, 12, 15),
                "start_time": datetime.time(14, 0),
                "venue": "adds",
            },
        ],
    },
]

# --- Projects ----------------------------------------------------------------------------------

PROJECTS = [
    {
        "slug": "garage-solidaire-courrieres",
        "name": "Garage solidaire de Courrières",
        "group": "mobilite",
        "status": "running",
        "structures": [],
        "summary": "Entretien et réparation de véhicules pour tous, ateliers mobiles dans les "
        "12 QPV, dépannage solidaire et transport vers le chantier du Canal Seine-Nord Europe.",
        "description": (
            "Le garage solidaire de Courrières lutte contre l'exclusion par la mobilité. Des "
            "ateliers mobiles, dans un utilitaire aménagé, se déplacent au cœur des 12 quartiers "
            "prioritaires (QPV) de l'agglomération Hénin-Carvin pour faciliter l'entretien et la "
            "réparation de véhicules des personnes les plus éloignées des services traditionnels. "
            "L'acquisition d'une dépanneuse permet un dépannage rapide et solidaire."
            "\n\n"
            "Le garage assure aussi le transport des salariés vers le chantier du Canal "
            "Seine-Nord Europe, à Marquion, au service de l'insertion professionnelle et du "
            "développement économique du territoire."
            "\n\n"
            "Dans cette dynamique, un événement dédié à la mobilité a été organisé sur le parking "
            "d'Aushopping à Noyelles-Godault, pour faire connaître au grand public les solutions "
            "de mobilité du territoire de la CAHC."
        ),
        "updates": [],
    },
    {
        "slug": "maraichage-drocourt",
        "name": "Maraîchage de Drocourt",
        "group": "alimentation",
        "status": "running",
        "structures": ["die"],
        "summary": "Les premières récoltes du maraîchage collectif, et une classe de l'école "
        "Maurice Thorez chaque semaine.",
        "description": (
            "Courgettes, concombres, tomates, pommes de terre… les premières récoltes sont là, "
            "fruits du travail collectif. De nouveaux aménagements sont prévus : plantations, "
            "outils pédagogiques et espaces cultivables supplémentaires."
            "\n\n"
            "Une classe de l'école Maurice Thorez vient chaque semaine, accompagnée d'un "
            "encadrant de DIE, pour faire vivre le projet."
        ),
        "updates": [],
    },
    {
        "slug": "cafe-parc-de-jeu-inclusif",
        "name": "Café et parc de jeu inclusif",
        "group": "developpement-social",
        "status": "idea",
        "structures": ["les-petits-originaux"],
        "summary": "Un café et un parc de jeu inclusifs, pour que les familles aidantes "
        "puissent « se poser ».",
        "description": "Projet de l'association de familles aidantes « Les petits originaux », "
        "qui cherche son modèle économique et des locaux adaptés.",
        "updates": [],
    },
    {
        "slug": "solid-hair",
        "name": "Solid'hair",
        "group": "developpement-social",
        "status": "idea",
        "structures": ["solid-hair"],
        "summary": "La coiffeuse Solid'hair, porteuse de projet accompagnée par le groupe.",
        "description": "Comme les autres porteurs de projets du groupe, Solid'hair cherche son "
        "modèle économique et des locaux adaptés à son activité.",
        "updates": [],
    },
    {
        "slug": "decouverte-du-patrimoine",
        "name": "Découverte du patrimoine pour les enfants et les parents",
        "group": "developpement-social",
        "status": "idea",
        "structures": ["la-cahc-en-folie"],
        "summary": "Faire découvrir le patrimoine aux enfants et aux parents.",
        "description": "Projet de l'association « La CAHC en folie », qui cherche son modèle "
        "économique et des locaux adaptés.",
        "updates": [],
    },
    {
        "slug": "restauration-solidaire",
        "name": "Restauration solidaire",
        "group": "developpement-social",
        "status": "study",
        "structures": [],
        "summary": "Un projet de restauration solidaire, mobile et/ou fixe, à l'étude.",
        "description": "",
        "updates": [],
    },
    {
        "slug": "boutique-coup-de-coeur",
        "name": "Boutique des créateurs « Coup de Cœur »",
        "group": "developpement-social",
        "status": "running",
        "structures": ["1001-commerce", "activ"],
        "summary": "Une boutique où un collectif de créatrices et de créateurs expose et vend "
        "ses créations.",
        "description": (
            "L'association 1001 Commerce, en partenariat avec ACTIV, l'union commerciale de "
            "Carvin, a participé à l'ouverture de la boutique des créateurs « Coup de Cœur ». "
            "Un collectif de créatrices et de créateurs y expose et vend ses créations, en "
            "bénéficiant de conditions avantageuses liées à sa cohésion de groupe. Un concept qui "
            "pourrait bien devenir un modèle à suivre."
        ),
        "updates": [
            {
                "date": datetime.date(2024, 1, 1),
                "precision": "year",
                "text": "Ouverture de la boutique, à la fin de l'année 2024.",
            },
        ],
    },
    {
        "slug": "maison-du-projet-coeur-de-mineur",
        "name": "Maison du projet Cœur de Mineur",
        "group": "developpement-social",
        "status": "running",
        "structures": ["compagnons-batisseurs"],
        "summary": "Un lieu de vie et d'échanges au cœur du quartier Darcy.",
        "description": (
            "Animée par Les Compagnons Bâtisseurs et soutenue par la Ville et Maisons et Cités, "
            "la Maison du projet Cœur de Mineur est devenue un lieu de vie et d'échanges "
            "essentiel au cœur du quartier Darcy, avec un programme pour animer la vie locale et "
            "renforcer le lien social."
        ),
        "updates": [
            {
                "date": datetime.date(2025, 7, 1),
                "precision": "month",
                "text": "De janvier à juillet 2025 : 111 bénéficiaires ou usagers accueillis, "
                "13 ateliers participatifs, 11 accueils partenaires et 14 permanences.",
            },
        ],
    },
    {
        "slug": "plateforme-reemploi-materiaux-rouvroy",
        "name": "Plateforme de réemploi des matériaux du bâtiment",
        "group": "transition",
        "status": "in_progress",
        "structures": [],
        "summary": "Une plateforme de réemploi des matériaux du bâtiment, sur un terrain à "
        "Rouvroy.",
        "description": "Avec l'appui des membres du groupe Transition énergétique et économie "
        "circulaire, le projet de plateforme de réemploi des matériaux du bâtiment continue "
        "d'avancer.",
        "updates": [
            {
                "date": datetime.date(2024, 10, 1),
                "precision": "month",
                "text": "Signature du compromis de vente du terrain, sur la commune de Rouvroy.",
            },
            {
                "date": datetime.date(2024, 12, 1),
                "precision": "month",
                "text": "Dépôt du permis de construire.",
            },
            {
                # « en début d'année 2025 »: the month is not known.
                "date": datetime.date(2025, 1, 1),
                "precision": "year",
                "text": "Deux demandes de subvention déposées en début d'année.",
            },
            {
                "date": datetime.date(2025, 7, 1),
                "precision": "month",
                "text": "Première réponse positive à une demande de subvention.",
            },
        ],
    },
    {
        "slug": "formations-metiers-du-reemploi",
        "name": "Formations aux nouveaux métiers du réemploi",
        "group": "transition",
        "status": "in_progress",
        "structures": [],
        "summary": "Un groupe de travail dédié aux formations sur les nouveaux métiers du "
        "réemploi, pour mieux répondre aux besoins de la filière.",
        "description": "",
        "updates": [],
    },
    {
        "slug": "friperie-solidaire",
        "name": "Friperie solidaire",
        "group": "transition",
        "status": "running",
        "structures": [],
        "summary": "Une friperie solidaire, ouverte en 2024 dans le cadre de l'économie "
        "circulaire.",
        "description": "",
        "updates": [
            {
                "date": datetime.date(2024, 1, 1),
                "precision": "year",
                "text": "Ouverture de la friperie solidaire.",
            },
        ],
    },
]

# --- The projects' activity reports and the cooperations (the yearly report) -------------------
# Only what the newsletter gives: the Maison du projet's first seven months of 2025, and the
# creators' shop that 1001 Commerce runs with ACTIV « depuis fin 2024 » (December 2024).

ACTIVITY_REPORTS = [
    {
        "project": "maison-du-projet-coeur-de-mineur",
        "period_start": datetime.date(2025, 1, 1),
        "period_end": datetime.date(2025, 7, 31),
        "beneficiaries": 111,
        "source": "Lettre d'information de l'été 2025",
        "counts": [
            ("ateliers participatifs", 13),
            ("accueils partenaires", 11),
            ("permanences", 14),
        ],
    },
]

COOPERATIONS = [
    {
        "title": "Boutique de créateurs « Coup de Cœur » à Carvin",
        "structures": ["1001-commerce", "activ"],
        "since": datetime.date(2024, 12, 1),
        "group": "developpement-social",
        "project": "boutique-coup-de-coeur",
    },
]

# --- The projects' status over time (the yearly report's « projets accompagnés ») -------------
# The statuses the newsletter dates, each (status, since), the last one the project's status. A
# project it does not date had its status when it was written: from STATUSES_KNOWN_ON on, the
# month of its latest news (the first answer to a grant request, the Maison du projet's report).

STATUSES_KNOWN_ON = datetime.date(2025, 7, 1)
PROJECT_STATUS_HISTORY = {
    # « Le compromis de vente du terrain […] a été signé en octobre 2024 et le permis de
    # construire a été déposé en décembre 2024 »: being set up from October 2024.
    "plateforme-reemploi-materiaux-rouvroy": [("in_progress", datetime.date(2024, 10, 1))],
    # « a participé à l'ouverture depuis la fin de l'année 2024 » (December, as the cooperation).
    "boutique-coup-de-coeur": [("running", datetime.date(2024, 12, 1))],
    # « l'ouverture de la friperie solidaire » in 2024: the month is not known.
    "friperie-solidaire": [("running", datetime.date(2024, 1, 1))],
}

# --- Events ------------------------------------------------------------------------------------
# The seminar and the assembly have no hours in the newsletter: whole-day events. The seminar and
# the assembly are the association's own, which is not a structure of its member file: no
# organiser is recorded for them.

EVENTS = [
    {
        "slug": "premier-seminaire-2025",
        "title": "Premier séminaire du PTCE Hénin-Carvin",
        "kind": "seminar",
        "date": datetime.date(2025, 5, 13),
        "venue": "chaufferie-9-9bis",
        "organisers": [],
        "is_published": True,
        "summary": "Une journée placée sous le signe de la coopération et de l'engagement "
        "territorial : le modèle de la SCIC, des ateliers tournants et une table ronde sur "
        "l'évolution des structures de l'ESS.",
        "body": (
            "Le premier séminaire du PTCE Hénin-Carvin a été organisé le 13 mai 2025 à la grande "
            "chaufferie du 9-9bis à Oignies. Il a débuté par le discours d'ouverture du président "
            "du PTCE Hénin-Carvin, Monsieur Nordine BOUKHATEB, suivi de l'intervention du "
            "vice-président de la CAHC, Monsieur Marcello DELLA FRANCA, marquant ainsi le "
            "lancement officiel de cette journée placée sous le signe de la coopération et de "
            "l'engagement territorial."
            "\n\n"
            "Il constitue un moment clé de la vie du collectif, organisé pour renforcer les liens "
            "entre ses membres et partenaires, améliorer la communication interne, stimuler "
            "l'innovation, et valoriser les engagements de chacun."
            "\n\n"
            "Le témoignage de Monsieur Rachid CHERFAOUI a mis en lumière l'intérêt stratégique du "
            "modèle de la SCIC (Société Coopérative d'Intérêt Collectif) comme outil structurant "
            "pour faire évoluer durablement un territoire, en particulier dans des contextes "
            "marqués par des inégalités sociales ou économiques. Il a insisté sur le fait que la "
            "SCIC, en associant salariés, usagers, collectivités, structures de l'ESS et "
            "partenaires privés dans une même gouvernance démocratique, permet de sortir d'un "
            "modèle vertical classique pour aller vers une gestion collective des projets à fort "
            "impact local."
            "\n\n"
            "Le matin, des ateliers tournants ont permis aux participants d'échanger autour de "
            "sujets importants pour le PTCE Hénin-Carvin :\n"
            "- les indicateurs de suivi d'activité des PTCE, animé par la CRESS ;\n"
            "- comment mobiliser de nouveaux acteurs, et comment préserver l'intérêt des "
            "partenaires, animé par l'APES ;\n"
            "- l'élaboration de nouveaux projets pour le PTCE Hénin-Carvin, animé par l'IRIAE ;\n"
            "- les méthodes de mise en place de l'innovation sociale dans les projets, préparé "
            "par l'Institut GODIN."
            "\n\n"
            "L'après-midi, une table ronde a été organisée sur le thème de l'évolution des "
            "structures de l'ESS en présence de Sarah DUPONT de la CAHC, Isabelle LEROY-SELOSSE "
            "de l'APEI et Sylvain DURSENT de l'IRIAE. Ensuite, trois tables ont été constituées "
            "pour réfléchir sur l'organisation d'un événement pour les groupes Transition "
            "écologique et Développement social ; pour le groupe Mobilité sociale, les réflexions "
            "se sont portées sur les interactions territoriales en lien avec les structures de "
            "l'IAE du territoire et le projet Canal Seine-Nord Europe."
        ),
        "sessions": [
            {
                "part_of_day": "morning",
                "kind": "opening",
                "title": "Discours d'ouverture",
                "speakers": [
                    {"person": "nordine-boukhateb", "role": "président du PTCE Hénin-Carvin"},
                ],
            },
            {
                "part_of_day": "morning",
                "kind": "address",
                "title": "Intervention du vice-président de la CAHC",
                "description": "Le lancement officiel de la journée, placée sous le signe de la "
                "coopération et de l'engagement territorial.",
                "speakers": [
                    {
                        "person": "marcello-della-franca",
                        "structure": "cahc",
                        "role": "vice-président de la CAHC",
                    },
                ],
            },
            {
                # The text does not say whether the testimony came before the workshops.
                "part_of_day": "",
                "kind": "testimony",
                "title": "L'intérêt stratégique du modèle de la SCIC",
                "description": (
                    "La SCIC (société coopérative d'intérêt collectif), outil structurant pour "
                    "faire évoluer durablement un territoire, en particulier dans des contextes "
                    "marqués par des inégalités sociales ou économiques : en associant salariés, "
                    "usagers, collectivités, structures de l'ESS et partenaires privés dans une "
                    "même gouvernance démocratique, elle permet de sortir d'un modèle vertical "
                    "classique pour aller vers une gestion collective des projets à fort impact "
                    "local."
                ),
                "speakers": [{"person": "rachid-cherfaoui", "role": ""}],
            },
            {
                "part_of_day": "morning",
                "kind": "workshop",
                "title": "Les indicateurs de suivi d'activité des PTCE",
                "description": "Atelier tournant, animé par la CRESS.",
                "facilitator": "cress",
            },
            {
                "part_of_day": "morning",
                "kind": "workshop",
                "title": "Comment mobiliser de nouveaux acteurs, et comment préserver l'intérêt "
                "des partenaires",
                "description": "Atelier tournant, animé par l'APES.",
                "facilitator": "apes",
            },
            {
                "part_of_day": "morning",
                "kind": "workshop",
                "title": "L'élaboration de nouveaux projets pour le PTCE Hénin-Carvin",
                "description": "Atelier tournant, animé par l'IRIAE.",
                "facilitator": "iriae",
            },
            {
                "part_of_day": "morning",
                "kind": "workshop",
                "title": "Les méthodes de mise en place de l'innovation sociale dans les projets",
                "description": "Atelier tournant, préparé par l'Institut Godin.",
                "facilitator": "institut-godin",
            },
            {
                "part_of_day": "afternoon",
                "kind": "round_table",
                "title": "L'évolution des structures de l'ESS",
                "speakers": [
                    {
                        "person": "sarah-dupont",
                        "structure": "cahc",
                        "role": "chargée de mission ESS de la CAHC",
                    },
                    {"person": "isabelle-leroy-selosse", "structure": "apei-henin-carvin"},
                    {"person": "sylvain-dursent", "structure": "iriae"},
                ],
            },
            # « Trois tables » for three groups: one each, as the text lists them.
            {
                "part_of_day": "afternoon",
                "kind": "discussion_tables",
                "title": "Table du groupe Transition écologique : l'organisation d'un événement",
            },
            {
                "part_of_day": "afternoon",
                "kind": "discussion_tables",
                "title": "Table du groupe Développement social : l'organisation d'un événement",
            },
            {
                "part_of_day": "afternoon",
                "kind": "discussion_tables",
                "title": "Table du groupe Mobilité sociale : les interactions territoriales avec "
                "les structures de l'IAE du territoire et le projet Canal Seine-Nord Europe",
            },
        ],
    },
    {
        "slug": "assemblee-generale-2025",
        "title": "Assemblée générale 2025",
        "kind": "general_assembly",
        "date": datetime.date(2025, 6, 18),
        "venue": None,
        "organisers": [],
        "is_published": True,
        "summary": "L'assemblée générale de l'association, avec le rapport moral du président, "
        "Nordine BOUKHATEB.",
        "body": (
            "Dans son rapport moral, le président, Nordine BOUKHATEB, a retracé l'histoire du "
            "PTCE depuis le noyau de 2021, présenté l'année 2024, « année charnière », et les "
            "projets des groupes de travail, puis une nouvelle étape stratégique : la "
            "transformation de l'association en SCIC (société coopérative d'intérêt collectif)."
        ),
        "sessions": [
            {
                "part_of_day": "",
                "kind": "address",
                "title": "Rapport moral du président",
                "speakers": [{"person": "nordine-boukhateb", "role": "président"}],
            },
        ],
    },
    *(
        {
            "slug": f"petit-dejeuner-ess-{day.isoformat()}",
            "title": "Petit déjeuner de l'ESS",
            "kind": "breakfast",
            "date": day,
            "start_time": datetime.time(8, 30),
            "venue": None,
            "organisers": ["cahc"],
            "is_published": True,
            "summary": "Un petit déjeuner de l'économie sociale et solidaire, organisé par la "
            "CAHC.",
            "body": "",
            "sessions": [],
        }
        for day in (datetime.date(2025, 10, 14), datetime.date(2025, 11, 25))
    ),
]

# --- The newsletter itself, as issue n° 1 of « La lettre du PTCE » ---------------------------
# The seminar's article, and the issue: what the records give is composed by
# news.services.composing (the seminar, the events, each group's projects and next dates, the
# 2024 figures); the sections no record holds are written here, as the newsletter says them.
# The newsletter gives a season, not a date: « été 2025 », after the general assembly of 18
# June; the first day of July is used.

ARTICLES = [
    {
        "slug": "premier-seminaire-2025",
        "title": "Premier séminaire du PTCE Hénin-Carvin",
        "event": "premier-seminaire-2025",
        "published_on": datetime.date(2025, 5, 13),
    },
]

ISSUE = {
    "number": 1,
    "title": "Lettre d'information — été 2025",
    "published_on": datetime.date(2025, 7, 1),
    "period_start": datetime.date(2024, 1, 1),
    "free_sections": [
        {
            "after": "article",
            "title": "Merci à Jean-Michel BONDU",
            "body": (
                "Un grand merci à Jean-Michel BONDU, consultant du PTCE Hénin-Carvin, pour son "
                "accompagnement précieux depuis mars 2024. Par son regard stratégique, son "
                "expertise et sa disponibilité, il a grandement contribué à structurer notre "
                "fonctionnement, à consolider notre modèle économique et à nourrir les "
                "réflexions collectives. Sa collaboration attentive a été un atout majeur dans "
                "le développement et la professionnalisation de notre démarche."
            ),
        },
        {
            "after": "figures",
            "title": "PTCE et CAHC : un travail en collaboration !",
            "body": (
                "Un grand merci à Sarah DUPONT, chargée de mission ESS de la CAHC, et à "
                "Rodolphe MOGLIA, chargé d'animation également en charge du développement du "
                "PTCE, pour leurs présences régulières à nos réunions, et leurs précieuses "
                "contributions."
            ),
        },
        {
            "after": "group",
            "title": "Bienvenue à Rodolphe MOGLIA, nouveau chargé de développement du PTCE",
            "body": (
                "Depuis juillet 2024, il a rejoint l'équipe du PTCE en tant que chargé "
                "d'animation et de développement. Son arrivée marque une nouvelle étape dans la "
                "structuration et le développement de notre PTCE."
            ),
        },
        {
            "after": "group",
            "title": "Un nouveau local pour impulser la coopération",
            "body": (
                "Le PTCE Hénin-Carvin a emménagé en septembre dernier dans son nouveau local, à "
                "la Résidence Alsace de Montigny-en-Gohelle, au cœur de la ZAC des Deux Villes. "
                "Ce lieu devient un espace de coordination, d'échange et d'animation pour "
                "l'ensemble des membres du collectif. Il symbolise notre ancrage local et notre "
                "volonté d'agir au plus près des besoins du territoire."
            ),
        },
    ],
    # The groups whose summer-2025 news no project's progress note holds: the seed's text, kept
    # in the group's description, opens their section.
    "groups_told_by_description": ["mobilite", "alimentation"],
}
