// Engagement-Lotse web chat: plain JavaScript, no build step, no external resources.
// Talks to chat/api/* (same origin) with the page's CSRF token; the conversation itself
// lives on the server, so a reload shows it again.
"use strict";

(function () {
  const config = JSON.parse(document.getElementById("chat-config").textContent);
  const T = config.texts;
  const csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  const log = document.getElementById("transcript");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const alertBox = document.getElementById("alert");
  const URL_PATTERN = /https?:\/\/[^\s<>"')\]]+/g;
  let lastId = 0;
  let busy = false;

  // --- talking to the server ---------------------------------------------------------

  function apiUrl(path, params) {
    const query = new URLSearchParams(params || {});
    if (config.embed) query.set("embed", "1");
    const text = query.toString();
    return "chat/api/" + path + (text ? "?" + text : "");
  }

  async function call(path, body, params) {
    const options = {
      method: body ? "POST" : "GET",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
    };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(apiUrl(path, params), options);
    } catch (error) {
      showAlert(T.unavailable);
      return null;
    }
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (!response.ok) {
      showAlert((data && data.error) || T.unavailable);
      return null;
    }
    showAlert("");
    return data;
  }

  function showAlert(text) {
    alertBox.textContent = text || "";
  }

  // --- showing lines -----------------------------------------------------------------

  // A text names the page's commands as '„📄 Meine Daten“' (never '/meine_daten'): here
  // each such name is a button that gives the command, where the text mentions it.
  function fillText(element, text) {
    const named = config.commands.filter(function (item) {
      return text.includes(item.ref);
    });
    let rest = text;
    while (named.length) {
      let next = null;
      let at = -1;
      for (const item of named) {
        const found = rest.indexOf(item.ref);
        if (found >= 0 && (at < 0 || found < at)) {
          next = item;
          at = found;
        }
      }
      if (!next) break;
      fillLinks(element, rest.slice(0, at));
      element.append(commandButton(next));
      rest = rest.slice(at + next.ref.length);
    }
    fillLinks(element, rest);
  }

  function commandButton(item) {
    const button = makeButton(item.label, function () {
      send({ command: item.command }, true);
    });
    button.className = "command";
    return button;
  }

  function fillLinks(element, text) {
    let last = 0;
    for (const match of text.matchAll(URL_PATTERN)) {
      element.append(text.slice(last, match.index));
      const link = document.createElement("a");
      link.href = match[0];
      link.textContent = match[0];
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      element.append(link);
      last = match.index + match[0].length;
    }
    element.append(text.slice(last));
  }

  function makeButton(label, action) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.addEventListener("click", function () {
      if (!busy) action();
    });
    return button;
  }

  function canLocate() {
    return "geolocation" in navigator && window.isSecureContext;
  }

  function render(line) {
    const item = document.createElement("div");
    item.className = "line " + line.from;
    if (line.id) item.dataset.id = String(line.id);
    const text = document.createElement("p");
    text.className = "text";
    const who = document.createElement("span");
    who.className = "sr-only";
    who.textContent = (line.from === "user" ? T.you : line.from === "note" ? T.note : T.bot) + ": ";
    text.append(who);
    if (line.from === "user") fillLinks(text, line.text); // what the person typed stays text
    else fillText(text, line.text);
    item.append(text);
    const locate = line.location && canLocate();
    if (line.buttons.length || locate) {
      const group = document.createElement("div");
      group.className = "answers";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", T.answers);
      if (locate) group.append(makeButton(T.share_location, shareLocation));
      for (const button of line.buttons) {
        group.append(makeButton(button.label, function () {
          send({ button: button.data }, true);
        }));
      }
      item.append(group);
    }
    if (line.attachment) item.append(download(line.attachment));
    return item;
  }

  function download(attachment) {
    const link = document.createElement("a");
    const blob = new Blob([attachment.text], { type: attachment.mime });
    link.href = URL.createObjectURL(blob);
    link.download = attachment.filename;
    link.className = "download";
    link.textContent = T.download.replace("{filename}", attachment.filename);
    return link;
  }

  function retireButtons() {
    for (const group of log.querySelectorAll(".answers")) group.remove();
  }

  function show(lines, focusQuestion) {
    const fresh = lines.filter(function (line) {
      return !(line.id && log.querySelector('[data-id="' + line.id + '"]'));
    });
    if (!fresh.length) return;
    const asks = fresh.some(function (line) {
      return line.from === "bot" && (line.buttons.length || line.location);
    });
    if (asks) retireButtons(); // answered questions keep their text, not their buttons
    let latest = null;
    let reply = null; // the first bot line after the person's newest line
    for (const line of fresh) {
      const item = render(line);
      log.append(item);
      if (line.id) lastId = Math.max(lastId, line.id);
      if (line.from === "user") reply = null;
      else {
        latest = item;
        if (!reply) reply = item;
      }
    }
    if (!latest) return;
    const text = latest.querySelector(".text");
    text.setAttribute("tabindex", "-1");
    if (focusQuestion) text.focus({ preventScroll: true }); // read out; Tab reaches its answers next
    // The reply is shown from its start: an answer to a question on the offer step must not
    // scroll away under the offers and the question that follow it. What comes after it
    // (the question's buttons) is one scroll or Tab away, above the input bar.
    reply.scrollIntoView({ block: "start" });
  }

  // The input bar sticks to the bottom of the screen: whatever is scrolled to or gets the
  // focus stays above it, however tall it is (a wrapped label, a large font, 320 px).
  function keepAboveComposer() {
    const height = form.getBoundingClientRect().height;
    document.documentElement.style.scrollPaddingBottom = Math.ceil(height + 12) + "px";
  }

  function setBusy(state) {
    busy = state;
    log.setAttribute("aria-busy", state ? "true" : "false");
    for (const button of document.querySelectorAll("button")) {
      if (state) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
    }
  }

  // --- what the person does ----------------------------------------------------------

  async function send(said, focusQuestion) {
    if (busy) return false;
    setBusy(true);
    const data = await call("send", said);
    setBusy(false);
    if (!data) return false;
    if (data.reset) {
      log.replaceChildren();
      lastId = 0;
    }
    show(data.lines, focusQuestion);
    return true;
  }

  function shareLocation() {
    navigator.geolocation.getCurrentPosition(
      function (position) {
        send({ location: { lat: position.coords.latitude, lon: position.coords.longitude } }, true);
      },
      function () {
        showAlert(T.location_failed);
      },
      { timeout: 15000, maximumAge: 600000 }
    );
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    if (!(await send({ text: text }, true))) input.value = text;
  });

  // The page's buttons for what Telegram offers as commands (/meine_daten, /loeschen …).
  document.querySelectorAll("button[data-command]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!busy) send({ command: button.dataset.command }, true);
    });
  });

  const telegram = document.getElementById("telegram");
  telegram.addEventListener("click", async function () {
    if (busy) return;
    const data = await call("telegram", {});
    if (!data || !data.link) return;
    const box = document.getElementById("telegram-link");
    const text = document.createElement("p");
    text.textContent = T.telegram_link + " ";
    const link = document.createElement("a");
    link.href = data.link;
    link.textContent = T.telegram_open;
    link.rel = "noopener noreferrer";
    link.target = "_blank";
    text.append(link);
    box.replaceChildren(text);
    box.hidden = false;
    link.focus();
  });

  // --- start, reload, and messages that arrive while the page is open ----------------

  function dropStartFromAddress() {
    const address = new URL(window.location.href);
    if (!address.searchParams.has("start")) return;
    address.searchParams.delete("start");
    window.history.replaceState(null, "", address.pathname + address.search + address.hash);
  }

  async function poll() {
    if (busy || document.visibilityState !== "visible") return;
    const data = await call("history", null, { after: String(lastId) });
    if (data && data.started) show(data.lines, false);
  }

  keepAboveComposer();
  window.addEventListener("resize", keepAboveComposer);

  async function begin() {
    const data = await call("history", null, {});
    if (!data) return;
    show(data.lines, false);
    if (config.start || !data.started) {
      // A poster's link (chat?start=…) works like Telegram's: a /start with its payload.
      await send({ start: config.start || "" }, false);
      dropStartFromAddress();
    }
    window.setInterval(poll, config.poll_seconds * 1000);
  }

  begin();
})();
