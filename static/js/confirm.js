// Ask before an irreversible post: <form data-confirm="Câu hỏi…">. Without JavaScript the
// server still asks where it matters (a confirmation page), so this only saves a round trip.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
