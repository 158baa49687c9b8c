"""French: the UI catalogue and the water glossary's translations."""

from __future__ import annotations

from processing import catchment
from processing.kernels.water_balance import DEFICIT_MONTH_MM
from processing.output_spec import STRESS_MILD, STRESS_SEVERE
from processing.programme import WATER_NOTE
from processing.robustness import DEFAULT_DRAWS, ROBUST_SHARE

NAME = "Français"
# thousands separator and decimal mark (CLDR: a narrow no-break space groups thousands)
NUMBER_MARKS: tuple[str, str] = ("\u202f", ",")
# a percentage's sign after the number (CLDR), with the space the language puts before it
PERCENT_SIGN = "\u202f%"
COLON = "\u202f:"  # after a label

# the label of each unit the dashboard shows (symbols alike in every language are not listed)
UNITS: dict[str, str] = {
    "mm/yr": "mm/an",
    "mm/month": "mm/mois",
    "m³/yr": "m³/an",
    "m³/month": "m³/mois",
    "months/yr": "mois/an",
    "community-months/yr": "mois-communautés/an",
    "t CO₂/yr": "t CO₂/an",
    "ratio": "ratio",
    "score 0..1": "score 0..1",
    "class": "classe",
    "% of weight draws": "% des tirages de poids",
    "units per community": "unités par communauté",
}

