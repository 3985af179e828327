/* Budget simulation charts (ECharts). A run: baseline vs reform by year, by city and for the most changed
   measures. A comparison: scenario A vs B by year, by city and by measure. Data comes from the page
   (json_script, amounts in integer fen); axis labels and tooltips are in 万元 / 亿元. Years in which the
   population has no events are shaded and labelled (their low spending is the data's end, not the policy's).
   A run's report may arrive later through HTMX (progress polling): charts are drawn on load and after swaps. */
(function () {
  "use strict";
  var yuan = function (fen) { return fen / 100; };
  var words = { wan: "", yi: "", quiet: "" };  // the page's translated words (data.text) replace these
  var wan = function (v) {
    if (Math.abs(v) >= 1e8) { return (v / 1e8).toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " " + words.yi; }
    return (v / 1e4).toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " " + words.wan;
  };
  var tooltip = {
    trigger: "axis",
    axisPointer: { type: "shadow" },
    formatter: function (items) {
      return items[0].axisValueLabel + items.map(function (p) { return "<br>" + p.marker + p.seriesName + ": " + wan(p.value); }).join("");
    }
  };

  function draw(holder, option) {
    if (!holder || holder.getAttribute("data-chart-drawn")) { return; }
    holder.setAttribute("data-chart-drawn", "1");
    var chart = echarts.init(holder, null, { renderer: "canvas" });
    chart.on("finished", function () { holder.setAttribute("data-chart-ready", "1"); });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function quietArea(quiet) {
    if (!quiet || !quiet.length) { return undefined; }
    return {
      silent: true,
      itemStyle: { color: "rgba(230, 160, 0, 0.15)" },
      label: { show: true, position: "insideTop", color: "#8a5a00", fontSize: 11, formatter: words.quiet },
      data: quiet.map(function (y) { return [{ xAxis: y }, { xAxis: y }]; })
    };
  }

  function byYear(holder, title, years, quiet, series) {
    draw(holder, {
      animation: false,
      title: { text: title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: tooltip,
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 70, right: 20, top: 40, bottom: 50 },
      xAxis: { type: "category", data: years, axisLabel: { formatter: function (y) { return quiet.indexOf(y) >= 0 ? y + " ⚠" : y; } } },
      yAxis: { type: "value", axisLabel: { formatter: wan } },
      series: series.map(function (s, i) {
        var item = { name: s.name, type: "bar", barMaxWidth: 40, data: s.data.map(yuan) };
        if (i === 0) { item.markArea = quietArea(quiet); }
        return item;
      })
    });
  }

  function bars(holder, title, categories, series, horizontal) {
    var cat = { type: "category", data: categories };
    var val = { type: "value", axisLabel: { formatter: wan } };
    if (horizontal) { cat.axisLabel = { width: 150, overflow: "truncate" }; }
    draw(holder, {
      animation: false,
      title: { text: title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: tooltip,
      legend: { bottom: 0, type: "scroll" },
      grid: horizontal ? { left: 160, right: 20, top: 40, bottom: 50 } : { left: 70, right: 20, top: 40, bottom: 50 },
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? cat : val,
      series: series.map(function (s) { return { name: s.name, type: "bar", barMaxWidth: 24, data: s.data.map(yuan) }; })
    });
  }

  function run(data) {
    var x = data.text;
    words = x;
    byYear(document.getElementById("sim-year-chart"), x.by_year, data.years, data.quiet_years || [],
      [{ name: x.baseline, data: data.baseline_by_year }, { name: x.reform, data: data.reform_by_year }]);
    bars(document.getElementById("sim-valley-chart"), x.by_valley, data.valleys || [],
      [{ name: x.baseline, data: data.baseline_by_valley || [] }, { name: x.reform, data: data.reform_by_valley || [] }], false);
    bars(document.getElementById("sim-measure-chart"), data.measures_changed ? x.top_changed : x.top_unchanged,
      data.measures, [{ name: x.baseline, data: data.baseline_by_measure }, { name: x.reform, data: data.reform_by_measure }], true);
  }

  function compare(data) {
    var x = data.text, a = "A: " + data.labels[0], b = "B: " + data.labels[1];
    words = x;
    byYear(document.getElementById("cmp-year-chart"), x.by_year, data.years, data.quiet_years || [],
      [{ name: a, data: data.a_by_year }, { name: b, data: data.b_by_year }]);
    bars(document.getElementById("cmp-valley-chart"), x.by_valley, data.valleys,
      [{ name: a, data: data.a_by_valley }, { name: b, data: data.b_by_valley }], false);
    bars(document.getElementById("cmp-measure-chart"), x.by_measure, data.measures,
      [{ name: a, data: data.a_by_measure }, { name: b, data: data.b_by_measure }], true);
  }

  function init() {
    if (typeof echarts === "undefined") { return; }
    var source = document.getElementById("sim-chart-data");
    if (source) { run(JSON.parse(source.textContent)); }
    var other = document.getElementById("sim-compare-data");
    if (other) { compare(JSON.parse(other.textContent)); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  document.body.addEventListener("htmx:afterSettle", init);
})();
