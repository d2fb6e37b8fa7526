// Draw each dashboard chart from the JSON its table was made from.
document.querySelectorAll(".chart-box canvas").forEach(function (canvas) {
  var key = canvas.id.replace("chart-", "");
  var spec = JSON.parse(document.getElementById(key).textContent);
  var options = spec.options || {};
  var horizontal = options.horizontal;
  new Chart(canvas, {
    type: spec.type,
    data: { labels: spec.labels, datasets: spec.series },
    options: {
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      scales: spec.type === "doughnut" ? {} : {
        x: { stacked: !!options.stacked, ticks: { autoSkip: !horizontal } },
        y: { stacked: !!options.stacked, ticks: { autoSkip: !!horizontal === false } },
      },
      plugins: { legend: { position: "bottom" } },
    },
  });
});