CATALOGUE: dict[str, str] = {
    # side panel
    "SYNTHETIC DATA": "DONNÉES SYNTHÉTIQUES",
    "Language": "Langue",
    "Rainfall month": "Mois de la pluie",
    "Communities": "Communautés",
    "Colour communities by": "Colorer les communautés selon",
    "Selected community": "Communauté choisie",
    "Click a community on the map.": "Cliquez sur une communauté de la carte.",
    "Find a community or watershed...": "Chercher une communauté ou un bassin...",
    "Project sites": "Sites de projet",
    "Type": "Type",
    "Status": "Statut",
    "Land use": "Occupation du sol",
    "Layers": "Couches",
    "Layer": "Couche",
    "Source": "Source",
    "Date": "Date",
    "Units": "Unités",
    "Licence": "Licence",
    "Layers & details": "Couches et détails",
    "Raster opacity": "Opacité des rasters",
    "Show or hide the side panel": "Afficher ou masquer le panneau",
    "No results yet: run `landwater process` on this region to colour communities by indicator.": (
        "Pas encore de résultats : lancez `landwater process` sur cette région pour colorer les "
        "communautés par indicateur."
    ),
    "Skip to the map layers": "Aller aux couches de la carte",
    "Skip to suggest sites": "Aller à la suggestion de sites",
    "Skip to the scenario": "Aller au scénario",
    "Skip links": "Liens d'accès rapide",
    "weight": "poids",
    # map layers
    "OpenStreetMap (online)": "OpenStreetMap (en ligne)",
    "Hillshade (offline)": "Relief ombré (hors ligne)",
    "Hillshade from the region DEM": "Relief ombré du MNT de la région",
    "Rainfall": "Pluie",
    "Watersheds": "Bassins versants",
    "Water deficit": "Déficit hydrique",
    "Recharge": "Recharge",
    "Runoff": "Ruissellement",
    # indicators
    "Annual rainfall": "Pluie annuelle",
    "Water deficit (PET - AET)": "Déficit hydrique (ETP - ETR)",
    "Surface runoff": "Ruissellement de surface",
    "Recharge (soil surplus)": "Recharge (excédent du sol)",
    "Water-stress index (AET/PET)": "Indice de stress hydrique (ETR/ETP)",
    "Share of cropland": "Part des cultures",
    "What it means:": "Ce que cela signifie :",
    # profile
    "Monthly water balance": "Bilan hydrique mensuel",
    "Year by year": "Année par année",
    "Year": "Année",
    "vs. mean": "écart à la moyenne",
    "dry year (below the {p}th percentile)": "année sèche (sous le {p}e centile)",
    "Annual totals": "Totaux annuels",
    "Crop PET": "ETP des cultures",
    "Actual ET": "ET réelle",
    "Deficit": "Déficit",
    "population": "population",
    "households": "ménages",
    "Water-stress index": "Indice de stress hydrique",
    "months in deficit": "mois en déficit",
    "none": "aucun",
    "No project sites recorded here.": "Aucun site de projet enregistré ici.",
    "% of area": "% de la surface",
    "Jan": "janv.",
    "Feb": "févr.",
    "Mar": "mars",
    "Apr": "avr.",
    "May": "mai",
    "Jun": "juin",
    "Jul": "juil.",
    "Aug": "août",
    "Sep": "sept.",
    "Oct": "oct.",
    "Nov": "nov.",
    "Dec": "déc.",
    "Annual": "Annuel",
    # suitability and crops in the profile
    "Suitability": "Aptitude",
    "Suitability for interventions": "Aptitude aux interventions",
    "Crops: best planting month": "Cultures : meilleur mois de semis",
    "No suitability results yet.": "Pas encore de résultats d'aptitude.",
    "No crop results (needs monthly Tmin and Tmax).": (
        "Pas de résultats pour les cultures (il faut Tmin et Tmax mensuelles)."
    ),
    "Intervention": "Intervention",
    "Score": "Score",
    "S1 / S2 / S3 / N": "S1 / S2 / S3 / N",
    "Limited by": "Limité par",
    "Crop": "Culture",
    "Plant in": "Semer en",
    "all year": "toute l'année",
    "Slope": "Pente",
    "Elevation": "Altitude",
    "Soil group": "Groupe de sol",
    "Soil water capacity": "Réserve utile du sol",
    "Distance to roads": "Distance aux routes",
    "Distance to existing sites": "Distance aux sites existants",
    "Constraints": "Contraintes",
    "Maize": "Maïs",
    "Common beans": "Haricot commun",
    "Sorghum": "Sorgho",
    "Cassava": "Manioc",
    "Finger millet": "Éleusine",
    "Arabica coffee": "Café arabica",
    "Tea": "Thé",
    # designer's workbench
    "Candidate sites": "Sites candidats",
    "Choose a saved shortlist first.": "Choisissez d'abord une liste enregistrée.",
    "Clear": "Effacer",
    "Community": "Communauté",
    "Community deficit": "Déficit de la communauté",
    "Community ranking": "Classement des communautés",
    "Community runoff": "Ruissellement de la communauté",
    "Criterion": "Critère",
    "Criterion weights": "Poids des critères",
    "Delete": "Supprimer",
    "Deleted.": "Supprimée.",
    "Design interventions": "Concevoir les interventions",
    "Give at least one criterion a weight.": "Donnez un poids à au moins un critère.",
    "Max. per community": "Max. par communauté",
    "Membership": "Appartenance",
    "Min. distance to existing sites (m)": "Distance min. aux sites existants (m)",
    "Min. spacing (m)": "Espacement min. (m)",
    "Nearest existing site": "Site existant le plus proche",
    "No candidate sites to save.": "Aucun site candidat à enregistrer.",
    "No candidate sites yet.": "Pas encore de sites candidats.",
    "Open": "Ouvrir",
    "Pick sites by clicking the map": "Choisir des sites en cliquant sur la carte",
    "Remove": "Retirer",
    "Rename": "Renommer",
    "Save as new": "Enregistrer comme nouvelle",
    "Saved shortlists": "Listes enregistrées",
    "Shortlist name": "Nom de la liste",
    "Shortlists": "Listes de sites",
    "Sites": "Sites",
    "Suggest sites": "Proposer des sites",
    "Suitability needs results: run `landwater process` on this region.": (
        "L'aptitude a besoin des résultats : lancez `landwater process` sur cette région."
    ),
    "That shortlist no longer exists.": "Cette liste n'existe plus.",
    "Update with candidates": "Mettre à jour avec les candidats",
    "Value": "Valeur",
    "Watershed": "Bassin versant",
    "Weight": "Poids",
    "Your name": "Votre nom",
    "note": "note",
    "Opened": "Ouverte :",
    "Saved": "Enregistrée :",
    "sites suggested": "sites proposés",
    "Suitability (designer weights)": "Aptitude (poids du concepteur)",
    "#": "#",
    "S1+S2 ha": "S1+S2 ha",
    "Area of interest": "Zone d'intérêt",
    "Only inside the area of interest": "Seulement dans la zone d'intérêt",
    "Draw a polygon or rectangle with the tools on the map, or upload one:": (
        "Dessinez un polygone ou un rectangle avec les outils de la carte, ou téléversez-en un :"
    ),
    "GeoJSON, GeoPackage, KML or zipped shapefile (max {mb} MB)": (
        "GeoJSON, GeoPackage, KML ou shapefile zippé ({mb} Mo max.)"
    ),
    "invalid polygons repaired": "polygones invalides réparés",
    "Clear the area": "Effacer la zone",
    "{n} sites suggested, best first.": "{n} sites suggérés, le meilleur en premier.",
    "{m:,.0f} m apart": "à {m:,.0f} m les uns des autres",
    "at most {n} per community": "au plus {n} par communauté",
    "{m:,.0f} m from existing sites": "à {m:,.0f} m des sites existants",
    "inside the area of interest": "dans la zone d'intérêt",
    "{found} of {asked} sites suggested: no other suitable land is left {limits}. "
    "Lower the spacing, relax the limits or ask for fewer sites.": (
        "{found} sites suggérés sur {asked} : il ne reste pas d'autre terrain favorable "
        "{limits}. Réduisez l'espacement, assouplissez les limites ou demandez moins de sites."
    ),
    "{listed} of {found} suggested sites listed: the list holds at most {max} sites. "
    "Remove some sites first.": (
        "{listed} des {found} sites suggérés sont listés : la liste compte au plus {max} sites. "
        "Retirez d'abord des sites."
    ),
    "Area cleared.": "Zone effacée.",
    "polygon(s)": "polygone(s)",
    "vertices": "sommets",
    "Agroforestry per community (ha)": "Agroforesterie par communauté (ha)",
    "All communities": "Toutes les communautés",
    "Choose a saved scenario first.": "Choisissez d'abord un scénario enregistré.",
    "Convert land use": "Convertir l'occupation du sol",
    "Farm ponds per community": "Mares par communauté",
    "Harvested m³": "Récolté m³",
    "Pond volume (m³)": "Volume de la mare (m³)",
    "Rainfall change (%)": "Variation de la pluie (%)",
    "Future climate": "Climat futur",
    "Printable brief with this future climate": "Fiche imprimable avec ce climat futur",
    "Uniform change (below)": "Changement uniforme (ci-dessous)",
    "Spread": "Dispersion",
    "min-max over the GCMs": "min-max entre les GCM",
    "10-90 % over the GCMs": "10-90 % entre les GCM",
    "future median": "médiane future",
    "GCM spread": "Dispersion des GCM",
    "Future": "Futur",
    "One GCM.": "Un seul GCM.",
    "Median of {n} GCMs ({gcms}); spread {spread}.": (
        "Médiane de {n} GCM ({gcms}) ; dispersion {spread}."
    ),
    "min-max": "min-max",
    "10-90 %": "10-90 %",
    "Best month": "Meilleur mois",
    "Potential score": "Score potentiel",
    "GCMs agreeing": "GCM d'accord",
    "Suitable area (S1 + S2) under the future climate": (
        "Surface favorable (S1 + S2) sous le climat futur"
    ),
    "Crops under the future climate (EcoCrop)": "Cultures sous le climat futur (EcoCrop)",
    (
        "Over the scenario's {n} communities; the water results move by the "
        "change of each cell's balance (delta method)."
    ): (
        "Sur les {n} communautés du scénario ; les résultats hydriques varient du"
        " changement du bilan de chaque cellule (méthode des deltas)."
    ),
    (
        "A future climate replaces the uniform rain and warming change: clear {rain} and "
        "{warming}, or the future climate."
    ): (
        "Un climat futur remplace le changement uniforme de pluie et de température : "
        "videz {rain} et {warming}, ou le climat futur."
    ),
    "Run scenario": "Lancer le scénario",
    "Save scenario": "Enregistrer le scénario",
    "Saved scenarios": "Scénarios enregistrés",
    "Scenario name": "Nom du scénario",
    "Scenario: change": "Scénario : variation",
    "Scenarios": "Scénarios",
    "Share converted (%)": "Part convertie (%)",
    "Terraces per community (ha)": "Terrasses par communauté (ha)",
    "Warming (°C)": "Réchauffement (°C)",
    "from": "de",
    "to": "vers",
    "Water harvested (used from ponds)": "Eau récoltée (utilisée depuis les mares)",
    "Pond fills per year": "Remplissages des mares par an",
    "Pond evaporation": "Évaporation des mares",
    "Fills/yr": "Remplissages/an",
    "Change in runoff": "Variation du ruissellement",
    "Change in recharge": "Variation de la recharge",
    "Change in actual ET": "Variation de l'ET réelle",
    "Months of deficit avoided": "Mois de déficit évités",
    "Months of deficit added": "Mois de déficit ajoutés",
    "a whole number": "un nombre entier",
    "a number": "un nombre",
    "enter {kind} from {low} to {high}": "saisissez {kind} de {low} à {high}",
    "enter {kind} above {low}": "saisissez {kind} supérieur à {low}",
    "enter {kind} of {low} or more": "saisissez {kind} d'au moins {low}",
    "enter {kind}": "saisissez {kind}",
    "{label}: this field is required; {fix}.": "{label} : ce champ est obligatoire ; {fix}.",
    "{label}: not a number; {fix}.": "{label} : ce n'est pas un nombre ; {fix}.",
    "{label}: {value} is not allowed; {fix}.": "{label} : {value} n'est pas accepté ; {fix}.",
    "{missing}: required with {other}; enter both, or clear both.": (
        "{missing} : obligatoire avec {other} ; saisissez les deux, ou videz les deux."
    ),
    "Convert land use: choose the class to convert, the class it becomes and "
    "the share converted (%), or clear all three.": (
        "Convertir l'occupation du sol : choisissez la classe à convertir, la classe "
        "d'arrivée et la part convertie (%), ou videz les trois."
    ),
    "Carbon sequestered (IPCC tier 1)": "Carbone séquestré (GIEC niveau 1)",
    "Households reached": "Ménages touchés",
    "baseline": "référence",
    "communities": "communautés",
    "Scenario: change in recharge": "Scénario : variation de la recharge",
    "Scenario: change in runoff": "Scénario : variation du ruissellement",
    "Scenario: change in actual ET": "Scénario : variation de l'ET réelle",
    "Scenario: change in deficit": "Scénario : variation du déficit",
    "Site moved.": "Site déplacé.",
    "Click the map where this site should go.": "Cliquez sur la carte là où ce site doit aller.",
    "Move: then click the map": "Déplacer : puis cliquez sur la carte",
    "Pairwise comparisons (AHP)": "Comparaisons par paires (AHP)",
    "How much more important is the row's criterion than the column's?": (
        "Combien le critère de la ligne est-il plus important que celui de la colonne ?"
    ),
    "row vs column": "ligne / colonne",
    "Excluded land use": "Occupation du sol exclue",
    "Slope limit": "Pente maximale",
    "Protected areas": "Aires protégées",
    "Water buffer": "Zone tampon autour de l'eau",
    "Consistency ratio": "Ratio de cohérence",
    "the comparisons contradict each other; revise them.": (
        "les comparaisons se contredisent ; revoyez-les."
    ),
    "consistent": "cohérent",
    "Crop suitability": "Aptitude des cultures",
    "plant in": "semer en",
    "Choose an intervention to pick or suggest sites.": (
        "Choisissez une intervention pour choisir ou proposer des sites."
    ),
    "EcoCrop: the crop's own limits, no weights.": (
        "EcoCrop : les limites propres à la culture, sans poids."
    ),
    "Map a scenario's change in": "Carte de la variation du scénario :",
    "Planner's map": "Carte du planificateur",
    "Downloads": "Téléchargements",
    "this could not be updated": "mise à jour impossible",
    "Earlier results were cleared; check the inputs and try again.": (
        "Les résultats précédents ont été effacés ; vérifiez les valeurs et réessayez."
    ),
    "Scenario": "Scénario",
    "Profile": "Profil",
    "Weights": "Poids",
    "Search": "Recherche",
    "Map": "Carte",
    "Processing": "Calcul",
    "Download": "Télécharger",
    "Download (Excel)": "Télécharger (Excel)",
    "Only the selected unit": "Seulement l'unité choisie",
    "Select a unit on the map first.": "Choisissez d'abord une unité sur la carte.",
    "Excel (all tables + README)": "Excel (toutes les tables + LISEZ-MOI)",
    "GeoPackage (all layers)": "GeoPackage (toutes les couches)",
    "Summary": "Résumé",
    "Monthly (long)": "Mensuel (format long)",
    "Suitability (long)": "Aptitude (format long)",
    "Crops (long)": "Cultures (format long)",
    "Printable brief": "Fiche imprimable",
    "This server is read-only: shortlists, scenarios, saved areas and monitoring records"
    " cannot be changed.": (
        "Ce serveur est en lecture seule : listes, scénarios, zones enregistrées et relevés"
        " de suivi ne peuvent pas être modifiés."
    ),
    "Editing needs a login: open /login, then try again.": (
        "La modification demande une connexion : ouvrez /login puis réessayez."
    ),
    "Observed": "Observé",
    "Simulated": "Simulé",
    "Period": "Période",
    "Months": "Mois",
    "Observed and simulated flow at the outlet": "Débit observé et simulé à l'exutoire",
    "Calibrated": "Calé",
    "baseflow recession": "tarissement du débit de base",
    "calibration": "calage",
    "validation": "validation",
    "months": "mois",
    "Raster clip (COG)": "Extrait raster (COG)",
    "Raster layer": "Couche raster",
    "All units": "Toutes les unités",
    "Only the drawn area": "Seulement la zone dessinée",
    "Draw or upload an area on the design page first.": (
        "Dessinez ou importez d'abord une zone sur la page de conception."
    ),
    "No unit of this level overlaps the drawn area.": (
        "Aucune unité de ce niveau ne touche la zone dessinée."
    ),
    "A raster clip needs the selected unit or a drawn area.": (
        "Un extrait raster demande l'unité choisie ou une zone dessinée."
    ),
    "This file is too large for the button: use the direct link.": (
        "Ce fichier est trop grand pour le bouton : utilisez le lien direct."
    ),
    "Direct link (streamed, for large files)": "Lien direct (en flux, pour les gros fichiers)",
    # background processing
    "Computing results": "Calcul des résultats",
    "Results are ready.": "Les résultats sont prêts.",
    "Reload the map": "Recharger la carte",
    "Computing results failed": "Le calcul des résultats a échoué",
    "starting": "démarrage",
    "validating the region": "validation de la région",
    "aligning layers to the working grid": "alignement des couches sur la grille de travail",
    "computing the per-cell balance and water yield rasters": "bilan et rendement par cellule",
    "water balance of the communities": "bilan hydrique des communautés",
    "water balance of the watersheds": "bilan hydrique des bassins versants",
    "writing the results store": "écriture des résultats",
    "results are up to date": "résultats à jour",
    "another server process is computing the results": "un autre processus calcule les résultats",
    # the layer list, its context layers and the notes of its "i" (dashboard.layer_info)
    "online": "en ligne",
    "Show or hide the layer list": "Afficher ou masquer la liste des couches",
    "What the indicators mean": "Ce que signifient les indicateurs",
    "Context layers": "Couches de contexte",
    "Roads": "Routes",
    "How well the land meets the intervention's criteria (slope, soil, water, distance to "
    "roads...), weighted as its profile says; excluded land scores 0.": (
        "Dans quelle mesure le terrain répond aux critères de l'intervention (pente, sol, eau, "
        "distance aux routes...), pondérés comme l'indique son profil ; un terrain exclu "
        "obtient 0."
    ),
    "{s1} or more is highly suitable (S1), {s2} to {s1} suitable (S2), {s3} to {s2} marginal "
    "(S3), below {s3} not suitable (N).": (
        "{s1} ou plus : très apte (S1) ; de {s2} à {s1} : apte (S2) ; de {s3} à {s2} : "
        "marginal (S3) ; moins de {s3} : inapte (N)."
    ),
    "The land cover of each cell (cropland, forest, grassland, towns...): it sets how much "
    "rain runs off and how much water the plants use.": (
        "La couverture du sol de chaque cellule (cultures, forêt, prairie, villes...) : elle "
        "détermine la part de la pluie qui ruisselle et l'eau qu'utilisent les plantes."
    ),
    "The colours are in the Land use legend of the side panel.": (
        "Les couleurs figurent dans la légende Occupation du sol du panneau latéral."
    ),
    "Rain of the average year, or of the month chosen with the Rainfall month slider (in "
    "mm/month).": (
        "La pluie d'une année moyenne, ou du mois choisi avec le curseur Mois de la pluie "
        f"(en {UNITS['mm/month']})."
    ),
    "Below about 500 mm/yr rain-fed crops are at risk in most years; water harvesting pays "
    "most where rain is short or comes in a few storms.": (
        f"En dessous d'environ 500 {UNITS['mm/yr']}, "
        "les cultures pluviales sont menacées la plupart des "
        "années ; la collecte de l'eau rapporte le plus là où la pluie manque ou tombe en "
        "quelques orages."
    ),
    "Areas draining to one outlet (blue dashed outlines): water harvested upstream is water "
    "missing downstream.": (
        "Zones qui s'écoulent vers un même exutoire (contours bleus en tirets) : l'eau collectée "
        "en amont est de l'eau qui manque en aval."
    ),
    "Click one to read its water balance.": "Cliquez sur l'un d'eux pour lire son bilan hydrique.",
    "The units every summary is made for, coloured by the indicator chosen under Colour "
    "communities by.": (
        "Les unités pour lesquelles chaque synthèse est faite, colorées selon l'indicateur "
        "choisi sous Colorer les communautés selon."
    ),
    "Click one to read its water balance, land-use mix and suitability.": (
        "Cliquez sur l'une d'elles pour lire son bilan hydrique, la répartition de son "
        "occupation du sol et son aptitude."
    ),
    "Existing and planned sites, coloured by type (the colours are in the Type filter).": (
        "Sites existants et prévus, colorés selon leur type (les couleurs figurent dans le "
        "filtre Type)."
    ),
    "Click a site for its details; a cluster opens when clicked.": (
        "Cliquez sur un site pour voir ses détails ; un groupe de sites s'ouvre d'un clic."
    ),
    "The region's main roads.": "Les routes principales de la région.",
    "Distance to roads is a criterion of several interventions: machinery and produce travel "
    "by road.": (
        "La distance aux routes est un critère de plusieurs interventions : les machines et les "
        "récoltes circulent par la route."
    ),
    "Reserves and parks (green, dotted outline).": (
        "Réserves et parcs (contour vert en pointillés)."
    ),
    "Interventions are not proposed inside them unless a profile allows it.": (
        "Aucune intervention n'y est proposée, sauf si un profil le permet."
    ),
    "The suitability of the designer's intervention with the weights set on this page.": (
        "L'aptitude de l'intervention du concepteur avec les poids réglés sur cette page."
    ),
    "How well temperature and rain suit the crop in its best planting month (FAO EcoCrop "
    "limits).": (
        "Dans quelle mesure la température et la pluie conviennent à la culture en son meilleur "
        "mois de semis (limites FAO EcoCrop)."
    ),
    "1 is ideal; 0 means temperature or rain lies outside what the crop tolerates.": (
        "1 est idéal ; 0 signifie que la température ou la pluie sort de ce que la culture tolère."
    ),
    "Share of the community's area under cropland in the land-use map.": (
        "Part de la surface de la communauté en cultures sur la carte d'occupation du sol."
    ),
    "Farming communities (high shares) are where field water harvesting and soil conservation "
    "matter most.": (
        "C'est dans les communautés agricoles (parts élevées) que la collecte de l'eau au champ "
        "et la conservation des sols comptent le plus."
    ),
    # ranking robustness (dashboard/robustness_view.py)
    "Ranking robustness": "Robustesse du classement",
    "The weights are drawn {n} times around yours (Dirichlet); a larger concentration keeps the "
    "draws closer to your weights.": (
        "Les poids sont tirés {n} fois autour des vôtres (Dirichlet) ; une concentration plus "
        "forte garde les tirages plus près de vos poids."
    ),
    "Top N": "N premières",
    "How many communities the programme can take": (
        "Combien de communautés le programme peut retenir"
    ),
    "Weight concentration": "Concentration des poids",
    "Larger: weights vary less": "Plus grande : les poids varient moins",
    "Download the ranking (CSV)": "Télécharger le classement (CSV)",
    "Top-N probability": "Probabilité d'être dans les N premières",
    "Share of weight draws that rank the community in the top N": (
        "Part des tirages de poids qui classent la communauté parmi les N premières"
    ),
    "Rank 5-95 %": "Rang 5-95 %",
    "The community's rank in 90 % of the weight draws; | the median": (
        "Le rang de la communauté dans 90 % des tirages de poids ; | la médiane"
    ),
    "{k} communities are in the top {n} in at least {share} of {draws} weight draws "
    "(concentration {c}).": (
        "{k} communautés sont parmi les {n} premières dans au moins {share} des {draws} tirages "
        "de poids (concentration {c})."
    ),
    "{name}: in the top {n} in {p} of the weight draws": (
        "{name} : parmi les {n} premières dans {p} des tirages de poids"
    ),
    "Robust top N": "N premières robustes",
    # budget portfolio (dashboard/portfolio_view.py, processing.portfolio.MESSAGES)
    "Budget portfolio": "Portefeuille budgétaire",
    "The communities a budget should fund for the greatest impact, solved exactly "
    "(mixed-integer programme, HiGHS).": (
        "Les communautés qu'un budget devrait financer pour le plus grand impact, calculées "
        "exactement (programme linéaire en nombres entiers, HiGHS)."
    ),
    "Budget": "Budget",
    "Max. units per community": "Unités max. par communauté",
    "Min. women/youth share (0-1)": "Part min. femmes/jeunes (0-1)",
    "Least share of the cost in communities whose sites are led by women or young people": (
        "Part minimale du coût dans les communautés dont les sites sont menés par des femmes "
        "ou des jeunes"
    ),
    "Impact": "Impact",
    "Find portfolio": "Trouver le portefeuille",
    "Water harvested": "Eau récoltée",
    "Recharge gained": "Recharge gagnée",
    "Hectares S1+S2": "Hectares S1+S2",
    "Choose an intervention (not a crop) for a budget portfolio.": (
        "Choisissez une intervention (pas une culture) pour un portefeuille budgétaire."
    ),
    "{name}: {cost} {currency} a unit ({size}{unit}), {fixed} {currency} once per community "
    "given units.": (
        "{name} : {cost} {currency} l'unité ({size}{unit}), {fixed} {currency} une fois par "
        "communauté dotée d'unités."
    ),
    "site": "site",
    "m³ of storage": "m³ de stockage",
    "Cost": "Coût",
    "Budget left": "Budget restant",
    "Units allocated": "Unités attribuées",
    "Women/youth-led share of the cost": "Part du coût menée par des femmes/jeunes",
    "Optimality": "Optimalité",
    "within {gap} % of the optimum (time limit)": (
        "à moins de {gap} % de l'optimum (limite de temps)"
    ),
    "proven optimum": "optimum prouvé",
    "Efficient frontier": "Frontière efficiente",
    "Your budget": "Votre budget",
    "{name}: {n} community for {budget} {currency}": (
        "{name} : {n} communauté pour {budget} {currency}"
    ),
    "{name}: {n} communities for {budget} {currency}": (
        "{name} : {n} communautés pour {budget} {currency}"
    ),
    "Download the portfolio (CSV)": "Télécharger le portefeuille (CSV)",
    "{name}: {n} units, {cost} {currency}": "{name} : {n} unités, {cost} {currency}",
    "the budget must be a number above 0, got {budget}": (
        "le budget doit être un nombre supérieur à 0, reçu {budget}"
    ),
    "the minimum women/youth share must be between 0 and 1, got {value}": (
        "la part minimale femmes/jeunes doit être entre 0 et 1, reçu {value}"
    ),
    "no allocation has any impact: choose another impact measure or intervention": (
        "aucune allocation n'a d'impact : choisissez une autre mesure d'impact ou une autre "
        "intervention"
    ),
    "the budget ({budget}) buys no unit that has an impact: the cheapest costs {cheapest}; "
    "raise the budget": (
        "le budget ({budget}) n'achète aucune unité ayant un impact : la moins chère coûte "
        "{cheapest} ; augmentez le budget"
    ),
    "no community whose project sites are led by women or young people gains from this "
    "intervention, so a minimum share of {share_pct} % cannot be met; set the share to 0": (
        "aucune communauté dont les sites sont menés par des femmes ou des jeunes ne gagne à "
        "cette intervention, donc une part minimale de {share_pct} % est impossible ; mettez "
        "la part à 0"
    ),
    "the minimum women/youth share of {share_pct} % cannot be met within the budget "
    "({budget}); lower the share or raise the budget": (
        "la part minimale femmes/jeunes de {share_pct} % ne peut être atteinte dans le "
        "budget ({budget}) ; baissez la part ou augmentez le budget"
    ),
    "unknown intervention '{name}' (known: {known})": (
        "intervention inconnue '{name}' (connues : {known})"
    ),
    "unknown impact '{name}': choose one of {known}": (
        "impact inconnu '{name}' : choisissez parmi {known}"
    ),
    "the cap per community must be a whole number from 1 to {max}, got {value}": (
        "le plafond par communauté doit être un nombre entier de 1 à {max}, reçu {value}"
    ),
    "recharge gained needs the designer's scenarios": (
        "la recharge gagnée a besoin des scénarios du concepteur"
    ),
    "[[interventions]] id = '{name}' in region.toml has no cost model: add `unit_cost` (cost "
    "per unit) and `unit` ('site', 'ha' or 'm3' of storage), optionally `unit_size` and "
    "`fixed_cost_per_community`": (
        "[[interventions]] id = '{name}' dans region.toml n'a pas de modèle de coût : "
        "ajoutez `unit_cost` (coût par unité) et `unit` ('site', 'ha' ou 'm3' de stockage), "
        "et au besoin `unit_size` et `fixed_cost_per_community`"
    ),
    "the project sites have no `households`, `households_women_led` and "
    "`households_youth_led` columns, so a women/youth share cannot be applied: add them to "
    "the file of [layers.project_sites] in region.toml, or set the share to 0": (
        "les sites de projet n'ont pas de colonnes `households`, `households_women_led` et "
        "`households_youth_led`, donc une part femmes/jeunes ne peut s'appliquer : "
        "ajoutez-les au fichier de [layers.project_sites] dans region.toml, ou mettez la "
        "part à 0"
    ),
    "the communities layer has no `households` field: add it to the file of "
    "[layers.communities] in region.toml, or choose another impact": (
        "la couche des communautés n'a pas de champ `households` : ajoutez-le au fichier de "
        "[layers.communities] dans region.toml, ou choisissez un autre impact"
    ),
    "water harvested needs the water one site stores: add `storage_m3_per_site` to "
    "[[interventions]] id = '{name}' in region.toml, or choose another impact": (
        "l'eau récoltée a besoin de l'eau qu'un site stocke : ajoutez `storage_m3_per_site` "
        "à [[interventions]] id = '{name}' dans region.toml, ou choisissez un autre impact"
    ),
    "recharge gained comes from the designer's scenarios: add `scenario_lever` ('ponds', "
    "'terraces' or 'agroforestry') to [[interventions]] id = '{name}' in region.toml, or "
    "choose another impact": (
        "la recharge gagnée vient des scénarios du concepteur : ajoutez `scenario_lever` "
        "('ponds', 'terraces' ou 'agroforestry') à [[interventions]] id = '{name}' dans "
        "region.toml, ou choisissez un autre impact"
    ),
    # compare two states
    "A and B are both '{name}': choose two different states.": (
        "A et B sont tous deux « {name} » : choisissez deux états différents."
    ),
    "A is a {kind} and B a {other}: compare two months or two years.": (
        "A est un {kind} et B un {other} : comparez deux mois ou deux années."
    ),
    "January": "Janvier",
    "February": "Février",
    "March": "Mars",
    "April": "Avril",
    "June": "Juin",
    "July": "Juillet",
    "August": "Août",
    "September": "Septembre",
    "October": "Octobre",
    "November": "Novembre",
    "December": "Décembre",
    "Baseline": "Situation de référence",
    "Baseline and saved scenarios": "Référence et scénarios enregistrés",
    "Change B - A": "Variation B - A",
    "Change B - A, totals over all units:": "Variation B - A, totaux sur toutes les unités :",
    "Choose both A and B to compare.": "Choisissez A et B pour comparer.",
    "Compare": "Comparer",
    "Compare: change B - A": "Comparaison : variation B - A",
    "Compare: state A": "Comparaison : état A",
    "Compare: state B": "Comparaison : état B",
    "Map of the comparison": "Carte de la comparaison",
    "Month {value} does not exist: choose a month from 1 to 12.": (
        "Le mois {value} n'existe pas : choisissez un mois de 1 à 12."
    ),
    "Months in deficit": "Mois en déficit",
    "Potential ET": "ET potentielle",
    (
        "Saved scenario #{value} no longer exists (deleted from the team workspace): "
        "choose another one."
    ): (
        "Le scénario enregistré n° {value} n'existe plus (supprimé de l'espace d'équipe) "
        ": choisissez-en un autre."
    ),
    "Scenarios are run per community: choose communities to compare scenarios.": (
        "Les scénarios sont calculés par communauté : choisissez les communautés pour "
        "comparer des scénarios."
    ),
    "State A": "État A",
    "State B": "État B",
    "The map colours communities: compare communities to see the change on it.": (
        "La carte colore les communautés : comparez les communautés pour y voir la variation."
    ),
    (
        "These results are a climatology (one mean year, no calendar years): compare two "
        "months or two scenarios instead."
    ): (
        "Ces résultats sont une climatologie (une année moyenne, sans années civiles) : "
        "comparez plutôt deux mois ou deux scénarios."
    ),
    "Total": "Total",
    "Two months": "Deux mois",
    "Two years": "Deux années",
    "Unit": "Unité",
    "Variable": "Variable",
    "Year {value} is not a whole year of the series: choose one from {low} to {high}.": (
        "L'année {value} n'est pas une année complète de la série : choisissez-en une de "
        "{low} à {high}."
    ),
    "month": "mois",
    "units": "unités",
    "year": "année",
    (
        "Compare the baseline with a saved scenario, two saved scenarios, two months or "
        "two years: the change B - A per community or watershed."
    ): (
        "Comparez la référence à un scénario enregistré, deux scénarios enregistrés, deux"
        " mois ou deux années : la variation B - A par communauté ou bassin versant."
    ),
    # project sites (the demo's types and statuses), layer provenance, the unit search
    "No community or watershed '{id}' in this region; click one on the map or search.": (
        "Aucune communauté ni aucun bassin « {id} » dans cette région ; cliquez-en un sur la "
        "carte ou cherchez-le."
    ),
    "water pan": "mare",
    "sand dam": "barrage de sable",
    "agroforestry plot": "parcelle agroforestière",
    "small irrigation": "petite irrigation",
    "tree nursery": "pépinière",
    "spring protection": "protection de source",
    "planned": "prévu",
    "ongoing": "en cours",
    "completed": "achevé",
    "not functional": "hors service",
    "unknown": "inconnu",
    "Site id": "Identifiant du site",
    "Name": "Nom",
    "Start year": "Année de début",
    "Households": "Ménages",
    "Households women led": "Ménages dirigés par des femmes",
    "Households youth led": "Ménages dirigés par des jeunes",
    "Watersheds (delineated from the DEM with pysheds)": (
        "Bassins versants (délimités à partir du MNT avec pysheds)"
    ),
    "Monthly rainfall climatology": "Climatologie mensuelle de la pluie",
    "Monthly mean minimum temperature": "Température minimale moyenne mensuelle",
    "Monthly mean maximum temperature": "Température maximale moyenne mensuelle",
    "Soil units": "Unités de sol",
    "Main roads": "Routes principales",
    "Forest reserve (hilltop)": "Réserve forestière (sommet)",
    "synthetic (landwater demo generator)": "synthétique (générateur de démo landwater)",
    "Clear search": "Effacer la recherche",
    "Clear selection": "Effacer le choix",
    "No match": "Aucun résultat",
    "No community or watershed matches '{text}'.": (
        "Aucune communauté ni aucun bassin ne correspond à « {text} »."
    ),
    # the designer's map layers
    (
        f"A star on each community ranked in the top N (N is set under Ranking robustness) in "
        f"at least {ROBUST_SHARE:.0%} of {DEFAULT_DRAWS} draws of the criterion weights around "
        "yours; its hover gives the share of draws. Computed from the designer's suitability "
        "scores of the region's processed results."
    ): (
        f"Une étoile sur chaque communauté classée parmi les N premières (N se règle sous "
        f"Robustesse du classement) dans au moins {ROBUST_SHARE * 100:.0f}\u202f% des "
        f"{DEFAULT_DRAWS} tirages des poids des critères autour des vôtres ; son survol donne "
        f"la part des tirages. Calculé à partir des scores d'aptitude du concepteur sur les "
        f"résultats traités de la région."
    ),
    "A star is a safe choice: the community stays among the best whatever the exact weights. A "
    "community high in the ranking without a star depends on the weights chosen.": (
        "Une étoile est un choix sûr : la communauté reste parmi les meilleures quels que "
        "soient les poids exacts. Une communauté bien classée sans étoile dépend des poids "
        "choisis."
    ),
    "The communities the budget funds, chosen for the most of the impact picked under Budget "
    "portfolio (water harvested, recharge gained, households reached or hectares S1+S2); each "
    "marker gives the units of the intervention funded there (sites, hectares or m³ of storage, "
    "as its cost says). Costs come from the intervention's cost in region.toml, impacts from "
    "the region's processed results.": (
        "Les communautés que le budget finance, choisies pour obtenir le plus de l'impact "
        "choisi sous Portefeuille budgétaire (eau récoltée, recharge gagnée, ménages atteints "
        "ou hectares S1+S2) ; chaque marqueur donne les unités de l'intervention financées là "
        "(sites, hectares ou m³ de stockage, selon son coût). Les coûts viennent du coût de "
        "l'intervention dans region.toml, les impacts des résultats traités de la région."
    ),
    "More impact for the same budget is better; the frontier chart shows what a larger or "
    "smaller budget would buy.": (
        "Plus d'impact pour le même budget est meilleur ; le graphique de la frontière montre "
        "ce qu'un budget plus grand ou plus petit permettrait."
    ),
    # uploaded and drawn areas (layers/upload.py, processing/area.py)
    "{name}: not a readable zip file": "{name} : ce n'est pas un fichier zip lisible",
    "{name}: the zip must hold exactly one .shp (found {found}) with its .shx, .dbf and .prj": (
        "{name} : le zip doit contenir exactement un .shp (trouvé : {found}) avec ses .shx, "
        ".dbf et .prj"
    ),
    "{name}: the shapefile has no .prj, so its CRS is unknown; add it": (
        "{name} : le shapefile n'a pas de .prj, son SCR est donc inconnu ; ajoutez-le"
    ),
    "{name}: {size_mb} MB is over the {limit_mb} MB limit; simplify the area or upload only "
    "its outline": (
        "{name} : {size_mb} Mo dépasse la limite de {limit_mb} Mo ; simplifiez la zone ou "
        "téléversez seulement son contour"
    ),
    "{name}: {size} bytes is over the {limit_mb} MB limit ({limit} bytes); simplify the area "
    "or upload only its outline": (
        "{name} : {size} octets dépassent la limite de {limit_mb} Mo ({limit} octets) ; "
        "simplifiez la zone ou téléversez seulement son contour"
    ),
    "{name}: unsupported file type '{suffix}'; upload GeoJSON, GeoPackage, KML or a zipped "
    "shapefile": (
        "{name} : type de fichier non pris en charge « {suffix} » ; téléversez du GeoJSON, du "
        "GeoPackage, du KML ou un shapefile zippé"
    ),
    "{name}: not a readable {kind}": "{name} : ce n'est pas un fichier {kind} lisible",
    "{name}: the layer has no CRS; save it with one (e.g. EPSG:4326)": (
        "{name} : la couche n'a pas de SCR ; enregistrez-la avec un SCR (p. ex. EPSG:4326)"
    ),
    "{name}: no polygon found; draw or upload an area, not points or lines": (
        "{name} : aucun polygone trouvé ; dessinez ou téléversez une zone, pas des points ni "
        "des lignes"
    ),
    "{name}: {vertices} vertices is over the {limit} limit; simplify the area (e.g. 10 m "
    "tolerance) and upload it again": (
        "{name} : {vertices} sommets dépassent la limite de {limit} ; simplifiez la zone (p. "
        "ex. tolérance de 10 m) et téléversez-la de nouveau"
    ),
    "{name}: the area is empty after repair; check the polygon": (
        "{name} : la zone est vide après réparation ; vérifiez le polygone"
    ),
    "drawn area: nothing drawn yet; draw a polygon or a rectangle": (
        "zone dessinée : rien n'est encore dessiné ; dessinez un polygone ou un rectangle"
    ),
    "drawn area: not GeoJSON polygon features; draw a polygon or a rectangle": (
        "zone dessinée : ce ne sont pas des polygones GeoJSON ; dessinez un polygone ou un "
        "rectangle"
    ),
    "drawn area: coordinates outside longitude -180..180, latitude -90..90": (
        "zone dessinée : coordonnées hors des longitudes -180..180 et latitudes -90..90"
    ),
    "the area lies outside the region; draw it over the region's map": (
        "la zone est en dehors de la région ; dessinez-la sur la carte de la région"
    ),
    "drawn area": "zone dessinée",
    "shapefile": "shapefile",
    "(none)": "(aucune)",
    # a request of the page the server did not answer (assets/landwater.js)
    "The server did not answer ({status}); what the page shows may be out of date. Check the "
    "connection, then try again.": (
        "Le serveur n'a pas répondu ({status}) ; ce que la page affiche n'est peut-être plus à "
        "jour. Vérifiez la connexion, puis réessayez."
    ),
    # the demo region's name and description (layers/build/demo)
    "Demo highlands (synthetic)": "Hautes terres de démonstration (synthétiques)",
    "A synthetic 40 x 30 km highland landscape near Machakos, Kenya. Not real data.": (
        "Un paysage de hautes terres synthétique de 40 x 30 km près de Machakos, au Kenya. Ce "
        "ne sont pas des données réelles."
    ),
    # catchment from a click (planner's map)
    "Catchment from a click": "Bassin versant d'un clic",
    "Delineate: click a stream on the map": ("Délimiter : cliquez sur un cours d'eau de la carte"),
    "Snapping radius (m)": "Rayon d'accrochage (m)",
    (
        "The click moves to the cell draining the largest area within the radius (dashed "
        "circle); the outlet is the purple dot."
    ): (
        "Le clic se déplace vers la cellule drainant la plus grande surface dans le rayon"
        " (cercle en pointillés) ; l'exutoire est le point violet."
    ),
    "Download the catchment (GeoJSON)": "Télécharger le bassin versant (GeoJSON)",
    "Catchment": "Bassin versant",
    "outlet {lat}, {lon}": "exutoire {lat}, {lon}",
    "moved {moved} m (radius {radius} m)": "déplacé de {moved} m (rayon {radius} m)",
    "The region's elevation model is being routed (once per region): the first catchment"
    " may take a minute.": (
        "Le modèle d'élévation de la région est en cours de routage (une fois par région)"
        " : le premier bassin versant peut prendre une minute."
    ),
    "Click on the map to delineate a catchment.": (
        "Cliquez sur la carte pour délimiter un bassin versant."
    ),
    "Enter a snapping radius from 0 to {max_m} m.": (
        "Saisissez un rayon d'accrochage de 0 à {max_m} m."
    ),
    ("Summaries need results: run `landwater process` on this region."): (
        "Les résumés demandent des résultats : lancez `landwater process` sur cette région."
    ),
    catchment.RADIUS_ERROR: (
        "Le rayon d'accrochage doit être compris entre 0 et {max_m} m (reçu {radius})."
    ),
    catchment.OUTSIDE_ERROR: (
        "Le point ({lon}, {lat}) est hors de la région : cliquez à l'intérieur de sa carte."
    ),
    catchment.NO_DATA_ERROR: (
        "Le point ({lon}, {lat}) n'a pas de donnée d'altitude : cliquez là où la couche "
        "d'altitude couvre le terrain."
    ),
    catchment.RIDGE_ERROR: (
        "Le point ({lon}, {lat}) est sur une crête ou un versant : le plus grand bassin "
        "versant dans un rayon de {radius} m fait {area} ha (moins de {min_ha} ha). "
        "Cliquez sur un cours d'eau, ou élargissez le rayon."
    ),
    catchment.FAR_WARNING: (
        "Le point a été déplacé de {moved_m} m sur un cours d'eau (plus de {cells} "
        "cellules) : vérifiez que c'est l'exutoire voulu, ou cliquez plus près du cours "
        "d'eau."
    ),
    catchment.OTHER_STREAM_WARNING: (
        "Le point a été déplacé sur un autre cours d'eau : celui cliqué ne passe pas par "
        "l'exutoire, un plus grand dans le rayon y passe. Cliquez sur le cours d'eau "
        "voulu, ou réduisez le rayon."
    ),
    catchment.EDGE_NOTE: (
        "Le bassin versant atteint le bord des données d'altitude : si le bassin continue"
        " au-delà, il est tronqué."
    ),
    # saved areas of interest
    "Saved areas": "Zones enregistrées",
    "Area name": "Nom de la zone",
    "Save the area": "Enregistrer la zone",
    "Link to this area": "Lien vers cette zone",
    "The name is longer than {max} characters; shorten it.": (
        "Le nom dépasse {max} caractères ; raccourcissez-le."
    ),
    "The name holds an invisible or control character ({code}); type it again.": (
        "Le nom contient un caractère invisible ou de contrôle ({code}) ; saisissez-le à nouveau."
    ),
    "Type a name for the area first.": "Saisissez d’abord un nom pour la zone.",
    "An area named “{name}” is already saved; choose another name.": (
        "Une zone nommée « {name} » est déjà enregistrée ; choisissez un autre nom."
    ),
    "This area cannot be saved: {reason}.": "Cette zone ne peut pas être enregistrée : {reason}.",
    (
        "“{name}” was changed by a teammate since the list was loaded; the list is refreshed, "
        "try again."
    ): (
        "« {name} » a été modifiée par un collègue depuis le chargement de la liste ; la liste "
        "est actualisée, réessayez."
    ),
    (
        "The team workspace cannot be written: ask its administrator to make it writable (file, "
        "folder, disk space), then save again."
    ): (
        "L’espace de travail de l’équipe n’est pas accessible en écriture : demandez à son "
        "administrateur de le rendre accessible (fichier, dossier, espace disque), puis "
        "enregistrez à nouveau."
    ),
    (
        "“{name}” is no longer in the team workspace: a teammate may have deleted it. The list "
        "is refreshed; save the area again to keep it."
    ): (
        "« {name} » n’est plus dans l’espace de travail de l’équipe : un collègue l’a peut-être "
        "supprimée. La liste est actualisée ; enregistrez à nouveau la zone pour la conserver."
    ),
    (
        "The saved area of this link is no longer in the team workspace: a teammate may have "
        "deleted it. Choose another one from the list."
    ): (
        "La zone enregistrée de ce lien n’est plus dans l’espace de travail de l’équipe : un "
        "collègue l’a peut-être supprimée. Choisissez-en une autre dans la liste."
    ),
    "Opened “{name}”: {ha}.": "Zone « {name} » ouverte : {ha}.",
    "Draw, upload or delineate an area first, then save it.": (
        "Dessinez, importez ou délimitez d’abord une zone, puis enregistrez-la."
    ),
    "Saved “{name}”: {ha}.": "Zone « {name} » enregistrée : {ha}.",
    "Choose a saved area in the list first.": (
        "Choisissez d’abord une zone enregistrée dans la liste."
    ),
    "Renamed to “{name}”.": "Renommée en « {name} ».",
    "Deleted “{name}”.": "Zone « {name} » supprimée.",
    # printable maps (dashboard/map_export.py)
    "The map shows no part of the region: move back to it.": (
        "La carte ne montre aucune partie de la région : revenez-y."
    ),
    "Printable map": "Carte imprimable",
    "The map as shown (extent, checked layers, month), with legend, scale bar,"
    " north arrow and sources.": (
        "La carte telle qu'affichée (étendue, couches cochées, mois), avec légende,"
        " échelle, flèche du nord et sources."
    ),
    "Export map": "Exporter la carte",
    "Legend": "Légende",
    "Sources": "Sources",
    "Map made with landwater.": "Carte réalisée avec landwater.",
    "Check at least one layer on the map first.": "Cochez d'abord au moins une couche de la carte.",
    # programme monitoring (dashboard.programme_view)
    "Sites planned": "Sites prévus",
    "Sites ongoing": "Sites en cours",
    "Sites completed": "Sites achevés",
    "Sites abandoned": "Sites abandonnés",
    "Programme monitoring": "Suivi du programme",
    "Import a CSV with one row per site and date; columns:": (
        "Importez un CSV avec une ligne par site et par date ; colonnes :"
    ),
    "Import monitoring CSV": "Importer un CSV de suivi",
    "Enter a record": "Saisir un relevé",
    "Project site": "Site de projet",
    "Date (YYYY-MM-DD)": "Date (AAAA-MM-JJ)",
    "abandoned": "abandonné",
    "led by women": "dirigés par des femmes",
    "led by young people": "dirigés par des jeunes",
    "Save record": "Enregistrer le relevé",
    "Totals by": "Totaux par",
    "Intervention type": "Type d'intervention",
    "Download CSV": "Télécharger CSV",
    "Download Excel": "Télécharger Excel",
    "Water harvested by completed sites": "Eau récoltée par les sites achevés",
    "Recharge gained by completed sites": "Recharge gagnée par les sites achevés",
    WATER_NOTE: (
        "L'eau collectée et la recharge gagnée sont les chiffres du modèle de scénario pour "
        "l'intervention de chaque site achevé. La recharge gagnée est négative là où les "
        "arbres consomment plus d'eau que les cultures qu'ils remplacent ; l'infiltration "
        "d'une mare compte comme une perte de la mare, pas comme une recharge ; – là où le "
        "type de site n'a pas d'intervention dans le modèle."
    ),
    "Water from completed sites": "Eau des sites achevés",
    "All sites": "Tous les sites",
    "Sites by status over time": "Sites par statut dans le temps",
    "{n} record(s) stored": "{n} relevé(s) enregistré(s)",
    "No monitoring records yet.": "Aucun relevé de suivi pour l'instant.",
    "The record was not stored: correct these fields and save again.": (
        "Le relevé n'a pas été enregistré : corrigez ces champs et enregistrez à nouveau."
    ),
    "{n} problem(s): nothing was imported. Correct the file and import it again.": (
        "{n} problème(s) : rien n'a été importé. Corrigez le fichier et importez-le à nouveau."
    ),
    "... and {n} more": "... et {n} de plus",
    # a site's latest monitored status (dashboard.profile)
    "{status} on {date}": "{status} au {date}",
    # monitoring CSV problems (layers.monitoring)
    "row {row}, column '{column}': {message}; {fix}": (
        "ligne {row}, colonne « {column} » : {message} ; {fix}"
    ),
    "column '{column}': {message}; {fix}": "colonne « {column} » : {message} ; {fix}",
    "is missing": "est absente",
    "is not a monitoring column": "n'est pas une colonne de suivi",
    "{rows} rows": "{rows} lignes",
    "'{text}' is not a project site of this region": (
        "« {text} » n'est pas un site de projet de cette région"
    ),
    "'{text}' is not a date in the form YYYY-MM-DD (e.g. 2025-03-31)": (
        "« {text} » n'est pas une date de la forme AAAA-MM-JJ (par ex. 2025-03-31)"
    ),
    "'{text}' lies outside {low} to today ({high})": (
        "« {text} » est en dehors de la période du {low} à aujourd'hui ({high})"
    ),
    "'{text}' is not a status": "« {text} » n'est pas un statut",
    "'{text}' is not a whole number of households": (
        "« {text} » n'est pas un nombre entier de ménages"
    ),
    "{part} is more than the site's {households} households": (
        "{part} dépasse les {households} ménages du site"
    ),
    "site {site} already has a record on {date} (row {row})": (
        "le site {site} a déjà un relevé le {date} (ligne {row})"
    ),
    "cannot be read as a CSV ({reason})": "ne peut pas être lu comme un CSV ({reason})",
    "the file has no rows": "le fichier n'a aucune ligne",
    "add the column (columns: {columns})": "ajoutez la colonne (colonnes : {columns})",
    "remove or rename it": "supprimez-la ou renommez-la",
    "import at most {max} per file": "importez au plus {max} lignes par fichier",
    "use a site_id of the project sites layer": (
        "utilisez un site_id de la couche des sites de projet"
    ),
    "write the date as YYYY-MM-DD": "écrivez la date sous la forme AAAA-MM-JJ",
    "use one of {known}": "utilisez l'une des valeurs {known}",
    "write a whole number from 0 to {max}": "écrivez un nombre entier de 0 à {max}",
    "correct {name} or households (it counts a part of them)": (
        "corrigez {name} ou households (il en compte une partie)"
    ),
    "keep one row per site and date": "gardez une ligne par site et par date",
    "save it as UTF-8 CSV": "enregistrez-le en CSV UTF-8",
    "add one row per site and date": "ajoutez une ligne par site et par date",
}


