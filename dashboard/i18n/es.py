"""Spanish (Latin America): the UI catalogue and the water glossary's translations."""

from __future__ import annotations

from processing import catchment
from processing.kernels.water_balance import DEFICIT_MONTH_MM
from processing.output_spec import STRESS_MILD, STRESS_SEVERE
from processing.programme import WATER_NOTE
from processing.robustness import DEFAULT_DRAWS, ROBUST_SHARE

NAME = "Español"
# thousands separator and decimal mark (CLDR)
NUMBER_MARKS: tuple[str, str] = (".", ",")
# a percentage's sign after the number (CLDR), with the space the language puts before it
PERCENT_SIGN = "\u00a0%"
COLON = ":"  # after a label

# the label of each unit the dashboard shows (symbols alike in every language are not listed)
UNITS: dict[str, str] = {
    "mm/yr": "mm/año",
    "mm/month": "mm/mes",
    "m³/yr": "m³/año",
    "m³/month": "m³/mes",
    "months/yr": "meses/año",
    "community-months/yr": "meses-comunidad/año",
    "t CO₂/yr": "t CO₂/año",
    "ratio": "razón",
    "score 0..1": "puntaje 0..1",
    "class": "clase",
    "% of weight draws": "% de los sorteos de pesos",
    "units per community": "unidades por comunidad",
}

