// Style functions for dash-leaflet, referenced from Python as {"variable": "landwater.<name>"}.
window.landwater = Object.assign({}, window.landwater, {
    // project sites: circle markers coloured by type (colours in dashboard/map_layout.py),
    // drawn in the sites' pane above the community polygons
    sitePoint: function (feature, latlng, context) {
        const h = (context && context.hideout) || {};
        const colour = (h.colours || {})[feature.properties.type] || "#555555";
        return L.circleMarker(latlng, {
            radius: 7, color: "#222", weight: 1, fillColor: colour, fillOpacity: 0.9,
            pane: h.pane || "overlayPane"
        });
    }
});

// Communities: a quantile choropleth restyled in place. `colours` = {limits, colours, nodata,
// selected, classes}: one character per feature, at its `i` property, "0".."9" the class and
// "-" no data (see dashboard/indicators.py). The page keeps one state object: the feature
// layers by id, the colours and the selected id; dash-leaflet rebuilds every feature when a
// GeoJSON prop changes, so new colours restyle the existing layers instead (setStyle).
window.landwater.communityState = {byId: {}, colours: null, selected: undefined};

window.landwater.choropleth = function (feature, context) {
    const s = window.landwater.communityState;
    const h = s.colours || (context && context.hideout) || {};
    const selected = s.selected !== undefined ? s.selected : h.selected;
    const p = feature.properties;
    const k = h.classes ? h.classes.charCodeAt(p.i) - 48 : -1;
    const colour = k >= 0 && h.colours && k < h.colours.length ? h.colours[k] : (h.nodata || "#d9d9d9");
    const isSelected = selected === p.id;
    return {fillColor: colour, fillOpacity: 0.65, color: isSelected ? "#000000" : "#3d3d3d", weight: isSelected ? 3.5 : 0.8};
};

window.landwater.communityFeature = function (feature, layer, context) {
    const s = window.landwater.communityState;
    s.byId[feature.properties.id] = layer;
    if (s.colours === null && context && context.hideout && context.hideout.classes !== undefined) {
        s.colours = context.hideout;
    }
    // the tooltip is HTML whose texts the server escaped (dashboard/map_assets.py)
    if (feature.properties.tooltip) { layer.bindTooltip(feature.properties.tooltip); }
    layer.once("add", () => window.landwater.watchPlaceNames(layer._map));
    layer.on("mouseover click", window.landwater.preloadPlotly);
};

// plotly.js (4.8 MB, ~1 s of script on a 2-core machine) loads when the pointer first reaches a
// community, before the click that opens its profile, through a hidden graph in its slot: the
// map is drawn without it, and a user who only looks at the map never downloads it
window.landwater.preloadPlotly = function () {
    const s = window.landwater.communityState;
    if (s.plotlyQueued) { return; }
    s.plotlyQueued = true;
    requestAnimationFrame(() => setTimeout(() => window.dash_clientside.set_props("plotly-preload", {
        children: {type: "Graph", namespace: "dash_core_components", props: {id: "plotly-preload-graph"}}
    }), 0));
};

window.landwater.paintCommunities = function (colours, selection) {
    const s = window.landwater.communityState;
    const restyle = new Set();
    if (colours && colours.classes !== undefined) {
        const old = s.colours;
        const same = old && old.classes === colours.classes && String(old.colours) === String(colours.colours);
        s.colours = colours;
        if (!same) { Object.values(s.byId).forEach(l => restyle.add(l)); }
    }
    const selected = selection && selection.level === "communities" ? selection.id : null;
    const previous = s.selected !== undefined ? s.selected : (s.colours || {}).selected;
    s.selected = selected;
    if (previous !== selected) {
        [previous, selected].forEach(id => { if (id && s.byId[id]) { restyle.add(s.byId[id]); } });
    }
    if (!s.colours || s.colours.classes === undefined) { return {painted: 0}; }
    restyle.forEach(l => l.setStyle(window.landwater.choropleth(l.feature)));
    const layer = selected ? s.byId[selected] : null;
    if (layer && layer._map) { layer.bringToFront(); }
    return {painted: restyle.size, selected: selected};
};


