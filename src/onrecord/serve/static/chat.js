// The web chat: sends each question with the earlier ones to the JSON API and shows the
// answer with its citation cards. Text from askers and sources only ever goes in through
// textContent, never as HTML. The conversation lives in sessionStorage, so it survives
// following a citation to its transcript and coming back, and ends with the tab.
(function () {
  "use strict";

  var STATUS_LABELS = {
    no_answer: "Not on the record",
    deflected: "A topic this agent stays away from",
    refused: "Declined",
  };
  var MAX_HISTORY = 20;

  var root = document.getElementById("conversation");
  var log = document.getElementById("log");
  var form = document.getElementById("ask");
  var box = document.getElementById("question");
  var send = document.getElementById("send");
  var empty = document.getElementById("empty");
  var restart = document.getElementById("restart");
  var agent = root.dataset.agent;
  var embedded = root.dataset.embed === "true";
  var storageKey = "onrecord:chat:" + agent;
  var exchanges = load();

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(storageKey) || "[]");
      return Array.isArray(saved) ? saved : [];
    } catch (e) {
      return [];
    }
  }

  function save() {
    try {
      window.sessionStorage.setItem(storageKey, JSON.stringify(exchanges));
    } catch (e) {
      // Private modes may refuse storage: the conversation then lasts as long as the page.
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Only web links are followed; a source URL such as javascript:... is shown as text.
  function webLink(url) {
    if (typeof url !== "string") return null;
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function clock(seconds) {
    if (typeof seconds !== "number" || !isFinite(seconds)) return "";
    var whole = Math.max(0, Math.floor(seconds));
    var h = Math.floor(whole / 3600);
    var m = Math.floor((whole % 3600) / 60);
    var s = whole % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  function link(href, text, newTab) {
    var a = el("a", null, text);
    a.href = href;
    if (newTab) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    return a;
  }

  // The answer's text with its [n] markers as links to the matching citation card.
  function answerText(text, prefix, count) {
    var p = el("p", "text");
    var parts = String(text).split(/\[(\d+)\]/);
    for (var i = 0; i < parts.length; i++) {
      if (i % 2 === 0) {
        if (parts[i]) p.appendChild(document.createTextNode(parts[i]));
      } else if (Number(parts[i]) >= 1 && Number(parts[i]) <= count) {
        var ref = link("#" + prefix + parts[i], "[" + parts[i] + "]", false);
        ref.className = "ref";
        ref.setAttribute("aria-label", "citation " + parts[i]);
        p.appendChild(ref);
      } else {
        p.appendChild(document.createTextNode("[" + parts[i] + "]"));
      }
    }
    return p;
  }

  function citationCard(citation, id, number) {
    var card = el("li", "citation");
    card.id = id;
    card.appendChild(el("blockquote", null, "“" + citation.quote + "”"));
    var source = citation.source || {};
    var who = el("p", "who");
    who.appendChild(document.createTextNode("[" + number + "] "));
    who.appendChild(el("span", "speaker", citation.speaker));
    who.appendChild(document.createTextNode(" in "));
    who.appendChild(el("cite", null, source.title));
    var at = clock(citation.start);
    if (at) {
      who.appendChild(document.createTextNode(" at "));
      var time = el("time", null, at);
      time.setAttribute("datetime", "PT" + Math.floor(citation.start) + "S");
      who.appendChild(time);
    }
    if (typeof citation.chapter === "string" && citation.chapter) {
      who.appendChild(document.createTextNode(", "));
      who.appendChild(el("span", "chapter-name", citation.chapter));
    }
    card.appendChild(who);
    var open = el("p", "open");
    // Without a time, the citation's url is its turn in the transcript, linked below.
    var moment = at ? webLink(citation.url) : webLink(source.url);
    if (moment) open.appendChild(link(moment, at ? "Play from " + at : "Open the source", true));
    if (source.id && typeof citation.turn === "number") {
      var page = "/sources/" + encodeURIComponent(source.id) + "#turn-" + citation.turn;
      open.appendChild(link(page, "Read in the transcript", embedded));
    }
    card.appendChild(open);
    return card;
  }

  function reply(answer, index) {
    var status = String(answer.status);
    var node = el("div", "reply " + status.replace(/[^a-z_]/g, ""));
    if (STATUS_LABELS[status]) node.appendChild(el("span", "status", STATUS_LABELS[status]));
    var citations = Array.isArray(answer.citations) ? answer.citations : [];
    var prefix = "c" + index + "-";
    node.appendChild(answerText(answer.answer, prefix, citations.length));
    if (citations.length) {
      var list = el("ol", "citations");
      list.setAttribute("aria-label", "Sources of this answer");
      citations.forEach(function (citation, i) {
        list.appendChild(citationCard(citation, prefix + (i + 1), i + 1));
      });
      node.appendChild(list);
    }
    return node;
  }

  function failure(message) {
    var node = el("div", "reply error");
    node.setAttribute("role", "alert");
    node.appendChild(el("p", "text", message));
    return node;
  }

  function exchangeItem(question) {
    var item = el("li", "exchange");
    var q = el("p", "question", question);
    q.setAttribute("aria-label", "You asked: " + question);
    item.appendChild(q);
    return item;
  }

  function showExchange(exchange, index) {
    var item = exchangeItem(exchange.question);
    item.appendChild(reply(exchange.answer, index));
    log.appendChild(item);
  }

  function refresh() {
    empty.hidden = exchanges.length > 0;
    restart.hidden = exchanges.length === 0;
  }

  function scrollToEnd(node) {
    node.scrollIntoView({ block: "end" });
  }

  // An answer is read from its question down, however long it is.
  function scrollToStart(node) {
    node.scrollIntoView({ block: "start" });
  }

  async function errorMessage(response) {
    var fallback = "The question could not be answered (HTTP " + response.status + "). Please try again.";
    try {
      var body = await response.json();
      if (body && body.error && typeof body.error.message === "string") return body.error.message;
      if (body && typeof body.detail === "string") return body.detail;
    } catch (e) {
      // Not JSON: the generic message says enough.
    }
    return fallback;
  }

  async function ask(question) {
    var item = exchangeItem(question);
    var pending = el("p", "pending", "Looking through the record…");
    item.appendChild(pending);
    log.appendChild(item);
    empty.hidden = true;
    scrollToEnd(item);
    send.disabled = true;
    var history = exchanges.map(function (x) { return x.question; }).slice(-MAX_HISTORY);
    try {
      var response = await fetch("/api/agents/" + encodeURIComponent(agent) + "/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ question: question, history: history }),
      });
      if (!response.ok) {
        item.replaceChild(failure(await errorMessage(response)), pending);
        return;
      }
      var answer = await response.json();
      var index = exchanges.length;
      exchanges.push({ question: question, answer: answer });
      save();
      item.replaceChild(reply(answer, index), pending);
    } catch (e) {
      item.replaceChild(failure("The server could not be reached. Please try again."), pending);
    } finally {
      send.disabled = false;
      refresh();
      scrollToStart(item);
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = box.value.trim();
    if (!question || send.disabled) return;
    box.value = "";
    ask(question);
    box.focus();
  });

  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  restart.addEventListener("click", function () {
    exchanges = [];
    save();
    log.textContent = "";
    refresh();
    box.focus();
  });

  exchanges.forEach(showExchange);
  refresh();
  // A restored conversation opens at its end. The scroll box is moved directly: scrollIntoView
  // would also move Chromium's starting point for Tab, so a keyboard user's first Tab would
  // skip the skip link.
  if (exchanges.length) root.scrollTop = root.scrollHeight;
  if (!embedded) box.focus();
})();
