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
