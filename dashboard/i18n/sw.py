"""Swahili (East Africa): the UI catalogue and the water glossary's translations."""

from __future__ import annotations

from processing import catchment
from processing.kernels.water_balance import DEFICIT_MONTH_MM
from processing.output_spec import STRESS_MILD, STRESS_SEVERE
from processing.programme import WATER_NOTE
from processing.robustness import DEFAULT_DRAWS, ROBUST_SHARE

NAME = "Kiswahili"
# thousands separator and decimal mark (CLDR)
NUMBER_MARKS: tuple[str, str] = (",", ".")
# a percentage's sign after the number (CLDR), with the space the language puts before it
PERCENT_SIGN = "%"
COLON = ":"  # after a label

# the label of each unit the dashboard shows (symbols alike in every language are not listed)
UNITS: dict[str, str] = {
    "mm/yr": "mm/mwaka",
    "mm/month": "mm/mwezi",
    "m³/yr": "m³/mwaka",
    "m³/month": "m³/mwezi",
    "months/yr": "miezi/mwaka",
    "community-months/yr": "miezi-jamii/mwaka",
    "t CO₂/yr": "t CO₂/mwaka",
    "ratio": "uwiano",
    "score 0..1": "alama 0..1",
    "class": "kundi",
    "% of weight draws": "% ya michoro ya uzito",
    "units per community": "vipimo kwa jamii",
}

