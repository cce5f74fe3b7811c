// The onrecord widget: one script tag puts a chat with an agent on any site.
//   <script src="https://HOST/widget.js" data-agent="NAME"></script>
// Optional: data-label="Ask Dana" (the button's text; by default "Ask " and the agent's
// title), data-position="left".
// It adds a button that opens the agent's chat page in a frame served by HOST; the host
// page's styles cannot reach it (shadow DOM) and it reads nothing from the host page.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) return;
  var agent = script.getAttribute("data-agent");
  if (!agent) {
    window.console && console.error("onrecord widget: add data-agent=\"NAME\" to the script tag");
    return;
  }
  var origin = new URL(script.src, document.baseURI).origin;
  // The server that sends this script fills in each agent's title.
  var TITLES = {};
  var title = Object.prototype.hasOwnProperty.call(TITLES, agent) ? TITLES[agent] : agent;
  var label = script.getAttribute("data-label") || "Ask " + title;
  var side = script.getAttribute("data-position") === "left" ? "left" : "right";
  var chatUrl = origin + "/agents/" + encodeURIComponent(agent) + "?embed=1";

  var CSS = [
    ":host { all: initial; }",
    ".launcher { position: fixed; bottom: 16px; SIDE: 16px; z-index: 2147483000;",
    "  font: 600 15px/1.2 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;",
    "  color: #fff; background: #1f5fbf; border: 0; border-radius: 24px; padding: 12px 18px;",
    "  box-shadow: 0 4px 14px rgba(0,0,0,.25); cursor: pointer; max-width: calc(100vw - 32px); }",
    ".launcher:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }",
    ".panel { position: fixed; bottom: 72px; SIDE: 16px; z-index: 2147483000;",
    "  width: min(400px, calc(100vw - 32px)); height: min(600px, calc(100vh - 96px));",
    "  border: 1px solid #d8dde6; border-radius: 12px; overflow: hidden; background: #fff;",
    "  box-shadow: 0 8px 30px rgba(0,0,0,.3); }",
    ".panel[hidden] { display: none; }",
    "iframe { border: 0; width: 100%; height: 100%; display: block; }",
  ].join("\n").replace(/SIDE/g, side);

  var host = document.createElement("div");
  host.setAttribute("data-onrecord-widget", agent);
  var shadow = host.attachShadow({ mode: "open" });
  // A constructed style sheet, not a <style> element: a page whose Content-Security-Policy
  // allows only its own style files (onrecord's /widget page does) blocks inline elements.
  var sheet = null;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    shadow.adoptedStyleSheets = [sheet];
  } catch (e) {
    sheet = null;
  }

  var panelId = "onrecord-chat-" + Math.random().toString(36).slice(2);
  var panel = document.createElement("div");
  panel.className = "panel";
  panel.id = panelId;
  panel.hidden = true;

  var button = document.createElement("button");
  button.type = "button";
  button.className = "launcher";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", panelId);

  var frame = null;
  function toggle() {
    var opening = panel.hidden;
    if (opening && !frame) {
      // The chat loads on the first click, not with the host page.
      frame = document.createElement("iframe");
      frame.src = chatUrl;
      frame.title = label;
      panel.appendChild(frame);
    }
    panel.hidden = !opening;
    button.setAttribute("aria-expanded", String(opening));
    if (opening) frame.focus();
  }
  button.addEventListener("click", toggle);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      toggle();
      button.focus();
    }
  });

  if (sheet === null) {
    // Browsers without constructed style sheets take an element.
    var style = document.createElement("style");
    style.textContent = CSS;
    shadow.appendChild(style);
  }
  shadow.appendChild(panel);
  shadow.appendChild(button);
  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
