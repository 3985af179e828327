/* Bar chart of the per-award ceiling per valley; data comes from the page (json_script). */
(function () {
  "use strict";
  var holder = document.getElementById("compare-chart");
  var source = document.getElementById("compare-chart-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var values = data.values.map(function (v) { return v === null ? null : Number(v); });
  var chart = echarts.init(holder, null, { renderer: "canvas" });
  var money = function (v) {
    return v === null || v === undefined ? "—" :
      Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " " + data.yuan_word;
  };
  chart.on("finished", function () { holder.setAttribute("data-chart-ready", "1"); });
  chart.setOption({
    animation: false,
    title: { text: data.title, left: "center", textStyle: { fontSize: 14 } },
    tooltip: {
      trigger: "axis",
      formatter: function (items) {
        var i = items[0].dataIndex;
        var review = data.reviewed && data.reviewed[i] ? data.reviewed_word + ", " : "";
        return data.valleys[i] + "<br>" + review + money(values[i]) + (data.citations[i] ? "<br>" + data.citations[i] : "");
      }
    },
    grid: { left: 90, right: 20, top: 64, bottom: 30 },
    xAxis: { type: "category", data: data.valleys },
    yAxis: { type: "value", axisLabel: { formatter: function (v) { return (v / 10000) + " " + data.wan_word; } } },
    series: [{
      name: data.series_name, type: "bar", data: values, itemStyle: { color: "#b3261e" },
      label: { show: true, position: "top", formatter: function (p) {
        if (p.value === null || p.value === undefined) { return ""; }
        var review = data.reviewed && data.reviewed[p.dataIndex] ? data.reviewed_word + "\n" : "";
        return review + (p.value / 10000) + data.wan_word;
      } }
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