CATALOGUE: dict[str, str] = {
    # side panel
    "SYNTHETIC DATA": "DATA ZA KUBUNI",
    "Language": "Lugha",
    "Rainfall month": "Mwezi wa mvua",
    "Communities": "Jamii",
    "Colour communities by": "Paka rangi jamii kwa",
    "Selected community": "Jamii iliyochaguliwa",
    "Click a community on the map.": "Bofya jamii kwenye ramani.",
    "Find a community or watershed...": "Tafuta jamii au bonde la mto...",
    "Project sites": "Maeneo ya miradi",
    "Type": "Aina",
    "Status": "Hali",
    "Land use": "Matumizi ya ardhi",
    "Layers": "Tabaka",
    "Layer": "Tabaka",
    "Source": "Chanzo",
    "Date": "Tarehe",
    "Units": "Vipimo",
    "Licence": "Leseni",
    "Layers & details": "Tabaka na maelezo",
    "Raster opacity": "Kiwango cha kuonekana kwa rasta",
    "Show or hide the side panel": "Onyesha au ficha paneli ya pembeni",
    "No results yet: run `landwater process` on this region to colour communities by indicator.": (
        "Bado hakuna matokeo: endesha `landwater process` kwa eneo hili ili kupaka rangi "
        "jamii kwa kiashiria."
    ),
    "Skip to the map layers": "Nenda kwenye tabaka za ramani",
    "Skip to suggest sites": "Nenda kwenye kupendekeza maeneo",
    "Skip to the scenario": "Nenda kwenye hali tarajiwa",
    "Skip links": "Viungo vya haraka",
    "weight": "uzito",
    # map layers
    "OpenStreetMap (online)": "OpenStreetMap (mtandaoni)",
    "Hillshade (offline)": "Kivuli cha milima (bila mtandao)",
    "Hillshade from the region DEM": "Kivuli cha milima kutoka DEM ya eneo",
    "Rainfall": "Mvua",
    "Watersheds": "Mabonde ya mito",
    "Water deficit": "Upungufu wa maji",
    "Recharge": "Ujazaji wa maji ardhini",
    "Runoff": "Mtiririko wa juu",
    # indicators
    "Annual rainfall": "Mvua ya mwaka",
    "Water deficit (PET - AET)": "Upungufu wa maji (PET - AET)",
    "Surface runoff": "Mtiririko wa juu ya ardhi",
    "Recharge (soil surplus)": "Ujazaji wa maji ardhini (ziada ya udongo)",
    "Water-stress index (AET/PET)": "Fahirisi ya msongo wa maji (AET/PET)",
    "Share of cropland": "Sehemu ya mashamba ya mazao",
    "What it means:": "Maana yake:",
    # profile
    "Monthly water balance": "Mizania ya maji kwa mwezi",
    "Year by year": "Mwaka kwa mwaka",
    "Year": "Mwaka",
    "vs. mean": "dhidi ya wastani",
    "dry year (below the {p}th percentile)": "mwaka mkavu (chini ya asilimia ya {p})",
    "Annual totals": "Jumla za mwaka",
    "Crop PET": "PET ya mazao",
    "Actual ET": "ET halisi",
    "Deficit": "Upungufu",
    "population": "idadi ya watu",
    "households": "kaya",
    "Water-stress index": "Fahirisi ya msongo wa maji",
    "months in deficit": "miezi ya upungufu",
    "none": "hakuna",
    "No project sites recorded here.": "Hakuna maeneo ya miradi yaliyorekodiwa hapa.",
    "% of area": "% ya eneo",
    "Jan": "Jan",
    "Feb": "Feb",
    "Mar": "Mac",
    "Apr": "Apr",
    "May": "Mei",
    "Jun": "Jun",
    "Jul": "Jul",
    "Aug": "Ago",
    "Sep": "Sep",
    "Oct": "Okt",
    "Nov": "Nov",
    "Dec": "Des",
    "Annual": "Mwaka",
    # suitability and crops in the profile
    "Suitability": "Ufaafu",
    "Suitability for interventions": "Ufaafu kwa afua",
    "Crops: best planting month": "Mazao: mwezi bora wa kupanda",
    "No suitability results yet.": "Bado hakuna matokeo ya ufaafu.",
    "No crop results (needs monthly Tmin and Tmax).": (
        "Hakuna matokeo ya mazao (yanahitaji Tmin na Tmax za kila mwezi)."
    ),
    "Intervention": "Afua",
    "Score": "Alama",
    "S1 / S2 / S3 / N": "S1 / S2 / S3 / N",
    "Limited by": "Kinachozuia",
    "Crop": "Zao",
    "Plant in": "Panda mwezi",
    "all year": "mwaka mzima",
    "Slope": "Mteremko",
    "Elevation": "Mwinuko",
    "Soil group": "Kundi la udongo",
    "Soil water capacity": "Uwezo wa udongo kushika maji",
    "Distance to roads": "Umbali hadi barabara",
    "Distance to existing sites": "Umbali hadi maeneo yaliyopo",
    "Constraints": "Vizuizi",
    "Maize": "Mahindi",
    "Common beans": "Maharagwe",
    "Sorghum": "Mtama",
    "Cassava": "Muhogo",
    "Finger millet": "Ulezi",
    "Arabica coffee": "Kahawa arabika",
    "Tea": "Chai",
    # designer's workbench
    "Candidate sites": "Maeneo tarajiwa",
    "Choose a saved shortlist first.": "Kwanza chagua orodha fupi iliyohifadhiwa.",
    "Clear": "Safisha",
    "Community": "Jamii",
    "Community deficit": "Upungufu wa jamii",
    "Community ranking": "Jamii kwa mpangilio wa ubora",
    "Community runoff": "Mtiririko wa juu wa jamii",
    "Criterion": "Kigezo",
    "Criterion weights": "Uzito wa vigezo",
    "Delete": "Futa",
    "Deleted.": "Imefutwa.",
    "Design interventions": "Buni afua",
    "Give at least one criterion a weight.": "Weka uzito kwa angalau kigezo kimoja.",
    "Max. per community": "Upeo kwa kila jamii",
    "Membership": "Kiwango cha ufaafu",
    "Min. distance to existing sites (m)": "Umbali wa chini hadi maeneo yaliyopo (m)",
    "Min. spacing (m)": "Nafasi ya chini kati ya maeneo (m)",
    "Nearest existing site": "Eneo lililopo lililo karibu zaidi",
    "No candidate sites to save.": "Hakuna maeneo tarajiwa ya kuhifadhi.",
    "No candidate sites yet.": "Bado hakuna maeneo tarajiwa.",
    "Open": "Fungua",
    "Pick sites by clicking the map": "Chagua maeneo kwa kubofya ramani",
    "Remove": "Ondoa",
    "Rename": "Badilisha jina",
    "Save as new": "Hifadhi kama mpya",
    "Saved shortlists": "Orodha fupi zilizohifadhiwa",
    "Shortlist name": "Jina la orodha fupi",
    "Shortlists": "Orodha fupi",
    "Sites": "Maeneo",
    "Suggest sites": "Pendekeza maeneo",
    "Suitability needs results: run `landwater process` on this region.": (
        "Ufaafu unahitaji matokeo: endesha `landwater process` kwa eneo hili."
    ),
    "That shortlist no longer exists.": "Orodha fupi hiyo haipo tena.",
    "Update with candidates": "Sasisha kwa maeneo tarajiwa",
    "Value": "Thamani",
    "Watershed": "Bonde la mto",
    "Weight": "Uzito",
    "Your name": "Jina lako",
    "note": "maelezo",
    "Opened": "Imefunguliwa:",
    "Saved": "Imehifadhiwa:",
    "sites suggested": "maeneo yamependekezwa",
    "Suitability (designer weights)": "Ufaafu (uzito wa mbunifu)",
    "#": "#",
    "S1+S2 ha": "S1+S2 ha",
    "Area of interest": "Eneo lengwa",
    "Only inside the area of interest": "Ndani ya eneo lengwa tu",
    "Draw a polygon or rectangle with the tools on the map, or upload one:": (
        "Chora poligoni au mstatili kwa zana za ramani, au pakia moja:"
    ),
    "GeoJSON, GeoPackage, KML or zipped shapefile (max {mb} MB)": (
        "GeoJSON, GeoPackage, KML au shapefile iliyobanwa kwa zip (upeo {mb} MB)"
    ),
    "invalid polygons repaired": "poligoni batili zimerekebishwa",
    "Clear the area": "Futa eneo",
    "{n} sites suggested, best first.": "Maeneo {n} yamependekezwa, bora kwanza.",
    "{m:,.0f} m apart": "umbali wa m {m:,.0f} kati yao",
    "at most {n} per community": "yasiyozidi {n} kwa kila jamii",
    "{m:,.0f} m from existing sites": "m {m:,.0f} kutoka maeneo yaliyopo",
    "inside the area of interest": "ndani ya eneo lengwa",
    "{found} of {asked} sites suggested: no other suitable land is left {limits}. "
    "Lower the spacing, relax the limits or ask for fewer sites.": (
        "Maeneo {found} kati ya {asked} yamependekezwa: hakuna ardhi nyingine inayofaa "
        "iliyobaki {limits}. Punguza nafasi kati ya maeneo, legeza masharti au omba "
        "maeneo machache."
    ),
    "{listed} of {found} suggested sites listed: the list holds at most {max} sites. "
    "Remove some sites first.": (
        "Maeneo {listed} kati ya {found} yaliyopendekezwa yameorodheshwa: orodha inabeba "
        "maeneo {max} tu. Kwanza ondoa baadhi ya maeneo."
    ),
    "Area cleared.": "Eneo limefutwa.",
    "polygon(s)": "poligoni",
    "vertices": "vipeo",
    "Agroforestry per community (ha)": "Kilimo mseto cha miti kwa kila jamii (ha)",
    "All communities": "Jamii zote",
    "Choose a saved scenario first.": "Kwanza chagua hali tarajiwa iliyohifadhiwa.",
    "Convert land use": "Badilisha matumizi ya ardhi",
    "Farm ponds per community": "Mabwawa ya shambani kwa kila jamii",
    "Harvested m³": "Yaliyovunwa m³",
    "Pond volume (m³)": "Ujazo wa bwawa (m³)",
    "Rainfall change (%)": "Mabadiliko ya mvua (%)",
    "Future climate": "Hali ya hewa ya baadaye",
    "Printable brief with this future climate": (
        "Muhtasari wa kuchapisha pamoja na hali hii ya hewa ya baadaye"
    ),
    "Uniform change (below)": "Mabadiliko sawa (chini)",
    "Spread": "Mtawanyiko",
    "min-max over the GCMs": "chini-juu kati ya GCM",
    "10-90 % over the GCMs": "10-90 % kati ya GCM",
    "future median": "wastani wa kati wa baadaye",
    "GCM spread": "Mtawanyiko wa GCM",
    "Future": "Baadaye",
    "One GCM.": "GCM moja.",
    "Median of {n} GCMs ({gcms}); spread {spread}.": (
        "Wastani wa kati wa GCM {n} ({gcms}); mtawanyiko {spread}."
    ),
    "min-max": "chini-juu",
    "10-90 %": "10-90 %",
    "Best month": "Mwezi bora",
    "Potential score": "Alama ya uwezo",
    "GCMs agreeing": "GCM zinazokubaliana",
    "Suitable area (S1 + S2) under the future climate": (
        "Eneo linalofaa (S1 + S2) chini ya tabianchi ya baadaye"
    ),
    "Crops under the future climate (EcoCrop)": "Mazao chini ya tabianchi ya baadaye (EcoCrop)",
    (
        "Over the scenario's {n} communities; the water results move by the "
        "change of each cell's balance (delta method)."
    ): (
        "Katika jamii {n} za hali tarajiwa; matokeo ya maji yanabadilika kwa "
        "mabadiliko ya mizani ya kila seli (mbinu ya delta)."
    ),
    (
        "A future climate replaces the uniform rain and warming change: clear {rain} and "
        "{warming}, or the future climate."
    ): (
        "Hali ya hewa ya baadaye inachukua nafasi ya mabadiliko sawa ya mvua na joto: "
        "futa {rain} na {warming}, au hali ya hewa ya baadaye."
    ),
    "Run scenario": "Endesha hali tarajiwa",
    "Save scenario": "Hifadhi hali tarajiwa",
    "Saved scenarios": "Hali tarajiwa zilizohifadhiwa",
    "Scenario name": "Jina la hali tarajiwa",
    "Scenario: change": "Hali tarajiwa: mabadiliko",
    "Scenarios": "Hali tarajiwa",
    "Share converted (%)": "Sehemu iliyobadilishwa (%)",
    "Terraces per community (ha)": "Matuta kwa kila jamii (ha)",
    "Warming (°C)": "Ongezeko la joto (°C)",
    "from": "kutoka",
    "to": "kwenda",
    "Water harvested (used from ponds)": "Maji yaliyovunwa (yaliyotumika kutoka mabwawa)",
    "Pond fills per year": "Mara mabwawa yanajaa kwa mwaka",
    "Pond evaporation": "Uvukizi wa mabwawa",
    "Fills/yr": "Kujaa/mwaka",
    "Change in runoff": "Mabadiliko ya mtiririko wa juu",
    "Change in recharge": "Mabadiliko ya ujazaji wa maji ardhini",
    "Change in actual ET": "Mabadiliko ya ET halisi",
    "Months of deficit avoided": "Miezi ya upungufu iliyoepukwa",
    "Months of deficit added": "Miezi ya upungufu iliyoongezeka",
    "a whole number": "namba kamili",
    "a number": "namba",
    "enter {kind} from {low} to {high}": "weka {kind} kuanzia {low} hadi {high}",
    "enter {kind} above {low}": "weka {kind} iliyo juu ya {low}",
    "enter {kind} of {low} or more": "weka {kind} ya {low} au zaidi",
    "enter {kind}": "weka {kind}",
    "{label}: this field is required; {fix}.": "{label}: sehemu hii inahitajika; {fix}.",
    "{label}: not a number; {fix}.": "{label}: si namba; {fix}.",
    "{label}: {value} is not allowed; {fix}.": "{label}: {value} hairuhusiwi; {fix}.",
    "{missing}: required with {other}; enter both, or clear both.": (
        "{missing}: inahitajika pamoja na {other}; jaza zote mbili, au futa zote mbili."
    ),
    "Convert land use: choose the class to convert, the class it becomes and "
    "the share converted (%), or clear all three.": (
        "Badilisha matumizi ya ardhi: chagua aina ya kubadilisha, aina itakayokuwa na "
        "sehemu itakayobadilishwa (%), au futa zote tatu."
    ),
    "Carbon sequestered (IPCC tier 1)": "Kaboni iliyofyonzwa (IPCC daraja la 1)",
    "Households reached": "Kaya zilizofikiwa",
    "baseline": "hali ya msingi",
    "communities": "jamii",
    "Scenario: change in recharge": "Hali tarajiwa: mabadiliko ya ujazaji wa maji ardhini",
    "Scenario: change in runoff": "Hali tarajiwa: mabadiliko ya mtiririko wa juu",
    "Scenario: change in actual ET": "Hali tarajiwa: mabadiliko ya ET halisi",
    "Scenario: change in deficit": "Hali tarajiwa: mabadiliko ya upungufu",
    "Site moved.": "Eneo limehamishwa.",
    "Click the map where this site should go.": "Bofya ramani mahali eneo hili linapaswa kuwa.",
    "Move: then click the map": "Hamisha: kisha bofya ramani",
    "Pairwise comparisons (AHP)": "Ulinganisho wa jozi (AHP)",
    "How much more important is the row's criterion than the column's?": (
        "Kigezo cha mstari ni muhimu zaidi kwa kiasi gani kuliko kigezo cha safu?"
    ),
    "row vs column": "mstari / safu",
    "Excluded land use": "Matumizi ya ardhi yasiyoruhusiwa",
    "Slope limit": "Kikomo cha mteremko",
    "Protected areas": "Maeneo yaliyohifadhiwa",
    "Water buffer": "Ukanda wa kinga wa maji",
    "Consistency ratio": "Uwiano wa uthabiti",
    "the comparisons contradict each other; revise them.": "ulinganisho unapingana; urekebishe.",
    "consistent": "thabiti",
    "Crop suitability": "Ufaafu wa mazao",
    "plant in": "panda mwezi",
    "Choose an intervention to pick or suggest sites.": (
        "Chagua afua ili kuchagua au kupendekeza maeneo."
    ),
    "EcoCrop: the crop's own limits, no weights.": "EcoCrop: mipaka ya zao lenyewe, bila uzito.",
    "Map a scenario's change in": "Ramani ya mabadiliko ya hali tarajiwa katika",
    "Planner's map": "Ramani ya mpangaji",
    "Downloads": "Vipakuliwa",
    "this could not be updated": "haikuweza kusasishwa",
    "Earlier results were cleared; check the inputs and try again.": (
        "Matokeo ya awali yamefutwa; kagua data ulizoweka kisha ujaribu tena."
    ),
    "Scenario": "Hali tarajiwa",
    "Profile": "Wasifu",
    "Weights": "Uzito",
    "Search": "Tafuta",
    "Map": "Ramani",
    "Processing": "Uchakataji",
    "Download": "Pakua",
    "Download (Excel)": "Pakua (Excel)",
    "Only the selected unit": "Kipande kilichochaguliwa tu",
    "Select a unit on the map first.": "Kwanza chagua kipande kwenye ramani.",
    "Excel (all tables + README)": "Excel (majedwali yote + SOMA KWANZA)",
    "GeoPackage (all layers)": "GeoPackage (tabaka zote)",
    "Summary": "Muhtasari",
    "Monthly (long)": "Kwa mwezi (mfumo mrefu)",
    "Suitability (long)": "Ufaafu (mfumo mrefu)",
    "Crops (long)": "Mazao (mfumo mrefu)",
    "Printable brief": "Muhtasari wa kuchapisha",
    "This server is read-only: shortlists, scenarios, saved areas and monitoring records"
    " cannot be changed.": (
        "Seva hii ni ya kusoma tu: orodha fupi, hali tarajiwa, maeneo yaliyohifadhiwa na"
        " rekodi za ufuatiliaji haziwezi kubadilishwa."
    ),
    "Editing needs a login: open /login, then try again.": (
        "Kuhariri kunahitaji kuingia: fungua /login, kisha ujaribu tena."
    ),
    "Observed": "Uliopimwa",
    "Simulated": "Ulioigwa",
    "Period": "Kipindi",
    "Months": "Miezi",
    "Observed and simulated flow at the outlet": (
        "Mtiririko uliopimwa na ulioigwa kwenye mlango wa bonde"
    ),
    "Calibrated": "Imesawazishwa",
    "baseflow recession": "kupungua kwa mtiririko wa msingi",
    "calibration": "usawazishaji",
    "validation": "uthibitishaji",
    "months": "miezi",
    "Raster clip (COG)": "Kipande cha rasta (COG)",
    "Raster layer": "Tabaka la rasta",
    "All units": "Vipande vyote",
    "Only the drawn area": "Eneo lililochorwa tu",
    "Draw or upload an area on the design page first.": (
        "Kwanza chora au pakia eneo kwenye ukurasa wa ubunifu."
    ),
    "No unit of this level overlaps the drawn area.": (
        "Hakuna kipande cha ngazi hii kinachogusa eneo lililochorwa."
    ),
    "A raster clip needs the selected unit or a drawn area.": (
        "Kipande cha rasta kinahitaji kipande kilichochaguliwa au eneo lililochorwa."
    ),
    "This file is too large for the button: use the direct link.": (
        "Faili hili ni kubwa mno kwa kitufe: tumia kiungo cha moja kwa moja."
    ),
    "Direct link (streamed, for large files)": (
        "Kiungo cha moja kwa moja (kwa mtiririko, kwa mafaili makubwa)"
    ),
    # background processing
    "Computing results": "Inakokotoa matokeo",
    "Results are ready.": "Matokeo yako tayari.",
    "Reload the map": "Pakia upya ramani",
    "Computing results failed": "Ukokotoaji wa matokeo umeshindwa",
    "starting": "inaanza",
    "validating the region": "inathibitisha eneo",
    "aligning layers to the working grid": "inapanga tabaka kwenye gridi ya kazi",
    "computing the per-cell balance and water yield rasters": (
        "inakokotoa mizania na mavuno ya maji kwa kila seli"
    ),
    "water balance of the communities": "mizania ya maji ya jamii",
    "water balance of the watersheds": "mizania ya maji ya mabonde ya mito",
    "writing the results store": "inaandika matokeo",
    "results are up to date": "matokeo ni ya sasa",
    "another server process is computing the results": (
        "mchakato mwingine wa seva unakokotoa matokeo"
    ),
    # the layer list, its context layers and the notes of its "i" (dashboard.layer_info)
    "online": "mtandaoni",
    "Show or hide the layer list": "Onyesha au ficha orodha ya tabaka",
    "What the indicators mean": "Maana ya viashiria",
    "Context layers": "Tabaka za muktadha",
    "Roads": "Barabara",
    "How well the land meets the intervention's criteria (slope, soil, water, distance to "
    "roads...), weighted as its profile says; excluded land scores 0.": (
        "Jinsi ardhi inavyokidhi vigezo vya afua (mteremko, udongo, maji, umbali hadi "
        "barabara...), vikipewa uzito kama wasifu wake unavyoeleza; ardhi isiyoruhusiwa "
        "inapata 0."
    ),
    "{s1} or more is highly suitable (S1), {s2} to {s1} suitable (S2), {s3} to {s2} marginal "
    "(S3), below {s3} not suitable (N).": (
        "{s1} au zaidi inafaa sana (S1), {s2} hadi {s1} inafaa (S2), {s3} hadi {s2} inafaa "
        "kidogo (S3), chini ya {s3} haifai (N)."
    ),
    "The land cover of each cell (cropland, forest, grassland, towns...): it sets how much "
    "rain runs off and how much water the plants use.": (
        "Uoto na matumizi ya kila seli (mashamba ya mazao, msitu, nyasi, miji...): huamua kiasi "
        "cha mvua kinachotiririka juu ya ardhi na kiasi cha maji kinachotumiwa na mimea."
    ),
    "The colours are in the Land use legend of the side panel.": (
        "Rangi ziko kwenye ufunguo wa Matumizi ya ardhi katika paneli ya pembeni."
    ),
    "Rain of the average year, or of the month chosen with the Rainfall month slider (in "
    "mm/month).": (
        "Mvua ya mwaka wa wastani, au ya mwezi uliochaguliwa kwa kitelezi cha Mwezi wa mvua "
        f"(kwa {UNITS['mm/month']})."
    ),
    "Below about 500 mm/yr rain-fed crops are at risk in most years; water harvesting pays "
    "most where rain is short or comes in a few storms.": (
        f"Chini ya takriban 500 {UNITS['mm/yr']}, "
        "mazao ya kutegemea mvua yako hatarini katika miaka mingi; "
        "uvunaji wa maji una faida zaidi pale ambapo mvua ni haba au inanyesha kwa dhoruba "
        "chache."
    ),
    "Areas draining to one outlet (blue dashed outlines): water harvested upstream is water "
    "missing downstream.": (
        "Maeneo yanayotiririsha maji kwenye mlango mmoja wa bonde (mipaka ya buluu ya mistari "
        "iliyokatika): maji yanayovunwa juu ya mto ni maji yanayokosekana chini ya mto."
    ),
    "Click one to read its water balance.": "Bofya moja kusoma mizania yake ya maji.",
    "The units every summary is made for, coloured by the indicator chosen under Colour "
    "communities by.": (
        "Vipande ambavyo kila muhtasari hufanywa kwa ajili yake, vimepakwa rangi kwa kiashiria "
        "kilichochaguliwa chini ya Paka rangi jamii kwa."
    ),
    "Click one to read its water balance, land-use mix and suitability.": (
        "Bofya moja kusoma mizania yake ya maji, mchanganyiko wa matumizi ya ardhi na ufaafu wake."
    ),
    "Existing and planned sites, coloured by type (the colours are in the Type filter).": (
        "Maeneo yaliyopo na yaliyopangwa, yamepakwa rangi kwa aina (rangi ziko kwenye kichujio "
        "cha Aina)."
    ),
    "Click a site for its details; a cluster opens when clicked.": (
        "Bofya eneo kuona maelezo yake; kundi la maeneo hufunguka likibofywa."
    ),
    "The region's main roads.": "Barabara kuu za eneo.",
    "Distance to roads is a criterion of several interventions: machinery and produce travel "
    "by road.": (
        "Umbali hadi barabara ni kigezo cha afua kadhaa: mashine na mazao husafirishwa kwa "
        "barabara."
    ),
    "Reserves and parks (green, dotted outline).": "Hifadhi na mbuga (mpaka wa kijani wa vitone).",
    "Interventions are not proposed inside them unless a profile allows it.": (
        "Afua hazipendekezwi ndani yake isipokuwa wasifu uruhusu."
    ),
    "The suitability of the designer's intervention with the weights set on this page.": (
        "Ufaafu wa afua ya mbunifu kwa uzito uliowekwa kwenye ukurasa huu."
    ),
    "How well temperature and rain suit the crop in its best planting month (FAO EcoCrop "
    "limits).": (
        "Jinsi joto na mvua vinavyolifaa zao katika mwezi wake bora wa kupanda (mipaka ya FAO "
        "EcoCrop)."
    ),
    "1 is ideal; 0 means temperature or rain lies outside what the crop tolerates.": (
        "1 ni bora kabisa; 0 ina maana joto au mvua viko nje ya kiwango ambacho zao linastahimili."
    ),
    "Share of the community's area under cropland in the land-use map.": (
        "Sehemu ya eneo la jamii iliyo mashamba ya mazao kwenye ramani ya matumizi ya ardhi."
    ),
    "Farming communities (high shares) are where field water harvesting and soil conservation "
    "matter most.": (
        "Jamii za wakulima (sehemu kubwa) ndipo uvunaji wa maji mashambani na uhifadhi wa udongo "
        "ni muhimu zaidi."
    ),
    # ranking robustness (dashboard/robustness_view.py)
    "Ranking robustness": "Uthabiti wa orodha",
    "The weights are drawn {n} times around yours (Dirichlet); a larger concentration keeps the "
    "draws closer to your weights.": (
        "Uzito huchaguliwa mara {n} kuzunguka uzito wako (Dirichlet); msongamano mkubwa zaidi "
        "huweka machaguo karibu zaidi na uzito wako."
    ),
    "Top N": "N za juu",
    "How many communities the programme can take": "Jamii ngapi mradi unaweza kuchukua",
    "Weight concentration": "Msongamano wa uzito",
    "Larger: weights vary less": "Kubwa zaidi: uzito hubadilika kidogo",
    "Download the ranking (CSV)": "Pakua orodha (CSV)",
    "Top-N probability": "Uwezekano wa kuwa N za juu",
    "Share of weight draws that rank the community in the top N": (
        "Sehemu ya machaguo ya uzito yanayoweka jamii katika N za juu"
    ),
    "Rank 5-95 %": "Nafasi 5-95 %",
    "The community's rank in 90 % of the weight draws; | the median": (
        "Nafasi ya jamii katika 90 % ya machaguo ya uzito; | wastani wa kati"
    ),
    "{k} communities are in the top {n} in at least {share} of {draws} weight draws "
    "(concentration {c}).": (
        "Jamii {k} ziko katika {n} za juu katika angalau {share} ya machaguo {draws} ya uzito "
        "(msongamano {c})."
    ),
    "{name}: in the top {n} in {p} of the weight draws": (
        "{name}: katika {n} za juu katika {p} ya machaguo ya uzito"
    ),
    "Robust top N": "N za juu thabiti",
    # budget portfolio (dashboard/portfolio_view.py, processing.portfolio.MESSAGES)
    "Budget portfolio": "Mpango wa bajeti",
    "The communities a budget should fund for the greatest impact, solved exactly "
    "(mixed-integer programme, HiGHS).": (
        "Jamii ambazo bajeti inapaswa kufadhili kwa matokeo makubwa zaidi, zimetatuliwa kwa "
        "usahihi (programu ya namba kamili, HiGHS)."
    ),
    "Budget": "Bajeti",
    "Max. units per community": "Idadi ya juu ya vitengo kwa jamii",
    "Min. women/youth share (0-1)": "Sehemu ya chini ya wanawake/vijana (0-1)",
    "Least share of the cost in communities whose sites are led by women or young people": (
        "Sehemu ya chini ya gharama katika jamii ambazo maeneo yake yanaongozwa na wanawake "
        "au vijana"
    ),
    "Impact": "Matokeo",
    "Find portfolio": "Tafuta mpango",
    "Water harvested": "Maji yaliyovunwa",
    "Recharge gained": "Ujazo wa maji ardhini ulioongezeka",
    "Hectares S1+S2": "Hekta S1+S2",
    "Choose an intervention (not a crop) for a budget portfolio.": (
        "Chagua afua (si zao) kwa mpango wa bajeti."
    ),
    "{name}: {cost} {currency} a unit ({size}{unit}), {fixed} {currency} once per community "
    "given units.": (
        "{name}: {cost} {currency} kwa kitengo ({size}{unit}), {fixed} {currency} mara moja "
        "kwa kila jamii inayopewa vitengo."
    ),
    "site": "eneo",
    "m³ of storage": "m³ za hifadhi",
    "Cost": "Gharama",
    "Budget left": "Bajeti iliyobaki",
    "Units allocated": "Vitengo vilivyotolewa",
    "Women/youth-led share of the cost": "Sehemu ya gharama inayoongozwa na wanawake/vijana",
    "Optimality": "Ubora wa suluhisho",
    "within {gap} % of the optimum (time limit)": (
        "ndani ya {gap} % ya bora kabisa (kikomo cha muda)"
    ),
    "proven optimum": "bora kabisa iliyothibitishwa",
    "Efficient frontier": "Mpaka wa ufanisi",
    "Your budget": "Bajeti yako",
    "{name}: {n} community for {budget} {currency}": "{name}: jamii {n} kwa {budget} {currency}",
    "{name}: {n} communities for {budget} {currency}": "{name}: jamii {n} kwa {budget} {currency}",
    "Download the portfolio (CSV)": "Pakua mpango (CSV)",
    "{name}: {n} units, {cost} {currency}": "{name}: vitengo {n}, {cost} {currency}",
    "the budget must be a number above 0, got {budget}": (
        "bajeti lazima iwe namba zaidi ya 0, imepokelewa {budget}"
    ),
    "the minimum women/youth share must be between 0 and 1, got {value}": (
        "sehemu ya chini ya wanawake/vijana lazima iwe kati ya 0 na 1, imepokelewa {value}"
    ),
    "no allocation has any impact: choose another impact measure or intervention": (
        "hakuna mgao wenye matokeo: chagua kipimo kingine cha matokeo au afua nyingine"
    ),
    "the budget ({budget}) buys no unit that has an impact: the cheapest costs {cheapest}; "
    "raise the budget": (
        "bajeti ({budget}) hainunui kitengo chochote chenye matokeo: cha bei nafuu zaidi "
        "kinagharimu {cheapest}; ongeza bajeti"
    ),
    "no community whose project sites are led by women or young people gains from this "
    "intervention, so a minimum share of {share_pct} % cannot be met; set the share to 0": (
        "hakuna jamii ambayo maeneo yake yanaongozwa na wanawake au vijana inayonufaika na "
        "afua hii, kwa hiyo sehemu ya chini ya {share_pct} % haiwezi kufikiwa; weka sehemu "
        "kuwa 0"
    ),
    "the minimum women/youth share of {share_pct} % cannot be met within the budget "
    "({budget}); lower the share or raise the budget": (
        "sehemu ya chini ya wanawake/vijana ya {share_pct} % haiwezi kufikiwa ndani ya "
        "bajeti ({budget}); punguza sehemu au ongeza bajeti"
    ),
    "unknown intervention '{name}' (known: {known})": (
        "afua isiyojulikana '{name}' (zinazojulikana: {known})"
    ),
    "unknown impact '{name}': choose one of {known}": (
        "matokeo yasiyojulikana '{name}': chagua moja kati ya {known}"
    ),
    "the cap per community must be a whole number from 1 to {max}, got {value}": (
        "kikomo kwa kila jamii lazima kiwe namba kamili kutoka 1 hadi {max}, imepokelewa {value}"
    ),
    "recharge gained needs the designer's scenarios": (
        "ujazo ulioongezeka unahitaji matukio ya mbunifu"
    ),
    "[[interventions]] id = '{name}' in region.toml has no cost model: add `unit_cost` (cost "
    "per unit) and `unit` ('site', 'ha' or 'm3' of storage), optionally `unit_size` and "
    "`fixed_cost_per_community`": (
        "[[interventions]] id = '{name}' katika region.toml haina muundo wa gharama: ongeza "
        "`unit_cost` (gharama kwa kitengo) na `unit` ('site', 'ha' au 'm3' ya hifadhi), na "
        "ukitaka `unit_size` na `fixed_cost_per_community`"
    ),
    "the project sites have no `households`, `households_women_led` and "
    "`households_youth_led` columns, so a women/youth share cannot be applied: add them to "
    "the file of [layers.project_sites] in region.toml, or set the share to 0": (
        "maeneo ya mradi hayana safu `households`, `households_women_led` na "
        "`households_youth_led`, kwa hiyo sehemu ya wanawake/vijana haiwezi kutumika: "
        "ziongeze kwenye faili la [layers.project_sites] katika region.toml, au weka sehemu "
        "kuwa 0"
    ),
    "the communities layer has no `households` field: add it to the file of "
    "[layers.communities] in region.toml, or choose another impact": (
        "tabaka la jamii halina sehemu `households`: iongeze kwenye faili la "
        "[layers.communities] katika region.toml, au chagua matokeo mengine"
    ),
    "water harvested needs the water one site stores: add `storage_m3_per_site` to "
    "[[interventions]] id = '{name}' in region.toml, or choose another impact": (
        "maji yaliyovunwa yanahitaji maji ambayo eneo moja huhifadhi: ongeza "
        "`storage_m3_per_site` kwenye [[interventions]] id = '{name}' katika region.toml, au "
        "chagua matokeo mengine"
    ),
    "recharge gained comes from the designer's scenarios: add `scenario_lever` ('ponds', "
    "'terraces' or 'agroforestry') to [[interventions]] id = '{name}' in region.toml, or "
    "choose another impact": (
        "ujazo ulioongezeka unatoka kwenye matukio ya mbunifu: ongeza `scenario_lever` "
        "('ponds', 'terraces' au 'agroforestry') kwenye [[interventions]] id = '{name}' "
        "katika region.toml, au chagua matokeo mengine"
    ),
    # compare two states
    "A and B are both '{name}': choose two different states.": (
        "A na B zote ni '{name}': chagua hali mbili tofauti."
    ),
    "A is a {kind} and B a {other}: compare two months or two years.": (
        "A ni {kind} na B ni {other}: linganisha miezi miwili au miaka miwili."
    ),
    "January": "Januari",
    "February": "Februari",
    "March": "Machi",
    "April": "Aprili",
    "June": "Juni",
    "July": "Julai",
    "August": "Agosti",
    "September": "Septemba",
    "October": "Oktoba",
    "November": "Novemba",
    "December": "Desemba",
    "Baseline": "Hali ya msingi",
    "Baseline and saved scenarios": "Hali ya msingi na matukio yaliyohifadhiwa",
    "Change B - A": "Mabadiliko B - A",
    "Change B - A, totals over all units:": "Mabadiliko B - A, jumla ya vitengo vyote:",
    "Choose both A and B to compare.": "Chagua A na B ili kulinganisha.",
    "Compare": "Linganisha",
    "Compare: change B - A": "Ulinganisho: mabadiliko B - A",
    "Compare: state A": "Ulinganisho: hali A",
    "Compare: state B": "Ulinganisho: hali B",
    "Map of the comparison": "Ramani ya ulinganisho",
    "Month {value} does not exist: choose a month from 1 to 12.": (
        "Mwezi {value} haupo: chagua mwezi kuanzia 1 hadi 12."
    ),
    "Months in deficit": "Miezi yenye upungufu",
    "Potential ET": "ET tarajiwa",
    (
        "Saved scenario #{value} no longer exists (deleted from the team workspace): "
        "choose another one."
    ): (
        "Tukio lililohifadhiwa #{value} halipo tena (limefutwa kwenye eneo la kazi la "
        "timu): chagua jingine."
    ),
    "Scenarios are run per community: choose communities to compare scenarios.": (
        "Matukio huendeshwa kwa kila jamii: chagua jamii ili kulinganisha matukio."
    ),
    "State A": "Hali A",
    "State B": "Hali B",
    "The map colours communities: compare communities to see the change on it.": (
        "Ramani inapaka rangi jamii: linganisha jamii ili kuona mabadiliko juu yake."
    ),
    (
        "These results are a climatology (one mean year, no calendar years): compare two "
        "months or two scenarios instead."
    ): (
        "Matokeo haya ni hali ya hewa ya wastani (mwaka mmoja wa wastani, bila miaka ya "
        "kalenda): linganisha miezi miwili au matukio mawili badala yake."
    ),
    "Total": "Jumla",
    "Two months": "Miezi miwili",
    "Two years": "Miaka miwili",
    "Unit": "Kitengo",
    "Variable": "Kigezo",
    "Year {value} is not a whole year of the series: choose one from {low} to {high}.": (
        "Mwaka {value} si mwaka kamili wa mfululizo: chagua mmoja kuanzia {low} hadi {high}."
    ),
    "month": "mwezi",
    "units": "vitengo",
    "year": "mwaka",
    (
        "Compare the baseline with a saved scenario, two saved scenarios, two months or "
        "two years: the change B - A per community or watershed."
    ): (
        "Linganisha hali ya msingi na tukio lililohifadhiwa, matukio mawili "
        "yaliyohifadhiwa, miezi miwili au miaka miwili: mabadiliko B - A kwa kila jamii "
        "au bonde."
    ),
    # project sites (the demo's types and statuses), layer provenance, the unit search
    "No community or watershed '{id}' in this region; click one on the map or search.": (
        "Hakuna jamii wala bonde '{id}' katika eneo hili; bofya moja kwenye ramani au litafute."
    ),
    "water pan": "lambo",
    "sand dam": "bwawa la mchanga",
    "agroforestry plot": "shamba la kilimo mseto",
    "small irrigation": "umwagiliaji mdogo",
    "tree nursery": "kitalu cha miti",
    "spring protection": "ulinzi wa chemchemi",
    "planned": "imepangwa",
    "ongoing": "inaendelea",
    "completed": "imekamilika",
    "not functional": "haifanyi kazi",
    "unknown": "haijulikani",
    "Site id": "Kitambulisho cha eneo",
    "Name": "Jina",
    "Start year": "Mwaka wa kuanza",
    "Households": "Kaya",
    "Households women led": "Kaya zinazoongozwa na wanawake",
    "Households youth led": "Kaya zinazoongozwa na vijana",
    "Watersheds (delineated from the DEM with pysheds)": (
        "Mabonde (yamechorwa kutoka DEM kwa pysheds)"
    ),
    "Monthly rainfall climatology": "Wastani wa mvua kwa mwezi",
    "Monthly mean minimum temperature": "Wastani wa joto la chini kwa mwezi",
    "Monthly mean maximum temperature": "Wastani wa joto la juu kwa mwezi",
    "Soil units": "Aina za udongo",
    "Main roads": "Barabara kuu",
    "Forest reserve (hilltop)": "Hifadhi ya msitu (kilele)",
    "synthetic (landwater demo generator)": "bandia (jenereta ya onyesho ya landwater)",
    "Clear search": "Futa utafutaji",
    "Clear selection": "Futa uchaguzi",
    "No match": "Hakuna kinacholingana",
    "No community or watershed matches '{text}'.": (
        "Hakuna jamii wala bonde linalolingana na '{text}'."
    ),
    # the designer's map layers
    (
        f"A star on each community ranked in the top N (N is set under Ranking robustness) in "
        f"at least {ROBUST_SHARE:.0%} of {DEFAULT_DRAWS} draws of the criterion weights around "
        "yours; its hover gives the share of draws. Computed from the designer's suitability "
        "scores of the region's processed results."
    ): (
        f"Nyota kwenye kila jamii iliyo katika N za juu (N huwekwa chini ya Uthabiti wa orodha) "
        f"katika angalau asilimia {ROBUST_SHARE * 100:.0f} ya michoro {DEFAULT_DRAWS} ya uzito "
        f"wa vigezo karibu na yako; ukipitisha kipanya unaona sehemu ya michoro. Imekokotolewa "
        f"kutoka alama za ufaafu za mbunifu kwenye matokeo yaliyochakatwa ya eneo."
    ),
    "A star is a safe choice: the community stays among the best whatever the exact weights. A "
    "community high in the ranking without a star depends on the weights chosen.": (
        "Nyota ni chaguo salama: jamii inabaki kati ya bora vyovyote uzito kamili ulivyo. Jamii "
        "iliyo juu kwenye orodha bila nyota inategemea uzito uliochaguliwa."
    ),
    "The communities the budget funds, chosen for the most of the impact picked under Budget "
    "portfolio (water harvested, recharge gained, households reached or hectares S1+S2); each "
    "marker gives the units of the intervention funded there (sites, hectares or m³ of storage, "
    "as its cost says). Costs come from the intervention's cost in region.toml, impacts from "
    "the region's processed results.": (
        "Jamii ambazo bajeti inafadhili, zilizochaguliwa kupata athari kubwa zaidi "
        "iliyochaguliwa chini ya Mpango wa bajeti (maji yaliyovunwa, ujazaji ulioongezeka, kaya "
        "zilizofikiwa au hekta S1+S2); kila alama inaonyesha vipimo vya uingiliaji "
        "vilivyofadhiliwa hapo (maeneo, hekta au m³ ya hifadhi, kulingana na gharama yake). "
        "Gharama zinatoka kwenye gharama ya uingiliaji katika region.toml, athari kutoka kwenye "
        "matokeo yaliyochakatwa ya eneo."
    ),
    "More impact for the same budget is better; the frontier chart shows what a larger or "
    "smaller budget would buy.": (
        "Athari zaidi kwa bajeti ileile ni bora; chati ya mpaka inaonyesha kile ambacho bajeti "
        "kubwa au ndogo ingenunua."
    ),
    # uploaded and drawn areas (layers/upload.py, processing/area.py)
    "{name}: not a readable zip file": "{name}: si faili ya zip inayosomeka",
    "{name}: the zip must hold exactly one .shp (found {found}) with its .shx, .dbf and .prj": (
        "{name}: zip lazima iwe na .shp moja tu (zimepatikana {found}) pamoja na .shx, .dbf na "
        ".prj zake"
    ),
    "{name}: the shapefile has no .prj, so its CRS is unknown; add it": (
        "{name}: shapefile haina .prj, kwa hiyo CRS yake haijulikani; iongeze"
    ),
    "{name}: {size_mb} MB is over the {limit_mb} MB limit; simplify the area or upload only "
    "its outline": (
        "{name}: MB {size_mb} ni zaidi ya kikomo cha MB {limit_mb}; rahisisha eneo au pakia "
        "mpaka wake tu"
    ),
    "{name}: {size} bytes is over the {limit_mb} MB limit ({limit} bytes); simplify the area "
    "or upload only its outline": (
        "{name}: baiti {size} ni zaidi ya kikomo cha MB {limit_mb} (baiti {limit}); rahisisha "
        "eneo au pakia mpaka wake tu"
    ),
    "{name}: unsupported file type '{suffix}'; upload GeoJSON, GeoPackage, KML or a zipped "
    "shapefile": (
        "{name}: aina ya faili '{suffix}' haikubaliki; pakia GeoJSON, GeoPackage, KML au "
        "shapefile iliyobanwa kwa zip"
    ),
    "{name}: not a readable {kind}": "{name}: si faili ya {kind} inayosomeka",
    "{name}: the layer has no CRS; save it with one (e.g. EPSG:4326)": (
        "{name}: tabaka halina CRS; lihifadhi na CRS (k.m. EPSG:4326)"
    ),
    "{name}: no polygon found; draw or upload an area, not points or lines": (
        "{name}: hakuna poligoni iliyopatikana; chora au pakia eneo, si nukta wala mistari"
    ),
    "{name}: {vertices} vertices is over the {limit} limit; simplify the area (e.g. 10 m "
    "tolerance) and upload it again": (
        "{name}: vipeo {vertices} ni zaidi ya kikomo cha {limit}; rahisisha eneo (k.m. "
        "ustahimilivu wa 10 m) na ulipakie tena"
    ),
    "{name}: the area is empty after repair; check the polygon": (
        "{name}: eneo ni tupu baada ya kurekebishwa; kagua poligoni"
    ),
    "drawn area: nothing drawn yet; draw a polygon or a rectangle": (
        "eneo lililochorwa: hakuna kilichochorwa bado; chora poligoni au mstatili"
    ),
    "drawn area: not GeoJSON polygon features; draw a polygon or a rectangle": (
        "eneo lililochorwa: si poligoni za GeoJSON; chora poligoni au mstatili"
    ),
    "drawn area: coordinates outside longitude -180..180, latitude -90..90": (
        "eneo lililochorwa: viwianishi nje ya longitudo -180..180, latitudo -90..90"
    ),
    "the area lies outside the region; draw it over the region's map": (
        "eneo liko nje ya eneo la mradi; lichore juu ya ramani ya eneo"
    ),
    "drawn area": "eneo lililochorwa",
    "shapefile": "shapefile",
    "(none)": "(hakuna)",
    # a request of the page the server did not answer (assets/landwater.js)
    "The server did not answer ({status}); what the page shows may be out of date. Check the "
    "connection, then try again.": (
        "Seva haikujibu ({status}); kinachoonyeshwa na ukurasa huenda si cha sasa. Kagua "
        "muunganisho, kisha ujaribu tena."
    ),
    # the demo region's name and description (layers/build/demo)
    "Demo highlands (synthetic)": "Nyanda za juu za onyesho (bandia)",
    "A synthetic 40 x 30 km highland landscape near Machakos, Kenya. Not real data.": (
        "Mandhari bandia ya nyanda za juu ya km 40 x 30 karibu na Machakos, Kenya. Si data halisi."
    ),
    # catchment from a click (planner's map)
    "Catchment from a click": "Eneo la maji kwa kubofya",
    "Delineate: click a stream on the map": "Chora: bofya mkondo wa maji kwenye ramani",
    "Snapping radius (m)": "Kipenyo cha kusogeza (m)",
    (
        "The click moves to the cell draining the largest area within the radius (dashed "
        "circle); the outlet is the purple dot."
    ): (
        "Mbofyo unasogea hadi kisanduku kinachokusanya eneo kubwa zaidi ndani ya kipenyo "
        "(duara la vistari); mlango wa maji ni nukta ya zambarau."
    ),
    "Download the catchment (GeoJSON)": "Pakua eneo la maji (GeoJSON)",
    "Catchment": "Eneo la maji",
    "outlet {lat}, {lon}": "mlango wa maji {lat}, {lon}",
    "moved {moved} m (radius {radius} m)": "imesogezwa m {moved} (kipenyo m {radius})",
    "The region's elevation model is being routed (once per region): the first catchment"
    " may take a minute.": (
        "Mtiririko wa maji wa ramani ya mwinuko wa eneo unakokotolewa (mara moja kwa kila"
        " eneo): eneo la maji la kwanza linaweza kuchukua dakika moja."
    ),
    "Click on the map to delineate a catchment.": "Bofya ramani ili kuchora eneo la maji.",
    "Enter a snapping radius from 0 to {max_m} m.": (
        "Weka kipenyo cha kusogeza kati ya 0 na m {max_m}."
    ),
    ("Summaries need results: run `landwater process` on this region."): (
        "Muhtasari unahitaji matokeo: endesha `landwater process` kwenye eneo hili."
    ),
    catchment.RADIUS_ERROR: (
        "Kipenyo cha kusogeza lazima kiwe kati ya 0 na m {max_m} (kimepokelewa {radius})."
    ),
    catchment.OUTSIDE_ERROR: ("Nukta ({lon}, {lat}) iko nje ya eneo: bofya ndani ya ramani yake."),
    catchment.NO_DATA_ERROR: (
        "Nukta ({lon}, {lat}) haina data ya mwinuko: bofya mahali tabaka la mwinuko "
        "linapofunika ardhi."
    ),
    catchment.RIDGE_ERROR: (
        "Nukta ({lon}, {lat}) iko kwenye kilele au mteremko: eneo la maji kubwa zaidi "
        "ndani ya m {radius} ni ha {area} (chini ya ha {min_ha}). Bofya mkondo wa maji, "
        "au ongeza kipenyo."
    ),
    catchment.FAR_WARNING: (
        "Nukta imesogezwa m {moved_m} hadi mkondo wa maji (zaidi ya visanduku {cells}): "
        "hakikisha huu ndio mlango wa maji uliokusudia, au bofya karibu zaidi na mkondo."
    ),
    catchment.OTHER_STREAM_WARNING: (
        "Nukta imesogezwa hadi mkondo mwingine: mkondo uliobofya haupiti kwenye mlango wa"
        " maji, mkondo mkubwa zaidi ndani ya kipenyo unapita. Bofya mkondo unaokusudia, "
        "au punguza kipenyo."
    ),
    catchment.EDGE_NOTE: (
        "Eneo la maji linafika ukingo wa data ya mwinuko: ikiwa bonde linaendelea zaidi, "
        "eneo limekatwa."
    ),
    # saved areas of interest
    "Saved areas": "Maeneo yaliyohifadhiwa",
    "Area name": "Jina la eneo",
    "Save the area": "Hifadhi eneo",
    "Link to this area": "Kiungo cha eneo hili",
    "The name is longer than {max} characters; shorten it.": (
        "Jina lina herufi zaidi ya {max}; lifupishe."
    ),
    "The name holds an invisible or control character ({code}); type it again.": (
        "Jina lina herufi isiyoonekana au ya udhibiti ({code}); liandike tena."
    ),
    "Type a name for the area first.": "Andika kwanza jina la eneo.",
    "An area named “{name}” is already saved; choose another name.": (
        "Eneo lenye jina “{name}” limeshahifadhiwa; chagua jina jingine."
    ),
    "This area cannot be saved: {reason}.": "Eneo hili haliwezi kuhifadhiwa: {reason}.",
    (
        "“{name}” was changed by a teammate since the list was loaded; the list is refreshed, "
        "try again."
    ): (
        "“{name}” limebadilishwa na mwenzako tangu orodha ilipopakiwa; orodha imesasishwa, "
        "jaribu tena."
    ),
    (
        "The team workspace cannot be written: ask its administrator to make it writable (file, "
        "folder, disk space), then save again."
    ): (
        "Nafasi ya kazi ya timu haiwezi kuandikwa: mwombe msimamizi wake aruhusu kuandika "
        "(faili, folda, nafasi ya diski), kisha hifadhi tena."
    ),
    (
        "“{name}” is no longer in the team workspace: a teammate may have deleted it. The list "
        "is refreshed; save the area again to keep it."
    ): (
        "“{name}” halipo tena kwenye nafasi ya kazi ya timu: huenda mwenzako amelifuta. Orodha "
        "imesasishwa; hifadhi eneo tena ili kulitunza."
    ),
    (
        "The saved area of this link is no longer in the team workspace: a teammate may have "
        "deleted it. Choose another one from the list."
    ): (
        "Eneo lililohifadhiwa la kiungo hiki halipo tena kwenye nafasi ya kazi ya timu: huenda "
        "mwenzako amelifuta. Chagua jingine kwenye orodha."
    ),
    "Opened “{name}”: {ha}.": "Limefunguliwa “{name}”: {ha}.",
    "Draw, upload or delineate an area first, then save it.": (
        "Chora, pakia au bainisha eneo kwanza, kisha ulihifadhi."
    ),
    "Saved “{name}”: {ha}.": "Limehifadhiwa “{name}”: {ha}.",
    "Choose a saved area in the list first.": "Chagua kwanza eneo lililohifadhiwa kwenye orodha.",
    "Renamed to “{name}”.": "Limebadilishwa jina kuwa “{name}”.",
    "Deleted “{name}”.": "Limefutwa “{name}”.",
    # printable maps (dashboard/map_export.py)
    "The map shows no part of the region: move back to it.": (
        "Ramani haionyeshi sehemu yoyote ya eneo: rudi kwenye eneo."
    ),
    "Printable map": "Ramani ya kuchapisha",
    "The map as shown (extent, checked layers, month), with legend, scale bar,"
    " north arrow and sources.": (
        "Ramani kama inavyoonekana (eneo, tabaka zilizochaguliwa, mwezi),"
        " pamoja na ufunguo, kipimo, mshale wa kaskazini na vyanzo."
    ),
    "Export map": "Hamisha ramani",
    "Legend": "Ufunguo",
    "Sources": "Vyanzo",
    "Map made with landwater.": "Ramani imetengenezwa kwa landwater.",
    "Check at least one layer on the map first.": "Chagua kwanza angalau tabaka moja la ramani.",
    # programme monitoring (dashboard.programme_view)
    "Sites planned": "Maeneo yaliyopangwa",
    "Sites ongoing": "Maeneo yanayoendelea",
    "Sites completed": "Maeneo yaliyokamilika",
    "Sites abandoned": "Maeneo yaliyoachwa",
    "Programme monitoring": "Ufuatiliaji wa programu",
    "Import a CSV with one row per site and date; columns:": (
        "Leta CSV yenye safu moja kwa kila eneo na tarehe; safu wima:"
    ),
    "Import monitoring CSV": "Leta CSV ya ufuatiliaji",
    "Enter a record": "Weka rekodi",
    "Project site": "Eneo la mradi",
    "Date (YYYY-MM-DD)": "Tarehe (YYYY-MM-DD)",
    "abandoned": "imeachwa",
    "led by women": "zinazoongozwa na wanawake",
    "led by young people": "zinazoongozwa na vijana",
    "Save record": "Hifadhi rekodi",
    "Totals by": "Jumla kwa",
    "Intervention type": "Aina ya afua",
    "Download CSV": "Pakua CSV",
    "Download Excel": "Pakua Excel",
    "Water harvested by completed sites": "Maji yaliyovunwa na maeneo yaliyokamilika",
    "Recharge gained by completed sites": (
        "Ujazo wa maji ardhini ulioongezwa na maeneo yaliyokamilika"
    ),
    WATER_NOTE: (
        "Maji yaliyovunwa na ujazaji wa maji ya ardhini ni takwimu za modeli ya hali kwa afua"
        " ya kila eneo lililokamilika. Ujazaji ni hasi pale miti inapotumia maji mengi kuliko"
        " mazao inayoyachukua nafasi; maji yanayopenya kutoka kwenye bwawa huhesabiwa kama "
        "upotevu wa bwawa, si ujazaji; – pale aina ya eneo haina afua katika modeli."
    ),
    "Water from completed sites": "Maji kutoka maeneo yaliyokamilika",
    "All sites": "Maeneo yote",
    "Sites by status over time": "Maeneo kwa hali kwa muda",
    "{n} record(s) stored": "Rekodi {n} zimehifadhiwa",
    "No monitoring records yet.": "Bado hakuna rekodi za ufuatiliaji.",
    "The record was not stored: correct these fields and save again.": (
        "Rekodi haikuhifadhiwa: sahihisha sehemu hizi kisha uhifadhi tena."
    ),
    "{n} problem(s): nothing was imported. Correct the file and import it again.": (
        "Matatizo {n}: hakuna kilichoingizwa. Sahihisha faili kisha uiingize tena."
    ),
    "... and {n} more": "... na mengine {n}",
    # a site's latest monitored status (dashboard.profile)
    "{status} on {date}": "{status} tarehe {date}",
    # monitoring CSV problems (layers.monitoring)
    "row {row}, column '{column}': {message}; {fix}": (
        "mstari {row}, safu '{column}': {message}; {fix}"
    ),
    "column '{column}': {message}; {fix}": "safu '{column}': {message}; {fix}",
    "is missing": "haipo",
    "is not a monitoring column": "si safu ya ufuatiliaji",
    "{rows} rows": "mistari {rows}",
    "'{text}' is not a project site of this region": "'{text}' si eneo la mradi la mkoa huu",
    "'{text}' is not a date in the form YYYY-MM-DD (e.g. 2025-03-31)": (
        "'{text}' si tarehe ya muundo YYYY-MM-DD (mf. 2025-03-31)"
    ),
    "'{text}' lies outside {low} to today ({high})": (
        "'{text}' iko nje ya kipindi cha {low} hadi leo ({high})"
    ),
    "'{text}' is not a status": "'{text}' si hali",
    "'{text}' is not a whole number of households": "'{text}' si idadi kamili ya kaya",
    "{part} is more than the site's {households} households": (
        "{part} ni zaidi ya kaya {households} za eneo"
    ),
    "site {site} already has a record on {date} (row {row})": (
        "eneo {site} tayari lina rekodi tarehe {date} (mstari {row})"
    ),
    "cannot be read as a CSV ({reason})": "haiwezi kusomwa kama CSV ({reason})",
    "the file has no rows": "faili haina mistari",
    "add the column (columns: {columns})": "ongeza safu (safu: {columns})",
    "remove or rename it": "iondoe au ibadilishe jina",
    "import at most {max} per file": "ingiza mistari isiyozidi {max} kwa kila faili",
    "use a site_id of the project sites layer": "tumia site_id ya tabaka la maeneo ya mradi",
    "write the date as YYYY-MM-DD": "andika tarehe kama YYYY-MM-DD",
    "use one of {known}": "tumia mojawapo ya {known}",
    "write a whole number from 0 to {max}": "andika namba kamili kuanzia 0 hadi {max}",
    "correct {name} or households (it counts a part of them)": (
        "sahihisha {name} au households (inahesabu sehemu yake)"
    ),
    "keep one row per site and date": "acha mstari mmoja kwa kila eneo na tarehe",
    "save it as UTF-8 CSV": "ihifadhi kama CSV ya UTF-8",
    "add one row per site and date": "ongeza mstari mmoja kwa kila eneo na tarehe",
}


