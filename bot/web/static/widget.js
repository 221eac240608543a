// Engagement-Lotse chat widget for any website: one <script> tag adds a button that opens
// the chat in an iframe. The chat runs on its own origin, so the site needs no CORS and
// sees nothing of the conversation. Options on the script tag:
//   data-start="i-sport"   start like a poster link (chat?start=…)
"use strict";

(function () {
  var script = document.currentScript;
  if (!script || window.lotseChatWidget) return;
  window.lotseChatWidget = true;
  var TEXTS = __TEXTS__;
  var chatUrl = script.src.replace(/\/widget\.js(\?.*)?$/, "");
  var start = script.getAttribute("data-start") || "";
  var frameId = "lotse-chat-frame";
  var frame = null;

  var button = document.createElement("button");
  button.type = "button";
  button.textContent = TEXTS.open;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", frameId);
  style(button, {
    position: "fixed", right: "16px", bottom: "16px", zIndex: "2147483000",
    font: "600 16px/1.3 system-ui, sans-serif", color: "#ffffff", background: "#0b4f8a",
    border: "2px solid #ffffff", borderRadius: "24px", padding: "12px 18px",
    boxShadow: "0 2px 8px rgba(0,0,0,0.35)", cursor: "pointer", maxWidth: "calc(100vw - 32px)",
  });

  function style(element, values) {
    for (var key in values) element.style[key] = values[key];
  }

  function makeFrame() {
    var address = chatUrl + "?embed=1" + (start ? "&start=" + encodeURIComponent(start) : "");
    var element = document.createElement("iframe");
    element.id = frameId;
    element.src = address;
    element.title = TEXTS.title;
    element.setAttribute("allow", "geolocation");
    style(element, {
      position: "fixed", right: "16px", bottom: "76px", zIndex: "2147483000",
      width: "min(400px, calc(100vw - 32px))", height: "min(620px, calc(100vh - 100px))",
      border: "1px solid #595959", borderRadius: "12px", background: "#ffffff",
      boxShadow: "0 4px 16px rgba(0,0,0,0.3)",
    });
    document.body.appendChild(element);
    return element;
  }

  function toggle() {
    var opening = !frame || frame.hidden;
    if (!frame) frame = makeFrame();
    frame.hidden = !opening;
    button.textContent = opening ? TEXTS.close : TEXTS.open;
    button.setAttribute("aria-expanded", opening ? "true" : "false");
    if (opening) frame.focus();
  }

  button.addEventListener("click", toggle);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && frame && !frame.hidden) {
      toggle();
      button.focus();
    }
  });

  function mount() {
    document.body.appendChild(button);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
