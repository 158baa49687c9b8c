// Style functions for dash-leaflet, referenced from Python as {"variable": "landwater.<name>"}.
window.landwater = Object.assign({}, window.landwater, {
    // project sites: circle markers coloured by type (colour-blind-safe Okabe-Ito palette)
    siteColours: {
        water_pan: "#0072B2", sand_dam: "#E69F00", agroforestry_plot: "#009E73",
        small_irrigation: "#56B4E9", tree_nursery: "#CC79A7", spring_protection: "#D55E00"
    },
    sitePoint: function (feature, latlng) {
        const colour = window.landwater.siteColours[feature.properties.type] || "#555555";
        return L.circleMarker(latlng, {radius: 7, color: "#222", weight: 1, fillColor: colour, fillOpacity: 0.9});
    }
});

// communities: quantile choropleth; hideout = {limits, colours, values: {id: value}, nodata, selected}
window.landwater.choropleth = function (feature, context) {
    const h = (context && context.hideout) || {};
    const id = feature.properties.id;
    const v = h.values ? h.values[id] : null;
    let colour = h.nodata || "#d9d9d9";
    if (v !== null && v !== undefined && h.limits && h.limits.length > 1) {
        let k = 0;
        for (let i = 1; i < h.limits.length - 1; i++) {
            if (v >= h.limits[i]) { k = i; }
        }
        colour = h.colours[Math.min(k, h.colours.length - 1)];
    }
    const selected = h.selected === id;
    return {fillColor: colour, fillOpacity: 0.65, color: selected ? "#000000" : "#3d3d3d", weight: selected ? 3.5 : 0.8};
};

