// The served page's own behaviour, in a file: the Content-Security-Policy runs scripts from this
// server only (no inline script, no onclick attributes).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  for (const button of document.querySelectorAll("button[data-restart]")) {
    button.addEventListener("click", function () {
      window.location.href = window.location.pathname;  // "/": a fresh tab
    });
  }
});
