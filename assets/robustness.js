// The ranking grid's 5-95 % rank interval (dashboard/robustness_view.py): a bar from the
// interval's lower to its upper end over all the ranks, a tick at the median, and the
// interval as text. The bar is hidden from screen readers, which read the text.
window.dashAgGridComponentFunctions = Object.assign({}, window.dashAgGridComponentFunctions, {
    RankInterval: function (props) {
        const v = props.value;
        if (!v || typeof v !== "object") { return ""; }
        const e = React.createElement;
        const pct = (x) => Math.max(0, Math.min(100, 100 * Number(x))) + "%";
        const bar = e("span", {className: "rank-bar", "aria-hidden": "true"},
            e("span", {className: "rank-bar-fill",
                style: {left: pct(v.lo), width: pct(Math.max(Number(v.hi) - Number(v.lo), 0.01))}}),
            e("span", {className: "rank-bar-median", style: {left: pct(v.median)}}));
        return e("span", {className: "rank-interval"}, bar, e("span", {className: "rank-text"}, String(v.text)));
    }
});