CATALOGUE: dict[str, str] = {
    # side panel
    "SYNTHETIC DATA": "DATOS SINTÉTICOS",
    "Language": "Idioma",
    "Rainfall month": "Mes de la lluvia",
    "Communities": "Comunidades",
    "Colour communities by": "Colorear las comunidades según",
    "Selected community": "Comunidad seleccionada",
    "Click a community on the map.": "Haga clic en una comunidad del mapa.",
    "Find a community or watershed...": "Buscar una comunidad o cuenca...",
    "Project sites": "Sitios de proyecto",
    "Type": "Tipo",
    "Status": "Estado",
    "Land use": "Uso del suelo",
    "Layers": "Capas",
    "Layer": "Capa",
    "Source": "Fuente",
    "Date": "Fecha",
    "Units": "Unidades",
    "Licence": "Licencia",
    "Layers & details": "Capas y detalles",
    "Raster opacity": "Opacidad de los ráster",
    "Show or hide the side panel": "Mostrar u ocultar el panel lateral",
    "No results yet: run `landwater process` on this region to colour communities by indicator.": (
        "Todavía no hay resultados: ejecute `landwater process` en esta región para colorear "
        "las comunidades por indicador."
    ),
    "Skip to the map layers": "Ir a las capas del mapa",
    "Skip to suggest sites": "Ir a la propuesta de sitios",
    "Skip to the scenario": "Ir al escenario",
    "Skip links": "Enlaces de acceso rápido",
    "weight": "peso",
    # map layers
    "OpenStreetMap (online)": "OpenStreetMap (en línea)",
    "Hillshade (offline)": "Relieve sombreado (sin conexión)",
    "Hillshade from the region DEM": "Relieve sombreado del MDE de la región",
    "Rainfall": "Lluvia",
    "Watersheds": "Cuencas",
    "Water deficit": "Déficit hídrico",
    "Recharge": "Recarga",
    "Runoff": "Escorrentía",
    # indicators
    "Annual rainfall": "Lluvia anual",
    "Water deficit (PET - AET)": "Déficit hídrico (ETP - ETR)",
    "Surface runoff": "Escorrentía superficial",
    "Recharge (soil surplus)": "Recarga (excedente del suelo)",
    "Water-stress index (AET/PET)": "Índice de estrés hídrico (ETR/ETP)",
    "Share of cropland": "Proporción de cultivos",
    "What it means:": "Qué significa:",
    # profile
    "Monthly water balance": "Balance hídrico mensual",
    "Year by year": "Año por año",
    "Year": "Año",
    "vs. mean": "frente a la media",
    "dry year (below the {p}th percentile)": "año seco (bajo el percentil {p})",
    "Annual totals": "Totales anuales",
    "Crop PET": "ETP de los cultivos",
    "Actual ET": "ET real",
    "Deficit": "Déficit",
    "population": "población",
    "households": "hogares",
    "Water-stress index": "Índice de estrés hídrico",
    "months in deficit": "meses en déficit",
    "none": "ninguno",
    "No project sites recorded here.": "No hay sitios de proyecto registrados aquí.",
    "% of area": "% de la superficie",
    "Jan": "ene.",
    "Feb": "feb.",
    "Mar": "mar.",
    "Apr": "abr.",
    "May": "may.",
    "Jun": "jun.",
    "Jul": "jul.",
    "Aug": "ago.",
    "Sep": "sept.",
    "Oct": "oct.",
    "Nov": "nov.",
    "Dec": "dic.",
    "Annual": "Anual",
    # suitability and crops in the profile
    "Suitability": "Aptitud",
    "Suitability for interventions": "Aptitud para las intervenciones",
    "Crops: best planting month": "Cultivos: mejor mes de siembra",
    "No suitability results yet.": "Todavía no hay resultados de aptitud.",
    "No crop results (needs monthly Tmin and Tmax).": (
        "No hay resultados de cultivos (se necesitan Tmín y Tmáx mensuales)."
    ),
    "Intervention": "Intervención",
    "Score": "Puntaje",
    "S1 / S2 / S3 / N": "S1 / S2 / S3 / N",
    "Limited by": "Limitado por",
    "Crop": "Cultivo",
    "Plant in": "Sembrar en",
    "all year": "todo el año",
    "Slope": "Pendiente",
    "Elevation": "Altitud",
    "Soil group": "Grupo de suelo",
    "Soil water capacity": "Capacidad de agua del suelo",
    "Distance to roads": "Distancia a caminos",
    "Distance to existing sites": "Distancia a sitios existentes",
    "Constraints": "Restricciones",
    "Maize": "Maíz",
    "Common beans": "Frijol común",
    "Sorghum": "Sorgo",
    "Cassava": "Yuca",
    "Finger millet": "Mijo africano",
    "Arabica coffee": "Café arábica",
    "Tea": "Té",
    # designer's workbench
    "Candidate sites": "Sitios candidatos",
    "Choose a saved shortlist first.": "Primero elija una lista guardada.",
    "Clear": "Borrar",
    "Community": "Comunidad",
    "Community deficit": "Déficit de la comunidad",
    "Community ranking": "Clasificación de las comunidades",
    "Community runoff": "Escorrentía de la comunidad",
    "Criterion": "Criterio",
    "Criterion weights": "Pesos de los criterios",
    "Delete": "Eliminar",
    "Deleted.": "Eliminada.",
    "Design interventions": "Diseñar las intervenciones",
    "Give at least one criterion a weight.": "Asigne un peso a al menos un criterio.",
    "Max. per community": "Máx. por comunidad",
    "Membership": "Grado de pertenencia",
    "Min. distance to existing sites (m)": "Distancia mín. a sitios existentes (m)",
    "Min. spacing (m)": "Separación mín. (m)",
    "Nearest existing site": "Sitio existente más cercano",
    "No candidate sites to save.": "No hay sitios candidatos para guardar.",
    "No candidate sites yet.": "Todavía no hay sitios candidatos.",
    "Open": "Abrir",
    "Pick sites by clicking the map": "Elegir sitios haciendo clic en el mapa",
    "Remove": "Quitar",
    "Rename": "Renombrar",
    "Save as new": "Guardar como nueva",
    "Saved shortlists": "Listas guardadas",
    "Shortlist name": "Nombre de la lista",
    "Shortlists": "Listas de sitios",
    "Sites": "Sitios",
    "Suggest sites": "Proponer sitios",
    "Suitability needs results: run `landwater process` on this region.": (
        "La aptitud necesita resultados: ejecute `landwater process` en esta región."
    ),
    "That shortlist no longer exists.": "Esa lista ya no existe.",
    "Update with candidates": "Actualizar con los candidatos",
    "Value": "Valor",
    "Watershed": "Cuenca",
    "Weight": "Peso",
    "Your name": "Su nombre",
    "note": "nota",
    "Opened": "Abierta:",
    "Saved": "Guardada:",
    "sites suggested": "sitios propuestos",
    "Suitability (designer weights)": "Aptitud (pesos del diseñador)",
    "#": "#",
    "S1+S2 ha": "S1+S2 ha",
    "Area of interest": "Área de interés",
    "Only inside the area of interest": "Solo dentro del área de interés",
    "Draw a polygon or rectangle with the tools on the map, or upload one:": (
        "Dibuje un polígono o un rectángulo con las herramientas del mapa, o cargue uno:"
    ),
    "GeoJSON, GeoPackage, KML or zipped shapefile (max {mb} MB)": (
        "GeoJSON, GeoPackage, KML o shapefile comprimido en zip (máx. {mb} MB)"
    ),
    "invalid polygons repaired": "polígonos no válidos reparados",
    "Clear the area": "Borrar el área",
    "{n} sites suggested, best first.": "{n} sitios propuestos, el mejor primero.",
    "{m:,.0f} m apart": "a {m:,.0f} m entre sí",
    "at most {n} per community": "como máximo {n} por comunidad",
    "{m:,.0f} m from existing sites": "a {m:,.0f} m de los sitios existentes",
    "inside the area of interest": "dentro del área de interés",
    "{found} of {asked} sites suggested: no other suitable land is left {limits}. "
    "Lower the spacing, relax the limits or ask for fewer sites.": (
        "{found} de {asked} sitios propuestos: no queda otro terreno apto {limits}. "
        "Reduzca la separación, flexibilice los límites o pida menos sitios."
    ),
    "{listed} of {found} suggested sites listed: the list holds at most {max} sites. "
    "Remove some sites first.": (
        "{listed} de {found} sitios propuestos en la lista: la lista admite como máximo {max} "
        "sitios. Primero quite algunos sitios."
    ),
    "Area cleared.": "Área borrada.",
    "polygon(s)": "polígono(s)",
    "vertices": "vértices",
    "Agroforestry per community (ha)": "Agroforestería por comunidad (ha)",
    "All communities": "Todas las comunidades",
    "Choose a saved scenario first.": "Primero elija un escenario guardado.",
    "Convert land use": "Cambiar el uso del suelo",
    "Farm ponds per community": "Reservorios por comunidad",
    "Harvested m³": "Cosechado m³",
    "Pond volume (m³)": "Volumen del reservorio (m³)",
    "Rainfall change (%)": "Cambio en la lluvia (%)",
    "Future climate": "Clima futuro",
    "Printable brief with this future climate": "Ficha imprimible con este clima futuro",
    "Uniform change (below)": "Cambio uniforme (abajo)",
    "Spread": "Dispersión",
    "min-max over the GCMs": "mín-máx entre los GCM",
    "10-90 % over the GCMs": "10-90 % entre los GCM",
    "future median": "mediana futura",
    "GCM spread": "Dispersión de los GCM",
    "Future": "Futuro",
    "One GCM.": "Un solo GCM.",
    "Median of {n} GCMs ({gcms}); spread {spread}.": (
        "Mediana de {n} GCM ({gcms}); dispersión {spread}."
    ),
    "min-max": "mín-máx",
    "10-90 %": "10-90 %",
    "Best month": "Mejor mes",
    "Potential score": "Puntuación potencial",
    "GCMs agreeing": "GCM que coinciden",
    "Suitable area (S1 + S2) under the future climate": (
        "Superficie apta (S1 + S2) con el clima futuro"
    ),
    "Crops under the future climate (EcoCrop)": "Cultivos con el clima futuro (EcoCrop)",
    (
        "Over the scenario's {n} communities; the water results move by the "
        "change of each cell's balance (delta method)."
    ): (
        "Sobre las {n} comunidades del escenario; los resultados hídricos cambian"
        " según el cambio del balance de cada celda (método delta)."
    ),
    (
        "A future climate replaces the uniform rain and warming change: clear {rain} and "
        "{warming}, or the future climate."
    ): (
        "Un clima futuro reemplaza el cambio uniforme de lluvia y temperatura: borre "
        "{rain} y {warming}, o el clima futuro."
    ),
    "Run scenario": "Ejecutar el escenario",
    "Save scenario": "Guardar el escenario",
    "Saved scenarios": "Escenarios guardados",
    "Scenario name": "Nombre del escenario",
    "Scenario: change": "Escenario: cambio",
    "Scenarios": "Escenarios",
    "Share converted (%)": "Proporción convertida (%)",
    "Terraces per community (ha)": "Terrazas por comunidad (ha)",
    "Warming (°C)": "Calentamiento (°C)",
    "from": "de",
    "to": "a",
    "Water harvested (used from ponds)": "Agua cosechada (usada de los reservorios)",
    "Pond fills per year": "Llenados de los reservorios por año",
    "Pond evaporation": "Evaporación de los reservorios",
    "Fills/yr": "Llenados/año",
    "Change in runoff": "Cambio en la escorrentía",
    "Change in recharge": "Cambio en la recarga",
    "Change in actual ET": "Cambio en la ET real",
    "Months of deficit avoided": "Meses de déficit evitados",
    "Months of deficit added": "Meses de déficit añadidos",
    "a whole number": "un número entero",
    "a number": "un número",
    "enter {kind} from {low} to {high}": "ingrese {kind} de {low} a {high}",
    "enter {kind} above {low}": "ingrese {kind} mayor que {low}",
    "enter {kind} of {low} or more": "ingrese {kind} de {low} o más",
    "enter {kind}": "ingrese {kind}",
    "{label}: this field is required; {fix}.": "{label}: este campo es obligatorio; {fix}.",
    "{label}: not a number; {fix}.": "{label}: no es un número; {fix}.",
    "{label}: {value} is not allowed; {fix}.": "{label}: {value} no está permitido; {fix}.",
    "{missing}: required with {other}; enter both, or clear both.": (
        "{missing}: obligatorio junto con {other}; ingrese ambos o borre ambos."
    ),
    "Convert land use: choose the class to convert, the class it becomes and "
    "the share converted (%), or clear all three.": (
        "Cambiar el uso del suelo: elija la clase a convertir, la clase en que se convierte "
        "y la proporción convertida (%), o borre los tres."
    ),
    "Carbon sequestered (IPCC tier 1)": "Carbono secuestrado (IPCC nivel 1)",
    "Households reached": "Hogares alcanzados",
    "baseline": "línea de base",
    "communities": "comunidades",
    "Scenario: change in recharge": "Escenario: cambio en la recarga",
    "Scenario: change in runoff": "Escenario: cambio en la escorrentía",
    "Scenario: change in actual ET": "Escenario: cambio en la ET real",
    "Scenario: change in deficit": "Escenario: cambio en el déficit",
    "Site moved.": "Sitio movido.",
    "Click the map where this site should go.": "Haga clic en el mapa donde debe ir este sitio.",
    "Move: then click the map": "Mover: luego haga clic en el mapa",
    "Pairwise comparisons (AHP)": "Comparaciones por pares (AHP)",
    "How much more important is the row's criterion than the column's?": (
        "¿Cuánto más importante es el criterio de la fila que el de la columna?"
    ),
    "row vs column": "fila / columna",
    "Excluded land use": "Uso del suelo excluido",
    "Slope limit": "Pendiente máxima",
    "Protected areas": "Áreas protegidas",
    "Water buffer": "Franja de protección del agua",
    "Consistency ratio": "Razón de consistencia",
    "the comparisons contradict each other; revise them.": (
        "las comparaciones se contradicen; revíselas."
    ),
    "consistent": "consistente",
    "Crop suitability": "Aptitud de los cultivos",
    "plant in": "sembrar en",
    "Choose an intervention to pick or suggest sites.": (
        "Elija una intervención para elegir o proponer sitios."
    ),
    "EcoCrop: the crop's own limits, no weights.": (
        "EcoCrop: los límites propios del cultivo, sin pesos."
    ),
    "Map a scenario's change in": "Mapa del cambio del escenario en",
    "Planner's map": "Mapa del planificador",
    "Downloads": "Descargas",
    "this could not be updated": "no se pudo actualizar",
    "Earlier results were cleared; check the inputs and try again.": (
        "Se borraron los resultados anteriores; revise los datos ingresados e intente de nuevo."
    ),
    "Scenario": "Escenario",
    "Profile": "Perfil",
    "Weights": "Pesos",
    "Search": "Búsqueda",
    "Map": "Mapa",
    "Processing": "Cálculo",
    "Download": "Descargar",
    "Download (Excel)": "Descargar (Excel)",
    "Only the selected unit": "Solo la unidad seleccionada",
    "Select a unit on the map first.": "Primero seleccione una unidad en el mapa.",
    "Excel (all tables + README)": "Excel (todas las tablas + LÉAME)",
    "GeoPackage (all layers)": "GeoPackage (todas las capas)",
    "Summary": "Resumen",
    "Monthly (long)": "Mensual (formato largo)",
    "Suitability (long)": "Aptitud (formato largo)",
    "Crops (long)": "Cultivos (formato largo)",
    "Printable brief": "Ficha imprimible",
    "This server is read-only: shortlists, scenarios, saved areas and monitoring records"
    " cannot be changed.": (
        "Este servidor es de solo lectura: las listas, los escenarios, las zonas guardadas y"
        " los registros de seguimiento no se pueden modificar."
    ),
    "Editing needs a login: open /login, then try again.": (
        "Para editar hay que iniciar sesión: abra /login e intente de nuevo."
    ),
    "Observed": "Observado",
    "Simulated": "Simulado",
    "Period": "Período",
    "Months": "Meses",
    "Observed and simulated flow at the outlet": "Caudal observado y simulado en la salida",
    "Calibrated": "Calibrado",
    "baseflow recession": "recesión del caudal base",
    "calibration": "calibración",
    "validation": "validación",
    "months": "meses",
    "Raster clip (COG)": "Recorte ráster (COG)",
    "Raster layer": "Capa ráster",
    "All units": "Todas las unidades",
    "Only the drawn area": "Solo el área dibujada",
    "Draw or upload an area on the design page first.": (
        "Primero dibuje o cargue un área en la página de diseño."
    ),
    "No unit of this level overlaps the drawn area.": (
        "Ninguna unidad de este nivel se superpone con el área dibujada."
    ),
    "A raster clip needs the selected unit or a drawn area.": (
        "Un recorte ráster necesita la unidad seleccionada o un área dibujada."
    ),
    "This file is too large for the button: use the direct link.": (
        "Este archivo es demasiado grande para el botón: use el enlace directo."
    ),
    "Direct link (streamed, for large files)": "Enlace directo (por flujo, para archivos grandes)",
    # background processing
    "Computing results": "Calculando los resultados",
    "Results are ready.": "Los resultados están listos.",
    "Reload the map": "Recargar el mapa",
    "Computing results failed": "El cálculo de los resultados falló",
    "starting": "iniciando",
    "validating the region": "validando la región",
    "aligning layers to the working grid": "alineando las capas a la grilla de trabajo",
    "computing the per-cell balance and water yield rasters": (
        "calculando el balance y el rendimiento hídrico por celda"
    ),
    "water balance of the communities": "balance hídrico de las comunidades",
    "water balance of the watersheds": "balance hídrico de las cuencas",
    "writing the results store": "guardando los resultados",
    "results are up to date": "resultados al día",
    "another server process is computing the results": (
        "otro proceso del servidor está calculando los resultados"
    ),
    # the layer list, its context layers and the notes of its "i" (dashboard.layer_info)
    "online": "en línea",
    "Show or hide the layer list": "Mostrar u ocultar la lista de capas",
    "What the indicators mean": "Qué significan los indicadores",
    "Context layers": "Capas de contexto",
    "Roads": "Caminos",
    "How well the land meets the intervention's criteria (slope, soil, water, distance to "
    "roads...), weighted as its profile says; excluded land scores 0.": (
        "Qué tan bien cumple el terreno los criterios de la intervención (pendiente, suelo, "
        "agua, distancia a caminos...), ponderados según su perfil; el terreno excluido "
        "obtiene 0."
    ),
    "{s1} or more is highly suitable (S1), {s2} to {s1} suitable (S2), {s3} to {s2} marginal "
    "(S3), below {s3} not suitable (N).": (
        "{s1} o más es muy apto (S1); de {s2} a {s1}, apto (S2); de {s3} a {s2}, marginal "
        "(S3); menos de {s3}, no apto (N)."
    ),
    "The land cover of each cell (cropland, forest, grassland, towns...): it sets how much "
    "rain runs off and how much water the plants use.": (
        "La cobertura del suelo de cada celda (cultivos, bosque, pastizal, poblados...): define "
        "cuánta lluvia escurre y cuánta agua usan las plantas."
    ),
    "The colours are in the Land use legend of the side panel.": (
        "Los colores están en la leyenda Uso del suelo del panel lateral."
    ),
    "Rain of the average year, or of the month chosen with the Rainfall month slider (in "
    "mm/month).": (
        "La lluvia del año promedio, o del mes elegido con el control deslizante Mes de la lluvia "
        f"(en {UNITS['mm/month']})."
    ),
    "Below about 500 mm/yr rain-fed crops are at risk in most years; water harvesting pays "
    "most where rain is short or comes in a few storms.": (
        f"Por debajo de unos 500 {UNITS['mm/yr']}, "
        "los cultivos de secano están en riesgo la mayoría de los "
        "años; la cosecha de agua rinde más donde la lluvia es escasa o llega en pocas tormentas."
    ),
    "Areas draining to one outlet (blue dashed outlines): water harvested upstream is water "
    "missing downstream.": (
        "Áreas que drenan hacia una misma salida (contornos azules discontinuos): el agua "
        "cosechada aguas arriba es agua que falta aguas abajo."
    ),
    "Click one to read its water balance.": "Haga clic en una para ver su balance hídrico.",
    "The units every summary is made for, coloured by the indicator chosen under Colour "
    "communities by.": (
        "Las unidades para las que se hace cada resumen, coloreadas según el indicador elegido "
        "en Colorear las comunidades según."
    ),
    "Click one to read its water balance, land-use mix and suitability.": (
        "Haga clic en una para ver su balance hídrico, su mezcla de usos del suelo y su aptitud."
    ),
    "Existing and planned sites, coloured by type (the colours are in the Type filter).": (
        "Sitios existentes y planificados, coloreados por tipo (los colores están en el filtro "
        "Tipo)."
    ),
    "Click a site for its details; a cluster opens when clicked.": (
        "Haga clic en un sitio para ver sus detalles; un grupo de sitios se abre al hacer clic."
    ),
    "The region's main roads.": "Los caminos principales de la región.",
    "Distance to roads is a criterion of several interventions: machinery and produce travel "
    "by road.": (
        "La distancia a caminos es un criterio de varias intervenciones: la maquinaria y las "
        "cosechas se transportan por camino."
    ),
    "Reserves and parks (green, dotted outline).": "Reservas y parques (contorno verde punteado).",
    "Interventions are not proposed inside them unless a profile allows it.": (
        "No se proponen intervenciones dentro de ellas, salvo que un perfil lo permita."
    ),
    "The suitability of the designer's intervention with the weights set on this page.": (
        "La aptitud de la intervención del diseñador con los pesos fijados en esta página."
    ),
    "How well temperature and rain suit the crop in its best planting month (FAO EcoCrop "
    "limits).": (
        "Qué tan bien la temperatura y la lluvia le convienen al cultivo en su mejor mes de "
        "siembra (límites FAO EcoCrop)."
    ),
    "1 is ideal; 0 means temperature or rain lies outside what the crop tolerates.": (
        "1 es ideal; 0 significa que la temperatura o la lluvia está fuera de lo que el cultivo "
        "tolera."
    ),
    "Share of the community's area under cropland in the land-use map.": (
        "Proporción del área de la comunidad con cultivos en el mapa de uso del suelo."
    ),
    "Farming communities (high shares) are where field water harvesting and soil conservation "
    "matter most.": (
        "Es en las comunidades agrícolas (proporciones altas) donde más importan la cosecha de "
        "agua en las parcelas y la conservación de suelos."
    ),
    # ranking robustness (dashboard/robustness_view.py)
    "Ranking robustness": "Robustez de la clasificación",
    "The weights are drawn {n} times around yours (Dirichlet); a larger concentration keeps the "
    "draws closer to your weights.": (
        "Los pesos se sortean {n} veces alrededor de los suyos (Dirichlet); una concentración "
        "mayor mantiene los sorteos más cerca de sus pesos."
    ),
    "Top N": "N primeras",
    "How many communities the programme can take": "Cuántas comunidades puede atender el programa",
    "Weight concentration": "Concentración de los pesos",
    "Larger: weights vary less": "Mayor: los pesos varían menos",
    "Download the ranking (CSV)": "Descargar la clasificación (CSV)",
    "Top-N probability": "Probabilidad de estar entre las N primeras",
    "Share of weight draws that rank the community in the top N": (
        "Proporción de sorteos de pesos que sitúan a la comunidad entre las N primeras"
    ),
    "Rank 5-95 %": "Puesto 5-95 %",
    "The community's rank in 90 % of the weight draws; | the median": (
        "El puesto de la comunidad en el 90 % de los sorteos de pesos; | la mediana"
    ),
    "{k} communities are in the top {n} in at least {share} of {draws} weight draws "
    "(concentration {c}).": (
        "{k} comunidades están entre las {n} primeras en al menos el {share} de {draws} sorteos "
        "de pesos (concentración {c})."
    ),
    "{name}: in the top {n} in {p} of the weight draws": (
        "{name}: entre las {n} primeras en el {p} de los sorteos de pesos"
    ),
    "Robust top N": "N primeras robustas",
    # budget portfolio (dashboard/portfolio_view.py, processing.portfolio.MESSAGES)
    "Budget portfolio": "Cartera según presupuesto",
    "The communities a budget should fund for the greatest impact, solved exactly "
    "(mixed-integer programme, HiGHS).": (
        "Las comunidades que un presupuesto debería financiar para el mayor impacto, "
        "resuelto de forma exacta (programa entero mixto, HiGHS)."
    ),
    "Budget": "Presupuesto",
    "Max. units per community": "Máx. de unidades por comunidad",
    "Min. women/youth share (0-1)": "Proporción mín. mujeres/jóvenes (0-1)",
    "Least share of the cost in communities whose sites are led by women or young people": (
        "Proporción mínima del costo en comunidades cuyos sitios dirigen mujeres o jóvenes"
    ),
    "Impact": "Impacto",
    "Find portfolio": "Buscar la cartera",
    "Water harvested": "Agua captada",
    "Recharge gained": "Recarga ganada",
    "Hectares S1+S2": "Hectáreas S1+S2",
    "Choose an intervention (not a crop) for a budget portfolio.": (
        "Elija una intervención (no un cultivo) para una cartera según presupuesto."
    ),
    "{name}: {cost} {currency} a unit ({size}{unit}), {fixed} {currency} once per community "
    "given units.": (
        "{name}: {cost} {currency} por unidad ({size}{unit}), {fixed} {currency} una vez por "
        "comunidad que recibe unidades."
    ),
    "site": "sitio",
    "m³ of storage": "m³ de almacenamiento",
    "Cost": "Costo",
    "Budget left": "Presupuesto restante",
    "Units allocated": "Unidades asignadas",
    "Women/youth-led share of the cost": "Proporción del costo dirigida por mujeres/jóvenes",
    "Optimality": "Optimalidad",
    "within {gap} % of the optimum (time limit)": (
        "a menos de {gap} % del óptimo (límite de tiempo)"
    ),
    "proven optimum": "óptimo demostrado",
    "Efficient frontier": "Frontera eficiente",
    "Your budget": "Su presupuesto",
    "{name}: {n} community for {budget} {currency}": (
        "{name}: {n} comunidad por {budget} {currency}"
    ),
    "{name}: {n} communities for {budget} {currency}": (
        "{name}: {n} comunidades por {budget} {currency}"
    ),
    "Download the portfolio (CSV)": "Descargar la cartera (CSV)",
    "{name}: {n} units, {cost} {currency}": "{name}: {n} unidades, {cost} {currency}",
    "the budget must be a number above 0, got {budget}": (
        "el presupuesto debe ser un número mayor que 0; se recibió {budget}"
    ),
    "the minimum women/youth share must be between 0 and 1, got {value}": (
        "la proporción mínima de mujeres/jóvenes debe estar entre 0 y 1; se recibió {value}"
    ),
    "no allocation has any impact: choose another impact measure or intervention": (
        "ninguna asignación tiene impacto: elija otra medida de impacto u otra intervención"
    ),
    "the budget ({budget}) buys no unit that has an impact: the cheapest costs {cheapest}; "
    "raise the budget": (
        "el presupuesto ({budget}) no alcanza para ninguna unidad con impacto: la más barata "
        "cuesta {cheapest}; aumente el presupuesto"
    ),
    "no community whose project sites are led by women or young people gains from this "
    "intervention, so a minimum share of {share_pct} % cannot be met; set the share to 0": (
        "ninguna comunidad cuyos sitios dirigen mujeres o jóvenes gana con esta "
        "intervención, así que una proporción mínima de {share_pct} % no puede cumplirse; "
        "ponga la proporción en 0"
    ),
    "the minimum women/youth share of {share_pct} % cannot be met within the budget "
    "({budget}); lower the share or raise the budget": (
        "la proporción mínima de mujeres/jóvenes de {share_pct} % no puede cumplirse con el "
        "presupuesto ({budget}); baje la proporción o aumente el presupuesto"
    ),
    "unknown intervention '{name}' (known: {known})": (
        "intervención desconocida '{name}' (conocidas: {known})"
    ),
    "unknown impact '{name}': choose one of {known}": (
        "impacto desconocido '{name}': elija uno de {known}"
    ),
    "the cap per community must be a whole number from 1 to {max}, got {value}": (
        "el tope por comunidad debe ser un número entero de 1 a {max}; se recibió {value}"
    ),
    "recharge gained needs the designer's scenarios": (
        "la recarga ganada necesita los escenarios del diseñador"
    ),
    "[[interventions]] id = '{name}' in region.toml has no cost model: add `unit_cost` (cost "
    "per unit) and `unit` ('site', 'ha' or 'm3' of storage), optionally `unit_size` and "
    "`fixed_cost_per_community`": (
        "[[interventions]] id = '{name}' en region.toml no tiene modelo de costos: añada "
        "`unit_cost` (costo por unidad) y `unit` ('site', 'ha' o 'm3' de almacenamiento) y, "
        "si hace falta, `unit_size` y `fixed_cost_per_community`"
    ),
    "the project sites have no `households`, `households_women_led` and "
    "`households_youth_led` columns, so a women/youth share cannot be applied: add them to "
    "the file of [layers.project_sites] in region.toml, or set the share to 0": (
        "los sitios de proyecto no tienen las columnas `households`, `households_women_led` "
        "y `households_youth_led`, así que no puede aplicarse una proporción de "
        "mujeres/jóvenes: añádalas al archivo de [layers.project_sites] en region.toml, o "
        "ponga la proporción en 0"
    ),
    "the communities layer has no `households` field: add it to the file of "
    "[layers.communities] in region.toml, or choose another impact": (
        "la capa de comunidades no tiene el campo `households`: añádalo al archivo de "
        "[layers.communities] en region.toml, o elija otro impacto"
    ),
    "water harvested needs the water one site stores: add `storage_m3_per_site` to "
    "[[interventions]] id = '{name}' in region.toml, or choose another impact": (
        "el agua captada necesita el agua que almacena un sitio: añada `storage_m3_per_site` "
        "a [[interventions]] id = '{name}' en region.toml, o elija otro impacto"
    ),
    "recharge gained comes from the designer's scenarios: add `scenario_lever` ('ponds', "
    "'terraces' or 'agroforestry') to [[interventions]] id = '{name}' in region.toml, or "
    "choose another impact": (
        "la recarga ganada viene de los escenarios del diseñador: añada `scenario_lever` "
        "('ponds', 'terraces' o 'agroforestry') a [[interventions]] id = '{name}' en "
        "region.toml, o elija otro impacto"
    ),
    # compare two states
    "A and B are both '{name}': choose two different states.": (
        "A y B son ambos «{name}»: elija dos estados distintos."
    ),
    "A is a {kind} and B a {other}: compare two months or two years.": (
        "A es un {kind} y B un {other}: compare dos meses o dos años."
    ),
    "January": "Enero",
    "February": "Febrero",
    "March": "Marzo",
    "April": "Abril",
    "June": "Junio",
    "July": "Julio",
    "August": "Agosto",
    "September": "Septiembre",
    "October": "Octubre",
    "November": "Noviembre",
    "December": "Diciembre",
    "Baseline": "Línea de base",
    "Baseline and saved scenarios": "Línea de base y escenarios guardados",
    "Change B - A": "Cambio B - A",
    "Change B - A, totals over all units:": "Cambio B - A, totales de todas las unidades:",
    "Choose both A and B to compare.": "Elija A y B para comparar.",
    "Compare": "Comparar",
    "Compare: change B - A": "Comparación: cambio B - A",
    "Compare: state A": "Comparación: estado A",
    "Compare: state B": "Comparación: estado B",
    "Map of the comparison": "Mapa de la comparación",
    "Month {value} does not exist: choose a month from 1 to 12.": (
        "El mes {value} no existe: elija un mes de 1 a 12."
    ),
    "Months in deficit": "Meses en déficit",
    "Potential ET": "ET potencial",
    (
        "Saved scenario #{value} no longer exists (deleted from the team workspace): "
        "choose another one."
    ): (
        "El escenario guardado n.º {value} ya no existe (eliminado del espacio del "
        "equipo): elija otro."
    ),
    "Scenarios are run per community: choose communities to compare scenarios.": (
        "Los escenarios se calculan por comunidad: elija comunidades para comparar escenarios."
    ),
    "State A": "Estado A",
    "State B": "Estado B",
    "The map colours communities: compare communities to see the change on it.": (
        "El mapa colorea las comunidades: compare comunidades para ver el cambio en él."
    ),
    (
        "These results are a climatology (one mean year, no calendar years): compare two "
        "months or two scenarios instead."
    ): (
        "Estos resultados son una climatología (un año medio, sin años civiles): compare "
        "dos meses o dos escenarios."
    ),
    "Total": "Total",
    "Two months": "Dos meses",
    "Two years": "Dos años",
    "Unit": "Unidad",
    "Variable": "Variable",
    "Year {value} is not a whole year of the series: choose one from {low} to {high}.": (
        "El año {value} no es un año completo de la serie: elija uno de {low} a {high}."
    ),
    "month": "mes",
    "units": "unidades",
    "year": "año",
    (
        "Compare the baseline with a saved scenario, two saved scenarios, two months or "
        "two years: the change B - A per community or watershed."
    ): (
        "Compare la línea de base con un escenario guardado, dos escenarios guardados, "
        "dos meses o dos años: el cambio B - A por comunidad o cuenca."
    ),
    # project sites (the demo's types and statuses), layer provenance, the unit search
    "No community or watershed '{id}' in this region; click one on the map or search.": (
        "No hay ninguna comunidad ni cuenca «{id}» en esta región; haga clic en una en el mapa "
        "o búsquela."
    ),
    "water pan": "reservorio",
    "sand dam": "presa de arena",
    "agroforestry plot": "parcela agroforestal",
    "small irrigation": "pequeño riego",
    "tree nursery": "vivero",
    "spring protection": "protección de manantial",
    "planned": "previsto",
    "ongoing": "en curso",
    "completed": "terminado",
    "not functional": "fuera de servicio",
    "unknown": "desconocido",
    "Site id": "Identificador del sitio",
    "Name": "Nombre",
    "Start year": "Año de inicio",
    "Households": "Hogares",
    "Households women led": "Hogares dirigidos por mujeres",
    "Households youth led": "Hogares dirigidos por jóvenes",
    "Watersheds (delineated from the DEM with pysheds)": (
        "Cuencas (delimitadas a partir del MDE con pysheds)"
    ),
    "Monthly rainfall climatology": "Climatología mensual de la lluvia",
    "Monthly mean minimum temperature": "Temperatura mínima media mensual",
    "Monthly mean maximum temperature": "Temperatura máxima media mensual",
    "Soil units": "Unidades de suelo",
    "Main roads": "Carreteras principales",
    "Forest reserve (hilltop)": "Reserva forestal (cumbre)",
    "synthetic (landwater demo generator)": "sintético (generador de demostración de landwater)",
    "Clear search": "Borrar la búsqueda",
    "Clear selection": "Borrar la selección",
    "No match": "Sin resultados",
    "No community or watershed matches '{text}'.": (
        "Ninguna comunidad ni cuenca coincide con «{text}»."
    ),
    # the designer's map layers
    (
        f"A star on each community ranked in the top N (N is set under Ranking robustness) in "
        f"at least {ROBUST_SHARE:.0%} of {DEFAULT_DRAWS} draws of the criterion weights around "
        "yours; its hover gives the share of draws. Computed from the designer's suitability "
        "scores of the region's processed results."
    ): (
        f"Una estrella en cada comunidad clasificada entre las N primeras (N se fija en "
        f"Robustez de la clasificación) en al menos el {ROBUST_SHARE * 100:.0f}\xa0% de "
        f"{DEFAULT_DRAWS} sorteos de los pesos de los criterios alrededor de los suyos; al "
        f"pasar el cursor se ve la proporción de sorteos. Calculado a partir de las "
        f"puntuaciones de aptitud del diseñador sobre los resultados procesados de la región."
    ),
    "A star is a safe choice: the community stays among the best whatever the exact weights. A "
    "community high in the ranking without a star depends on the weights chosen.": (
        "Una estrella es una elección segura: la comunidad sigue entre las mejores sean cuales "
        "sean los pesos exactos. Una comunidad bien clasificada sin estrella depende de los "
        "pesos elegidos."
    ),
    "The communities the budget funds, chosen for the most of the impact picked under Budget "
    "portfolio (water harvested, recharge gained, households reached or hectares S1+S2); each "
    "marker gives the units of the intervention funded there (sites, hectares or m³ of storage, "
    "as its cost says). Costs come from the intervention's cost in region.toml, impacts from "
    "the region's processed results.": (
        "Las comunidades que financia el presupuesto, elegidas para obtener el mayor impacto "
        "elegido en Cartera según presupuesto (agua cosechada, recarga ganada, hogares "
        "alcanzados o hectáreas S1+S2); cada marcador da las unidades de la intervención "
        "financiadas allí (sitios, hectáreas o m³ de almacenamiento, según su costo). Los "
        "costos vienen del costo de la intervención en region.toml, los impactos de los "
        "resultados procesados de la región."
    ),
    "More impact for the same budget is better; the frontier chart shows what a larger or "
    "smaller budget would buy.": (
        "Más impacto con el mismo presupuesto es mejor; el gráfico de la frontera muestra lo "
        "que compraría un presupuesto mayor o menor."
    ),
    # uploaded and drawn areas (layers/upload.py, processing/area.py)
    "{name}: not a readable zip file": "{name}: no es un archivo zip legible",
    "{name}: the zip must hold exactly one .shp (found {found}) with its .shx, .dbf and .prj": (
        "{name}: el zip debe contener exactamente un .shp (encontrados: {found}) con sus .shx, "
        ".dbf y .prj"
    ),
    "{name}: the shapefile has no .prj, so its CRS is unknown; add it": (
        "{name}: el shapefile no tiene .prj, así que su SRC es desconocido; agréguelo"
    ),
    "{name}: {size_mb} MB is over the {limit_mb} MB limit; simplify the area or upload only "
    "its outline": (
        "{name}: {size_mb} MB supera el límite de {limit_mb} MB; simplifique el área o suba "
        "solo su contorno"
    ),
    "{name}: {size} bytes is over the {limit_mb} MB limit ({limit} bytes); simplify the area "
    "or upload only its outline": (
        "{name}: {size} bytes superan el límite de {limit_mb} MB ({limit} bytes); simplifique "
        "el área o suba solo su contorno"
    ),
    "{name}: unsupported file type '{suffix}'; upload GeoJSON, GeoPackage, KML or a zipped "
    "shapefile": (
        "{name}: tipo de archivo no admitido «{suffix}»; suba GeoJSON, GeoPackage, KML o un "
        "shapefile comprimido en zip"
    ),
    "{name}: not a readable {kind}": "{name}: no es un archivo {kind} legible",
    "{name}: the layer has no CRS; save it with one (e.g. EPSG:4326)": (
        "{name}: la capa no tiene SRC; guárdela con uno (p. ej. EPSG:4326)"
    ),
    "{name}: no polygon found; draw or upload an area, not points or lines": (
        "{name}: no se encontró ningún polígono; dibuje o suba un área, no puntos ni líneas"
    ),
    "{name}: {vertices} vertices is over the {limit} limit; simplify the area (e.g. 10 m "
    "tolerance) and upload it again": (
        "{name}: {vertices} vértices superan el límite de {limit}; simplifique el área (p. ej. "
        "tolerancia de 10 m) y súbala de nuevo"
    ),
    "{name}: the area is empty after repair; check the polygon": (
        "{name}: el área queda vacía tras la reparación; revise el polígono"
    ),
    "drawn area: nothing drawn yet; draw a polygon or a rectangle": (
        "área dibujada: aún no hay nada dibujado; dibuje un polígono o un rectángulo"
    ),
    "drawn area: not GeoJSON polygon features; draw a polygon or a rectangle": (
        "área dibujada: no son polígonos GeoJSON; dibuje un polígono o un rectángulo"
    ),
    "drawn area: coordinates outside longitude -180..180, latitude -90..90": (
        "área dibujada: coordenadas fuera de longitud -180..180, latitud -90..90"
    ),
    "the area lies outside the region; draw it over the region's map": (
        "el área está fuera de la región; dibújela sobre el mapa de la región"
    ),
    "drawn area": "área dibujada",
    "shapefile": "shapefile",
    "(none)": "(ninguna)",
    # a request of the page the server did not answer (assets/landwater.js)
    "The server did not answer ({status}); what the page shows may be out of date. Check the "
    "connection, then try again.": (
        "El servidor no respondió ({status}); lo que muestra la página puede estar "
        "desactualizado. Compruebe la conexión y vuelva a intentarlo."
    ),
    # the demo region's name and description (layers/build/demo)
    "Demo highlands (synthetic)": "Tierras altas de demostración (sintéticas)",
    "A synthetic 40 x 30 km highland landscape near Machakos, Kenya. Not real data.": (
        "Un paisaje sintético de tierras altas de 40 x 30 km cerca de Machakos, Kenia. No son "
        "datos reales."
    ),
    # catchment from a click (planner's map)
    "Catchment from a click": "Cuenca con un clic",
    "Delineate: click a stream on the map": "Delimitar: haga clic en un cauce del mapa",
    "Snapping radius (m)": "Radio de ajuste (m)",
    (
        "The click moves to the cell draining the largest area within the radius (dashed "
        "circle); the outlet is the purple dot."
    ): (
        "El clic se mueve a la celda que drena la mayor área dentro del radio (círculo "
        "discontinuo); la salida es el punto morado."
    ),
    "Download the catchment (GeoJSON)": "Descargar la cuenca (GeoJSON)",
    "Catchment": "Cuenca",
    "outlet {lat}, {lon}": "salida {lat}, {lon}",
    "moved {moved} m (radius {radius} m)": "desplazado {moved} m (radio {radius} m)",
    "The region's elevation model is being routed (once per region): the first catchment"
    " may take a minute.": (
        "Se está calculando el drenaje del modelo de elevación de la región (una vez por "
        "región): la primera cuenca puede tardar un minuto."
    ),
    "Click on the map to delineate a catchment.": (
        "Haga clic en el mapa para delimitar una cuenca."
    ),
    "Enter a snapping radius from 0 to {max_m} m.": (
        "Introduzca un radio de ajuste de 0 a {max_m} m."
    ),
    ("Summaries need results: run `landwater process` on this region."): (
        "Los resúmenes necesitan resultados: ejecute `landwater process` en esta región."
    ),
    catchment.RADIUS_ERROR: (
        "El radio de ajuste debe estar entre 0 y {max_m} m (recibido {radius})."
    ),
    catchment.OUTSIDE_ERROR: (
        "El punto ({lon}, {lat}) está fuera de la región: haga clic dentro de su mapa."
    ),
    catchment.NO_DATA_ERROR: (
        "El punto ({lon}, {lat}) no tiene datos de elevación: haga clic donde la capa de "
        "elevación cubre el terreno."
    ),
    catchment.RIDGE_ERROR: (
        "El punto ({lon}, {lat}) está en una cresta o una ladera: la mayor cuenca dentro "
        "de {radius} m mide {area} ha (menos de {min_ha} ha). Haga clic en un cauce, o "
        "amplíe el radio."
    ),
    catchment.FAR_WARNING: (
        "El punto se desplazó {moved_m} m hasta un cauce (más de {cells} celdas): "
        "compruebe que es la salida que quería, o haga clic más cerca del cauce."
    ),
    catchment.OTHER_STREAM_WARNING: (
        "El punto se desplazó a otro cauce: el cauce pulsado no pasa por la salida, uno "
        "mayor dentro del radio sí. Haga clic en el cauce que quiere, o reduzca el radio."
    ),
    catchment.EDGE_NOTE: (
        "La cuenca llega al borde de los datos de elevación: si la cuenca sigue más allá,"
        " queda recortada."
    ),
    # saved areas of interest
    "Saved areas": "Áreas guardadas",
    "Area name": "Nombre del área",
    "Save the area": "Guardar el área",
    "Link to this area": "Enlace a esta área",
    "The name is longer than {max} characters; shorten it.": (
        "El nombre tiene más de {max} caracteres; acórtelo."
    ),
    "The name holds an invisible or control character ({code}); type it again.": (
        "El nombre contiene un carácter invisible o de control ({code}); escríbalo de nuevo."
    ),
    "Type a name for the area first.": "Escriba primero un nombre para el área.",
    "An area named “{name}” is already saved; choose another name.": (
        "Ya hay un área guardada con el nombre «{name}»; elija otro nombre."
    ),
    "This area cannot be saved: {reason}.": "Esta área no se puede guardar: {reason}.",
    (
        "“{name}” was changed by a teammate since the list was loaded; the list is refreshed, "
        "try again."
    ): (
        "Un colega cambió «{name}» después de cargar la lista; la lista se ha actualizado, "
        "inténtelo de nuevo."
    ),
    (
        "The team workspace cannot be written: ask its administrator to make it writable (file, "
        "folder, disk space), then save again."
    ): (
        "No se puede escribir en el espacio de trabajo del equipo: pida a su administrador que "
        "permita la escritura (archivo, carpeta, espacio en disco) y guarde de nuevo."
    ),
    (
        "“{name}” is no longer in the team workspace: a teammate may have deleted it. The list "
        "is refreshed; save the area again to keep it."
    ): (
        "«{name}» ya no está en el espacio de trabajo del equipo: puede que un colega la haya "
        "borrado. La lista se ha actualizado; guarde el área de nuevo para conservarla."
    ),
    (
        "The saved area of this link is no longer in the team workspace: a teammate may have "
        "deleted it. Choose another one from the list."
    ): (
        "El área guardada de este enlace ya no está en el espacio de trabajo del equipo: puede "
        "que un colega la haya borrado. Elija otra de la lista."
    ),
    "Opened “{name}”: {ha}.": "Abierta «{name}»: {ha}.",
    "Draw, upload or delineate an area first, then save it.": (
        "Dibuje, suba o delimite primero un área y luego guárdela."
    ),
    "Saved “{name}”: {ha}.": "Guardada «{name}»: {ha}.",
    "Choose a saved area in the list first.": "Elija primero un área guardada en la lista.",
    "Renamed to “{name}”.": "Renombrada como «{name}».",
    "Deleted “{name}”.": "Borrada «{name}».",
    # printable maps (dashboard/map_export.py)
    "The map shows no part of the region: move back to it.": (
        "El mapa no muestra ninguna parte de la región: vuelva a ella."
    ),
    "Printable map": "Mapa para imprimir",
    "The map as shown (extent, checked layers, month), with legend, scale bar,"
    " north arrow and sources.": (
        "El mapa tal como se ve (extensión, capas marcadas, mes), con leyenda,"
        " escala, flecha del norte y fuentes."
    ),
    "Export map": "Exportar el mapa",
    "Legend": "Leyenda",
    "Sources": "Fuentes",
    "Map made with landwater.": "Mapa hecho con landwater.",
    "Check at least one layer on the map first.": "Marque primero al menos una capa del mapa.",
    # programme monitoring (dashboard.programme_view)
    "Sites planned": "Sitios previstos",
    "Sites ongoing": "Sitios en curso",
    "Sites completed": "Sitios terminados",
    "Sites abandoned": "Sitios abandonados",
    "Programme monitoring": "Seguimiento del programa",
    "Import a CSV with one row per site and date; columns:": (
        "Importe un CSV con una fila por sitio y fecha; columnas:"
    ),
    "Import monitoring CSV": "Importar CSV de seguimiento",
    "Enter a record": "Ingresar un registro",
    "Project site": "Sitio del proyecto",
    "Date (YYYY-MM-DD)": "Fecha (AAAA-MM-DD)",
    "abandoned": "abandonado",
    "led by women": "dirigidos por mujeres",
    "led by young people": "dirigidos por jóvenes",
    "Save record": "Guardar registro",
    "Totals by": "Totales por",
    "Intervention type": "Tipo de intervención",
    "Download CSV": "Descargar CSV",
    "Download Excel": "Descargar Excel",
    "Water harvested by completed sites": "Agua captada por los sitios terminados",
    "Recharge gained by completed sites": "Recarga ganada por los sitios terminados",
    WATER_NOTE: (
        "El agua captada y la recarga ganada son las cifras del modelo de escenarios para la "
        "intervención de cada sitio terminado. La recarga ganada es negativa donde los "
        "árboles usan más agua que los cultivos que reemplazan; la infiltración de una charca"
        " cuenta como pérdida de la charca, no como recarga; – donde el tipo de sitio no "
        "tiene intervención en el modelo."
    ),
    "Water from completed sites": "Agua de los sitios terminados",
    "All sites": "Todos los sitios",
    "Sites by status over time": "Sitios por estado en el tiempo",
    "{n} record(s) stored": "{n} registro(s) guardado(s)",
    "No monitoring records yet.": "Aún no hay registros de seguimiento.",
    "The record was not stored: correct these fields and save again.": (
        "El registro no se guardó: corrija estos campos y guarde de nuevo."
    ),
    "{n} problem(s): nothing was imported. Correct the file and import it again.": (
        "{n} problema(s): no se importó nada. Corrija el archivo e impórtelo de nuevo."
    ),
    "... and {n} more": "... y {n} más",
    # a site's latest monitored status (dashboard.profile)
    "{status} on {date}": "{status} al {date}",
    # monitoring CSV problems (layers.monitoring)
    "row {row}, column '{column}': {message}; {fix}": (
        "fila {row}, columna '{column}': {message}; {fix}"
    ),
    "column '{column}': {message}; {fix}": "columna '{column}': {message}; {fix}",
    "is missing": "falta",
    "is not a monitoring column": "no es una columna de seguimiento",
    "{rows} rows": "{rows} filas",
    "'{text}' is not a project site of this region": (
        "'{text}' no es un sitio de proyecto de esta región"
    ),
    "'{text}' is not a date in the form YYYY-MM-DD (e.g. 2025-03-31)": (
        "'{text}' no es una fecha con la forma AAAA-MM-DD (p. ej. 2025-03-31)"
    ),
    "'{text}' lies outside {low} to today ({high})": (
        "'{text}' está fuera del periodo de {low} a hoy ({high})"
    ),
    "'{text}' is not a status": "'{text}' no es un estado",
    "'{text}' is not a whole number of households": "'{text}' no es un número entero de hogares",
    "{part} is more than the site's {households} households": (
        "{part} supera los {households} hogares del sitio"
    ),
    "site {site} already has a record on {date} (row {row})": (
        "el sitio {site} ya tiene un registro el {date} (fila {row})"
    ),
    "cannot be read as a CSV ({reason})": "no se puede leer como CSV ({reason})",
    "the file has no rows": "el archivo no tiene filas",
    "add the column (columns: {columns})": "agregue la columna (columnas: {columns})",
    "remove or rename it": "elimínela o cámbiele el nombre",
    "import at most {max} per file": "importe como máximo {max} filas por archivo",
    "use a site_id of the project sites layer": "use un site_id de la capa de sitios de proyecto",
    "write the date as YYYY-MM-DD": "escriba la fecha como AAAA-MM-DD",
    "use one of {known}": "use uno de {known}",
    "write a whole number from 0 to {max}": "escriba un número entero de 0 a {max}",
    "correct {name} or households (it counts a part of them)": (
        "corrija {name} o households (cuenta una parte de ellos)"
    ),
    "keep one row per site and date": "deje una fila por sitio y fecha",
    "save it as UTF-8 CSV": "guárdelo como CSV UTF-8",
    "add one row per site and date": "agregue una fila por sitio y fecha",
}