def _fr(x: float) -> str:
    """A number as French writes it (decimal comma)."""
    return f"{x:g}".replace(".", ",")


# glossary key -> label, what it means, what to use it for
GLOSSARY: dict[str, tuple[str, str, str]] = {
    "rain": (
        "Pluie",
        "Toute la pluie qui tombe sur la zone en un an, en hauteur d'eau"
        " (1 mm sur 1 ha font 10 m³).",
        "L'eau que se partagent tous les autres chiffres ; l'essentiel retourne dans l'air,"
        " ce n'est donc pas l'eau dont on dispose.",
    ),
    "pet": (
        "ETP des cultures",
        "L'eau que les cultures et les autres plantes utiliseraient si le sol ne s'asséchait"
        " jamais (évapotranspiration potentielle).",
        "Comparez-la à la pluie : là où elle est plus forte, les plantes manquent d'eau sauf"
        " si l'on en stocke ou en apporte.",
    ),
    "aet": (
        "ET réelle",
        "L'eau que les plantes utilisent vraiment et rendent à l'air (évapotranspiration"
        " réelle) ; elle passe sous l'ETP des cultures quand le sol s'assèche.",
        "L'eau prise par les terres elles-mêmes : elle ne va ni aux mares, ni aux puits, ni"
        " aux rivières.",
    ),
    "runoff": (
        "Ruissellement",
        "La pluie qui ruisselle en surface pendant les averses au lieu de s'infiltrer"
        " (ruissellement rapide).",
        "À utiliser pour la collecte de l'eau : c'est l'eau que les mares, bassins et"
        " barrages de sable peuvent capter.",
    ),
    "recharge": (
        "Recharge",
        "L'eau qui passe sous la zone racinaire une fois le sol plein et recharge la nappe.",
        "À utiliser pour les puits, forages et sources : c'est la quantité qui les"
        " réalimente chaque année.",
    ),
    "baseflow": (
        "Débit de base",
        "L'eau de la nappe qui revient aux rivières et les fait couler pendant les mois secs.",
        "La part de saison sèche du débit des rivières.",
    ),
    "streamflow": (
        "Débit des rivières",
        "L'eau qui quitte la zone par ses rivières : ruissellement plus débit de base.",
        "À utiliser pour les usagers en aval (prises d'eau, périmètres irrigués, bétail) :"
        " l'eau récoltée ou utilisée en amont le réduit.",
    ),
    "storage": (
        "Eau du sol",
        "L'eau retenue dans la zone racinaire à la fin du mois.",
        "Montre quand le sol est plein et quand il est sec ; il garde l'eau des mois"
        " humides pour les mois secs.",
    ),
    "deficit": (
        "Déficit",
        "L'eau dont les cultures avaient besoin sans l'obtenir : ETP des cultures moins ET réelle.",
        "À utiliser comme besoin d'irrigation : ce que l'irrigation ou l'eau stockée devrait"
        " apporter pour que les cultures poussent sans stress hydrique.",
    ),
    "stress_index": (
        "Indice de stress hydrique",
        "L'ET réelle divisée par l'ETP des cultures sur l'année : 1 signifie aucun stress"
        " hydrique, 0 signifie que les plantes n'ont reçu aucune eau.",
        f"{_fr(STRESS_MILD)} ou plus est bon ; de {_fr(STRESS_SEVERE)} à {_fr(STRESS_MILD)},"
        " stress modéré (les rendements pluviaux baissent) ; sous"
        f" {_fr(STRESS_SEVERE)}, stress sévère : les cultures pluviales échouent souvent"
        " sans apport d'eau.",
    ),
    "months_in_deficit_per_yr": (
        "Mois en déficit",
        "Combien de mois par an les cultures reçoivent plus de"
        f" {DEFICIT_MONTH_MM:.0f} mm d'eau de moins que leurs besoins.",
        "La durée de la période sèche à passer avec de l'eau stockée, l'irrigation ou des"
        " cultures résistantes à la sécheresse.",
    ),
    "water_yield_mm_yr": (
        "Rendement en eau (Budyko, contrôle InVEST)",
        "La pluie moins l'eau utilisée par les plantes sur une année entière, par la méthode"
        " de Budyko du modèle de rendement annuel en eau d'InVEST ; sans réserve du sol"
        " d'un mois à l'autre, il dépasse en général le débit des rivières.",
        "Contrôle du rendement annuel, compatible avec InVEST ; ce n'est pas le chiffre"
        " pour planifier : utilisez le ruissellement, la recharge et le débit des"
        " rivières.",
    ),
}