// The layer list folds behind its button (the Leaflet layers icon). Phones: folded on load, so
// the map is unobstructed; a tap on the button unfolds or folds it, a tap elsewhere folds it
// (class "layers-open", landwater.css). Desktops: open on load; the button folds it until it
// is clicked again (class "layers-shut", kept in `layersShut` while the page lives, also when
// dash-leaflet redraws the control). Delegated on the document, in the capture phase: the
// control is created after this script and stops clicks from bubbling out of it.
window.landwater.layersShut = false;
const PHONE = window.matchMedia("(max-width: 700px)");
document.addEventListener("click", function (event) {
    if (!event.target.closest) { return; }
    const toggle = event.target.closest(".leaflet-control-layers-toggle");
    if (toggle) {
        event.preventDefault();
        const control = toggle.closest(".leaflet-control-layers");
        if (PHONE.matches) {
            control.classList.toggle("layers-open");
        } else {
            window.landwater.layersShut = !window.landwater.layersShut;
            window.landwater.layerList(document);
        }
    } else if (!event.target.closest(".leaflet-control-layers")) {
        // a tap anywhere else folds the list again
        document.querySelectorAll(".layers-open").forEach((c) => c.classList.remove("layers-open"));
    }
}, true);
// Enter or Space on the focused button does what a click does
document.addEventListener("keydown", function (event) {
    const toggle = event.target.closest && event.target.closest(".leaflet-control-layers-toggle");
    if (toggle && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        toggle.click();
    }
}, true);

// The layer list's button gets its name and state; each layer's name gets its "i": a copy of
// the hidden disclosure the page carries for it (dashboard/layer_info.py), matched by the name
// shown. Run on every change of the page: Leaflet rebuilds the list when layers change.
window.landwater.layerList = function (root) {
    const templates = document.getElementById("layer-info-templates");
    root.querySelectorAll(".leaflet-control-layers").forEach((control) => {
        const shut = window.landwater.layersShut;
        if (control.classList.contains("layers-shut") !== shut) { control.classList.toggle("layers-shut", shut); }
        const toggle = control.querySelector(".leaflet-control-layers-toggle");
        if (toggle && templates) {
            const open = PHONE.matches ? control.classList.contains("layers-open") : !shut;
            const label = templates.dataset.toggleLabel;
            if (toggle.getAttribute("aria-label") !== label) { toggle.setAttribute("aria-label", label); }
            if (toggle.getAttribute("aria-expanded") !== String(open)) { toggle.setAttribute("aria-expanded", String(open)); }
        }
        if (!templates) { return; }
        // beside the label, not in it: the checkbox keeps the layer's name as its own
        control.querySelectorAll(".leaflet-control-layers-overlays > label").forEach((label) => {
            const next = label.nextElementSibling;
            if (next && next.classList.contains("layer-info")) { return; }
            const nameSpan = label.querySelector("span > span");
            const name = nameSpan ? nameSpan.textContent.trim() : "";
            const source = [...templates.children].find((t) => t.dataset.layer === name);
            const cell = document.createElement("span");
            cell.className = "layer-info";
            if (source && source.firstElementChild) { cell.appendChild(source.firstElementChild.cloneNode(true)); }
            label.after(cell);
        });
    });
};
PHONE.addEventListener("change", () => window.landwater.layerList(document));

// Community names: permanent labels from zoom 12, for the communities in view whose outline
// is wide enough on screen to hold the name, at most PLACE_NAMES_MAX at once (thousands of
// communities cost nothing at lower zooms). Shown while the communities are on the map.
// Each is a marker holding its text, centred by CSS: a permanent Leaflet tooltip measures its
// box as it is added, a forced layout per label (the demo's 108 names: 191 ms of the page's
// main thread, 6-11 ms as markers).
const PLACE_NAMES_ZOOM = 12;
const PLACE_NAMES_MAX = 300;
const PLACE_NAMES_MIN_PX = 60;
window.landwater.placeNames = function (map) {
    const s = window.landwater.communityState;
    if (!s.names) { s.names = L.layerGroup(); }
    s.names.clearLayers();
    const layers = Object.values(s.byId);
    const shown = layers.length && layers[0]._map === map;
    if (!shown || map.getZoom() < PLACE_NAMES_ZOOM) {
        if (map.hasLayer(s.names)) { map.removeLayer(s.names); }
        return 0;
    }
    const view = map.getBounds();
    let n = 0;
    for (const layer of layers) {
        if (n >= PLACE_NAMES_MAX) { break; }
        const bounds = layer._placeBounds || (layer._placeBounds = layer.getBounds());
        if (!view.intersects(bounds)) { continue; }
        const west = map.latLngToContainerPoint(bounds.getSouthWest());
        const east = map.latLngToContainerPoint(bounds.getNorthEast());
        if (Math.abs(east.x - west.x) < PLACE_NAMES_MIN_PX) { continue; }
        const text = document.createElement("span");
        text.className = "place-name";
        text.textContent = layer.feature.properties.name;  // as text, never as HTML
        s.names.addLayer(L.marker(bounds.getCenter(), {
            icon: L.divIcon({className: "place-name-anchor", html: text, iconSize: null}),
            interactive: false, keyboard: false, pane: "tooltipPane"}));
        n += 1;
    }
    if (!map.hasLayer(s.names)) { s.names.addTo(map); }
    return n;
};
window.landwater.watchPlaceNames = function (map) {
    if (!map || map._placeNamesWatched) { return; }
    map._placeNamesWatched = true;
    let queued = false;
    const update = () => {
        if (queued) { return; }
        queued = true;
        requestAnimationFrame(() => { queued = false; window.landwater.placeNames(map); });
    };
    map.on("zoomend moveend overlayadd overlayremove", update);
    update();
};