def _es(x: float) -> str:
    """A number as Spanish writes it (decimal comma)."""
    return f"{x:g}".replace(".", ",")


# glossary key -> label, what it means, what to use it for
GLOSSARY: dict[str, tuple[str, str, str]] = {
    "rain": (
        "Lluvia",
        "Toda la lluvia que cae sobre el área en un año, como lámina de agua"
        " (1 mm sobre 1 ha son 10 m³).",
        "El agua que se reparten todas las demás cifras; la mayor parte vuelve al aire, así"
        " que no es el agua que se puede usar.",
    ),
    "pet": (
        "ETP de los cultivos",
        "El agua que usarían los cultivos y demás plantas si el suelo nunca se secara"
        " (evapotranspiración potencial).",
        "Compárela con la lluvia: donde es mayor, a las plantas les falta agua a menos que"
        " se almacene o se traiga.",
    ),
    "aet": (
        "ET real",
        "El agua que las plantas usan de verdad y devuelven al aire (evapotranspiración"
        " real); baja por debajo de la ETP de los cultivos cuando el suelo se seca.",
        "Agua que toma la propia tierra: no está disponible para reservorios, pozos ni quebradas.",
    ),
    "runoff": (
        "Escorrentía",
        "La lluvia que corre por la superficie durante las tormentas en vez de infiltrarse"
        " (escorrentía rápida).",
        "Úsela para la cosecha de agua: es el agua que pueden captar los reservorios,"
        " las cochas y las represas de arena.",
    ),
    "recharge": (
        "Recarga",
        "El agua que baja por debajo de la zona de raíces una vez que el suelo está lleno"
        " y rellena el agua subterránea.",
        "Úsela para pozos, perforaciones y manantiales: es la cantidad que los rellena cada año.",
    ),
    "baseflow": (
        "Caudal base",
        "El agua subterránea que vuelve a los ríos y los mantiene corriendo en los meses secos.",
        "La parte del caudal de los ríos en la época seca.",
    ),
    "streamflow": (
        "Caudal de los ríos",
        "El agua que sale del área por sus ríos y quebradas: escorrentía más caudal base.",
        "Úselo para los usuarios aguas abajo (tomas de agua, sistemas de riego, ganado):"
        " el agua cosechada o usada aguas arriba lo reduce.",
    ),
    "storage": (
        "Agua del suelo",
        "El agua retenida en la zona de raíces al final del mes.",
        "Muestra cuándo el suelo está lleno y cuándo está seco; guarda agua de los meses"
        " húmedos para los secos.",
    ),
    "deficit": (
        "Déficit",
        "El agua que los cultivos necesitaban y no recibieron: ETP de los cultivos menos ET real.",
        "Úselo como necesidad de riego: lo que el riego o el agua almacenada tendrían que"
        " aportar para que los cultivos crezcan sin estrés hídrico.",
    ),
    "stress_index": (
        "Índice de estrés hídrico",
        "La ET real dividida por la ETP de los cultivos a lo largo del año: 1 significa"
        " ningún estrés hídrico, 0 significa que las plantas no recibieron agua.",
        f"{_es(STRESS_MILD)} o más es bueno; de {_es(STRESS_SEVERE)} a {_es(STRESS_MILD)},"
        " estrés moderado (bajan los rendimientos de secano); por debajo de"
        f" {_es(STRESS_SEVERE)}, estrés severo: los cultivos de secano a menudo se pierden"
        " sin agua adicional.",
    ),
    "months_in_deficit_per_yr": (
        "Meses en déficit",
        "Cuántos meses al año los cultivos reciben más de"
        f" {DEFICIT_MONTH_MM:.0f} mm de agua menos de lo que necesitan.",
        "La duración del período seco que hay que cubrir con agua almacenada, riego o"
        " cultivos tolerantes a la sequía.",
    ),
    "water_yield_mm_yr": (
        "Rendimiento hídrico (Budyko, control InVEST)",
        "La lluvia menos el agua que usan las plantas en un año entero, por el método de"
        " Budyko del modelo de rendimiento hídrico anual de InVEST; no guarda agua en el"
        " suelo de un mes a otro, por lo que suele ser mayor que el caudal de los ríos.",
        "Control del rendimiento anual, compatible con InVEST; no es la cifra para"
        " planificar: use la escorrentía, la recarga y el caudal de los ríos.",
    ),
}
