/* The ledger's two charts (by measure, by month paid). The data comes from the page (json_script):
   amounts as exact strings of yuan, turned into numbers here only to draw the bars; the tooltips show
   the amounts as the server's formatter wrote them. */
(function () {
  "use strict";
  var source = document.getElementById("ledger-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#2e7d32", "#b3261e"];

  function draw(holderId, part, stacked) {
    var holder = document.getElementById(holderId);
    if (!holder || !part.labels.length) { return; }
    var chart = echarts.init(holder, null, { renderer: "canvas" });
    chart.on("finished", function () { holder.setAttribute("data-chart-ready", "1"); });
    var narrow = holder.clientWidth < 480;
    chart.setOption({
      animation: false,
      color: colours,
      legend: { show: part.series.length > 1, top: 0 },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: function (items) {
          var i = items[0].dataIndex;
          var lines = [part.labels[i]];
          if (part.citations[i]) { lines.push(part.citations[i]); }
          part.series.forEach(function (s) { lines.push(s.name + ": " + s.texts[i]); });
          return lines.map(function (l) { return echarts.format.encodeHTML(l); }).join("<br>");
        }
      },
      grid: { left: 8, right: 16, top: part.series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
      xAxis: {
        type: "category", data: part.labels,
        axisLabel: { interval: 0, rotate: narrow || part.labels.length > 4 ? 30 : 0, width: narrow ? 70 : 120, overflow: "truncate" }
      },
      yAxis: { type: "value", name: data.unit },
      series: part.series.map(function (s) {
        return { name: s.name, type: "bar", stack: stacked ? "total" : undefined, data: s.values.map(Number) };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  draw("ledger-chart-measures", data.measures, true);
  draw("ledger-chart-months", data.months, false);
})();
