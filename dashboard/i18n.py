"""UI text in English and French, gettext style: the English text is the message id.

Every user-facing string of the dashboard goes through a translator from :func:`translator`;
a string missing from a catalogue falls back to English. Add a language by adding a
catalogue here and its code to ``LANGUAGES``.
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str], str]
LANGUAGES = {"en": "English", "fr": "Français"}

FRENCH = {
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
    # map layers
    "OpenStreetMap (online)": "OpenStreetMap (en ligne)",
    "Hillshade (offline)": "Relief ombré (hors ligne)",
    "Hillshade from the region DEM": "Relief ombré du MNT de la région",
    "Rainfall": "Pluie",
    "Watersheds": "Bassins versants",
    "Water yield (Budyko)": "Rendement en eau (Budyko)",
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
    # profile
    "Monthly water balance": "Bilan hydrique mensuel",
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
    "Yr": "An",
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
    "GeoJSON, GeoPackage, KML or zipped shapefile (max 5 MB)": (
        "GeoJSON, GeoPackage, KML ou shapefile zippé (5 Mo max.)"
    ),
    "invalid polygons repaired": "polygones invalides réparés",
    "polygon(s)": "polygone(s)",
    "vertices": "sommets",
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
}
CATALOGUES: dict[str, dict[str, str]] = {"en": {}, "fr": FRENCH}


def translator(lang: str | None) -> Translate:
    """A function translating English UI text into ``lang`` (English for unknown codes)."""
    catalogue = CATALOGUES.get(lang or "en", {})
    return lambda text: catalogue.get(text, text)