// Keyboard: the page's tab stops are its controls. Map features drawn as SVG paths (Leaflet
// makes a path with a tooltip one: hundreds of polygons) and the +/- buttons of number boxes
// (the arrow keys step the number) are taken out of the tab order; the unit search selects a
// community from the keyboard. Slider handles get the name of their label.
window.landwater.keyboardOrder = function (root) {
    root.querySelectorAll("path.leaflet-interactive:not([tabindex='-1']), .dash-input-stepper:not([tabindex='-1'])")
        .forEach((el) => el.setAttribute("tabindex", "-1"));
    root.querySelectorAll("[role=slider]:not([aria-label]), .dash-slider-thumb:not([aria-label])").forEach((el) => {
        const owner = el.closest("[data-label]") || el.closest("[id]");
        const label = owner && (owner.dataset.label ||
            (document.querySelector(`label[for="${CSS.escape(owner.id)}"]`) || {}).innerText);
        if (label) { el.setAttribute("aria-label", label.trim()); }
    });
};
new MutationObserver(() => { window.landwater.keyboardOrder(document); window.landwater.layerList(document); })
    .observe(document.documentElement, {childList: true, subtree: true});

// skip links: a link of class "skip-link" focuses the control named by its data-target; a
// target in the folded layer list unfolds the list first (a hidden checkbox takes no focus)
document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a.skip-link");
    if (!link) { return; }
    event.preventDefault();
    const target = document.querySelector(link.dataset.target);
    if (!target) { return; }
    const control = target.closest(".leaflet-control-layers");
    if (control) {
        if (PHONE.matches) {
            control.classList.add("layers-open");
        } else if (window.landwater.layersShut) {
            window.landwater.layersShut = false;
        }
        window.landwater.layerList(document);
    }
    target.focus();
});

// An open "i" (details.info) closes on Escape, giving the focus back to its button, and on a
// click outside it, so it never stays over the controls beneath it.
document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details.info[open]").forEach((info) => {
        info.open = false;
        const button = info.querySelector("summary");
        if (button && info.contains(document.activeElement)) { button.focus(); }
    });
});
document.addEventListener("click", function (event) {
    document.querySelectorAll("details.info[open]").forEach((info) => {
        if (!info.contains(event.target)) { info.open = false; }
    });
}, true);

// A request of the page that the server does not answer (HTTP 5xx, or no connection) shows
// the alert #request-error, whose data-message (in the page's language, dashboard/layout.py)
// names the status; the next answered request hides it. Dash's callbacks go through fetch.
(function () {
    const send = window.fetch.bind(window);
    function alertBox() { return document.getElementById("request-error"); }
    function show(status) {
        const box = alertBox();
        if (!box) { return; }
        box.textContent = (box.dataset.message || "{status}").replace("{status}", status);
        box.hidden = false;
    }
    function hide() { const box = alertBox(); if (box) { box.hidden = true; } }
    window.fetch = async function (input, init) {
        const url = typeof input === "string" ? input : (input && input.url) || "";
        if (!url.includes("/_dash-update-component")) { return send(input, init); }
        let response;
        try {
            response = await send(input, init);
        } catch (err) {
            show((err && err.message) || "network error");
            throw err;
        }
        if (response.status >= 500) { show("HTTP " + response.status); } else if (response.ok) { hide(); }
        return response;
    };
})();

// The extent ([[south, west], [north, east]]) of a Web Mercator map of `width` x `height` pixels
// centred on `center` ([lat, lon] or {lat, lng}) at `zoom`: what Leaflet's getBounds() gives.
// dash-leaflet sets the map's `bounds` prop only once the view moves away from its `center`
// and `zoom` props (a shared link's view), so the printable map reads this until then.
window.landwater.viewBounds = function (center, zoom, width, height) {
    const lat0 = Array.isArray(center) ? center[0] : center.lat;
    const lon0 = Array.isArray(center) ? center[1] : center.lng;
    const scale = 256 * Math.pow(2, zoom);
    const sin = Math.sin(lat0 * Math.PI / 180);
    const x = (lon0 + 180) / 360 * scale;
    const y = (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale;
    const lon = px => px / scale * 360 - 180;
    const lat = py => Math.atan(Math.sinh(Math.PI * (1 - 2 * py / scale))) * 180 / Math.PI;
    return [[lat(y + height / 2), lon(x - width / 2)], [lat(y - height / 2), lon(x + width / 2)]];
};