def _sw(x: float) -> str:
    """A number as Swahili writes it (decimal point)."""
    return f"{x:g}"


# glossary key -> label, what it means, what to use it for
GLOSSARY: dict[str, tuple[str, str, str]] = {
    "rain": (
        "Mvua",
        "Mvua yote inayonyesha kwenye eneo kwa mwaka, kama kina cha maji"
        " (mm 1 juu ya ha 1 ni m³ 10).",
        "Maji ambayo takwimu nyingine zote zinagawana; mengi yanarudi hewani, kwa hiyo"
        " si maji unayoweza kutumia.",
    ),
    "pet": (
        "PET ya mazao",
        "Maji ambayo mazao na mimea mingine ingetumia kama udongo usingekauka kamwe"
        " (uvukizaji tarajiwa kutoka udongo na mimea, PET).",
        "Linganisha na mvua: pale ilipo juu zaidi, mimea inakosa maji isipokuwa maji"
        " yahifadhiwe au yaletwe.",
    ),
    "aet": (
        "ET halisi",
        "Maji ambayo mimea inatumia kweli na kuyarudisha hewani (uvukizaji halisi kutoka"
        " udongo na mimea); hushuka chini ya PET ya mazao udongo unapokauka.",
        "Maji yanayochukuliwa na ardhi yenyewe: hayapatikani kwa mabwawa, visima wala vijito.",
    ),
    "runoff": (
        "Mtiririko wa juu",
        "Mvua inayotiririka juu ya ardhi wakati wa dhoruba badala ya kuzama ardhini"
        " (mtiririko wa haraka).",
        "Itumie kwa uvunaji wa maji: ni maji ambayo mabwawa ya shambani, malambo na"
        " mabwawa ya mchanga yanaweza kukinga.",
    ),
    "recharge": (
        "Ujazaji wa maji ardhini",
        "Maji yanayopenya chini ya eneo la mizizi udongo ukishajaa, na kujaza upya maji"
        " ya ardhini.",
        "Itumie kwa visima, visima virefu na chemchemi: ni kiasi kinachovijaza upya kila mwaka.",
    ),
    "baseflow": (
        "Mtiririko wa msingi",
        "Maji ya ardhini yanayorudi kwenye mito na kuifanya itiririke katika miezi ya kiangazi.",
        "Sehemu ya mtiririko wa mito wakati wa kiangazi.",
    ),
    "streamflow": (
        "Mtiririko wa mito",
        "Maji yanayotoka kwenye eneo kupitia mito yake: mtiririko wa juu pamoja na"
        " mtiririko wa msingi.",
        "Itumie kwa watumiaji wa chini ya mto (vituo vya kuchukua maji, skimu za"
        " umwagiliaji, mifugo): maji yanayovunwa au kutumiwa juu ya mto yanaupunguza.",
    ),
    "storage": (
        "Maji ya udongo",
        "Maji yaliyoshikiliwa katika eneo la mizizi mwishoni mwa mwezi.",
        "Yanaonyesha lini udongo umejaa na lini umekauka; yanabeba maji kutoka miezi ya"
        " mvua hadi miezi ya kiangazi.",
    ),
    "deficit": (
        "Upungufu",
        "Maji ambayo mazao yalihitaji lakini hayakupata: PET ya mazao kutoa ET halisi.",
        "Itumie kama hitaji la umwagiliaji: kiasi ambacho umwagiliaji au maji"
        " yaliyohifadhiwa yangepaswa kuongeza ili mazao yakue bila msongo wa maji.",
    ),
    "stress_index": (
        "Fahirisi ya msongo wa maji",
        "ET halisi ikigawanywa kwa PET ya mazao kwa mwaka mzima: 1 ina maana hakuna"
        " msongo wa maji, 0 ina maana mimea haikupata maji yoyote.",
        f"{_sw(STRESS_MILD)} au zaidi ni nzuri; {_sw(STRESS_SEVERE)} hadi {_sw(STRESS_MILD)}"
        " ni msongo wa wastani (mavuno ya kilimo cha kutegemea mvua hushuka); chini ya"
        f" {_sw(STRESS_SEVERE)} ni msongo mkali: mazao ya kutegemea mvua mara nyingi"
        " hufeli bila maji ya ziada.",
    ),
    "months_in_deficit_per_yr": (
        "Miezi ya upungufu",
        "Idadi ya miezi kwa mwaka ambapo mazao yanapata maji pungufu kwa zaidi ya"
        f" mm {DEFICIT_MONTH_MM:.0f} kuliko yanavyohitaji.",
        "Urefu wa kipindi cha ukame cha kuvukwa kwa maji yaliyohifadhiwa, umwagiliaji au"
        " mazao yanayostahimili ukame.",
    ),
    "water_yield_mm_yr": (
        "Mavuno ya maji (Budyko, ukaguzi wa InVEST)",
        "Mvua kutoa maji yanayotumiwa na mimea kwa mwaka mzima, kwa mbinu ya Budyko ya"
        " modeli ya InVEST ya mavuno ya maji ya mwaka; haihifadhi maji ya udongo kati ya"
        " miezi, kwa hiyo kwa kawaida iko juu kuliko mtiririko wa mito.",
        "Ukaguzi wa mavuno ya mwaka unaolingana na InVEST; si takwimu ya kupangia:"
        " tumia mtiririko wa juu, ujazaji wa maji ardhini na mtiririko wa mito.",
    ),
}
