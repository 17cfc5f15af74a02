// Loaded right after the CDN's office.js by both pane pages (taskpane.html, commands.html): when the CDN is
// unreachable (closed provincial network) it loads the copy shipped with the add-in instead. A file rather than
// an inline script, so the pages need no CSP hash; plain ES5 so every Office browser runs it.
/* global window, document */
(function () {
  if (window.Office) return;
  // Office.js finds its own folder from the first script named office.js: drop the failed CDN tag.
  var cdn = document.querySelector('script[src*="appsforoffice.microsoft.com"]');
  if (cdn) cdn.parentNode.removeChild(cdn);
  // document.write from a parser-blocking script inserts the tag before the next one, so the pane's own
  // script still finds Office defined.
  document.write('<script src="office/office.js"></script>');
})();
