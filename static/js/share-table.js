// The round's share-out: printing shows every khối (a closed <details> prints only its summary),
// and "In bảng phân bổ" prints at once. Without JavaScript the link opens every khối (?mo=1).
(function () {
  function openAll() {
    document.querySelectorAll(".share-table-card details").forEach(function (d) { d.open = true; });
  }
  window.addEventListener("beforeprint", openAll);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-print-shares]");
    if (!link) return;
    event.preventDefault();
    openAll();
    window.print();
  });
})();
