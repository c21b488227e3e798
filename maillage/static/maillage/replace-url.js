// The public form's thanks page is the answer to the form's own POST (one request fewer per
// answer, issue 14). It puts the thanks page's own address in the address bar, so that
// reloading reads that page instead of asking to send the form again.
(function () {
  var script = document.currentScript;
  var url = script && script.getAttribute("data-url");
  if (url && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", url);
  }
})();
