// The query page: load an example into the editor, run the query against the
// SPARQL endpoint and draw the results as a table. Plain JavaScript, no library,
// nothing fetched from anywhere but this server. Without JavaScript the form
// still works: it opens the raw results of /sparql.
"use strict";

(function () {
  const form = document.getElementById("query-form");
  if (!form) return;
  const editor = document.getElementById("query-text");
  const status = document.getElementById("status");
  const table = document.getElementById("results");
  const endpoint = form.dataset.endpoint;
  const base = form.dataset.base;
  const root = form.dataset.root;
  const MAX_ROWS = 2000;
  const examples = {};
  try {
    for (const example of JSON.parse(document.getElementById("example-queries").textContent)) {
      examples[example.name] = example;
    }
  } catch (error) {
    // No examples: the editor still works.
  }

  // Where a link to an IRI goes: this server for IRIs under the base (as endpoint.urls.Urls.resource does).
  function href(iri) {
    return iri.startsWith(base) ? root + iri.slice(base.length) : iri;
  }

  function element(name, attributes, text) {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function cell(term) {
    const td = element("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.appendChild(element("a", { href: href(term.value), title: term.value }, term.value));
    } else if (term.type === "bnode") {
      td.appendChild(element("span", { class: "bnode" }, "_:" + term.value));
    } else {
      const literal = element("span", { class: "literal" }, term.value);
      if (term["xml:lang"]) literal.setAttribute("lang", term["xml:lang"]);
      td.appendChild(literal);
      const tag = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? shortDatatype(term.datatype) : "";
      if (tag) td.appendChild(element("span", { class: "tag" }, " " + tag));
    }
    return td;
  }

  function shortDatatype(iri) {
    const xsd = "http://www.w3.org/2001/XMLSchema#";
    return iri.startsWith(xsd) ? "xsd:" + iri.slice(xsd.length) : iri;
  }

  function draw(variables, rows) {
    table.replaceChildren();
    const head = element("thead");
    const headRow = element("tr");
    for (const variable of variables) headRow.appendChild(element("th", { scope: "col" }, variable));
    head.appendChild(headRow);
    const body = element("tbody");
    for (const row of rows.slice(0, MAX_ROWS)) {
      const tr = element("tr");
      for (const variable of variables) tr.appendChild(cell(row[variable]));
      body.appendChild(tr);
    }
    table.append(head, body);
  }

  // N-Triples, one triple a line, into rows of s, p, o terms shaped like SPARQL JSON results.
  const TERM = /^(?:<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?)\s*/;
  function unescape(text) {
    return JSON.parse('"' + text.replace(/\\U([0-9A-Fa-f]{8})/g, (m, hex) =>
      String.fromCodePoint(parseInt(hex, 16)).split("").map((c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")).join("")) + '"');
  }
  function parseTriples(text) {
    const rows = [];
    for (let line of text.split("\n")) {
      line = line.trim();
      if (!line || line.startsWith("#")) continue;
      const terms = [];
      while (terms.length < 3) {
        const found = TERM.exec(line);
        if (!found) break;
        if (found[1] !== undefined) terms.push({ type: "uri", value: found[1] });
        else if (found[2] !== undefined) terms.push({ type: "bnode", value: found[2] });
        else terms.push({ type: "literal", value: unescape(found[3]), "xml:lang": found[4], datatype: found[5] });
        line = line.slice(found[0].length);
      }
      if (terms.length === 3) rows.push({ subject: terms[0], predicate: terms[1], object: terms[2] });
    }
    return rows;
  }

  async function run() {
    const started = performance.now();
    status.className = "status running";
    status.textContent = "実行中… Running…";
    table.replaceChildren();
    let response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, application/n-triples;q=0.9",
        },
        body: new URLSearchParams({ query: editor.value }),
      });
    } catch (error) {
      status.className = "status error";
      status.textContent = "接続できない Could not reach the endpoint: " + error;
      return;
    }
    const elapsed = Math.round(performance.now() - started);
    const text = await response.text();
    if (!response.ok) {
      status.className = "status error";
      status.textContent = response.status + " " + text.trim();
      return;
    }
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
    let count;
    if (type === "application/sparql-results+json") {
      const results = JSON.parse(text);
      if ("boolean" in results) {
        status.className = "status done";
        status.textContent = "ASK: " + results.boolean + " · " + elapsed + " ms";
        return;
      }
      count = results.results.bindings.length;
      draw(results.head.vars || [], results.results.bindings);
    } else {
      const rows = parseTriples(text);
      count = rows.length;
      draw(["subject", "predicate", "object"], rows);
    }
    let message = count + " 行 rows · " + elapsed + " ms";
    if (count > MAX_ROWS) message += " · 最初の " + MAX_ROWS + " 行を表示 showing the first " + MAX_ROWS;
    if (response.headers.get("X-Result-Truncated") === "true") {
      message += " · 上限 " + response.headers.get("X-Result-Limit") + " 行で打ち切り cut at the result limit";
    }
    status.className = "status done";
    status.textContent = message;
  }

  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.hasAttribute("data-raw")) return; // opens the raw results
    event.preventDefault();
    const url = new URL(window.location.href);
    url.search = new URLSearchParams({ query: editor.value }).toString();
    history.replaceState(null, "", url);
    run();
  });

  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit(document.getElementById("run"));
    }
  });

  for (const link of document.querySelectorAll("a.example[data-example]")) {
    link.addEventListener("click", (event) => {
      const example = examples[link.dataset.example];
      if (!example) return; // follow the link: the page loads it
      event.preventDefault();
      editor.value = example.text;
      for (const other of document.querySelectorAll("a.example[aria-current]")) other.removeAttribute("aria-current");
      link.setAttribute("aria-current", "true");
      const url = new URL(window.location.href);
      url.search = new URLSearchParams({ example: example.name }).toString();
      history.replaceState(null, "", url);
      status.className = "status";
      status.textContent = example.title + " — 「実行」で結果を表示 press Run to see the results";
      table.replaceChildren();
      editor.focus();
    });
  }
})();
