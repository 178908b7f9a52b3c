// imri-kg SPARQL editor: a small hand-written highlighter (keywords, IRIs, prefixed names, variables, strings,
// numbers, comments) drawn under a transparent textarea, keyboard shortcuts, completion of prefixes and terms
// (from /ui/sparql/terms.json), a history of the queries run (localStorage) and a copy-link button.
// When the set-up installed CodeMirror 5 (served from this origin), it takes over the textarea: its SPARQL mode
// highlights and its show-hint addon offers the same suggestions. The page works without either.
"use strict";

const KEYWORDS = new Set(("SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED OPTIONAL " +
  "UNION MINUS FILTER BIND VALUES GRAPH SERVICE SILENT GROUP BY HAVING ORDER ASC DESC LIMIT OFFSET AS NOT EXISTS " +
  "IN COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND " +
  "ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER " +
  "YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF " +
  "STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE INSERT DELETE DATA WITH " +
  "USING DEFAULT ALL LOAD CLEAR DROP CREATE ADD MOVE COPY TO INTO TRUE FALSE A LATERAL").split(" "));

// One alternation, tried left to right at each position; order matters (a # inside <...> is not a comment).
const TOKEN = new RegExp([
  "(#[^\\n]*)",                                              // 1 comment
  "(<[^<>\"{}|^`\\\\\\s]*>)",                                // 2 IRI
  "(\"\"\"[\\s\\S]*?(?:\"\"\"|$)|'''[\\s\\S]*?(?:'''|$)|\"(?:[^\"\\\\\\n]|\\\\.)*\"?|'(?:[^'\\\\\\n]|\\\\.)*'?)", // 3 string
  "([?$][A-Za-z0-9_\\u00C0-\\uFFFF]+)",                       // 4 variable
  "([A-Za-z][\\w.-]*)?:([\\w.-]*)",                          // 5,6 prefixed name
  "(\\b\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?\\b)",              // 7 number
  "([A-Za-z_][A-Za-z_0-9]*)",                                // 8 word
].join("|"), "g");

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function span(cls, text) {
  return '<span class="' + cls + '">' + escapeHtml(text) + "</span>";
}

function highlight(source) {
  let out = "", last = 0, m;
  TOKEN.lastIndex = 0;
  while ((m = TOKEN.exec(source)) !== null) {
    if (m[0] === "") { TOKEN.lastIndex++; continue; }
    out += escapeHtml(source.slice(last, m.index));
    if (m[1]) out += span("tok-comment", m[0]);
    else if (m[2]) out += span("tok-iri", m[0]);
    else if (m[3]) out += span("tok-str", m[0]);
    else if (m[4]) out += span("tok-var", m[0]);
    else if (m[6] !== undefined) out += span("tok-pname", m[0]);
    else if (m[7]) out += span("tok-num", m[0]);
    else if (m[8] && KEYWORDS.has(m[8].toUpperCase())) out += span("tok-kw", m[0]);
    else out += escapeHtml(m[0]);
    last = TOKEN.lastIndex;
  }
  return out + escapeHtml(source.slice(last));
}

// Mark the parser's error position (line and column, both from 1) in the highlighted copy.
function markError(source, line, column) {
  const lines = source.split("\n");
  if (!(line >= 1 && line <= lines.length)) return highlight(source);
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
  const at = Math.min(offset + Math.max(column - 1, 0), source.length);
  const end = Math.min(at + 1, source.length);
  return highlight(source.slice(0, at)) + '<span class="tok-error">' +
    (end > at ? escapeHtml(source.slice(at, end)) : " ") + "</span>" + highlight(source.slice(end));
}

// CodeMirror over the textarea (it writes the text back into it when the form is sent).
function setUpCodeMirror(box) {
  const textarea = box.querySelector("textarea");
  const submit = (cm) => { cm.save(); textarea.form.requestSubmit(); };
  let escaped = false;  // Escape then Tab leaves the editor; otherwise Tab indents
  const cm = CodeMirror.fromTextArea(textarea, {
    mode: "sparql", lineNumbers: true, indentUnit: 2, tabSize: 2, screenReaderLabel: "Query",
    extraKeys: {
      "Ctrl-Enter": submit, "Cmd-Enter": submit,
      "Ctrl-Space": (editor) => complete(editor, true),
      "Tab": (editor) => editor.replaceSelection("  "),
    },
  });
  box.classList.add("cm");
  cm.getInputField().setAttribute("aria-describedby", textarea.getAttribute("aria-describedby") || "");
  cm.on("keydown", (editor, event) => {
    if (event.key === "Tab" && escaped) event.codemirrorIgnore = true;  // the browser moves the focus on
    escaped = event.key === "Escape";
  });
  cm.on("inputRead", (editor) => {
    const {word} = wordAt(editor);
    if (word.includes(":")) complete(editor, false);
  });
  const line = Number(box.dataset.errorLine), column = Number(box.dataset.errorColumn);
  if (line) {
    const at = {line: line - 1, ch: Math.max(column - 1, 0)};
    const end = {line: line - 1, ch: at.ch + 1};
    let mark;
    if (cm.getLine(line - 1) !== undefined && at.ch >= cm.getLine(line - 1).length) {  // past the end: a marker
      const widget = document.createElement("span");
      widget.className = "tok-error";
      widget.textContent = " ";
      mark = cm.setBookmark(at, {widget});
    } else {
      mark = cm.markText(at, end, {className: "tok-error"});
    }
    cm.on("change", () => mark.clear());
    cm.focus();
    cm.setCursor(at);
  }
  box.codeMirror = cm;
}

function wordAt(cm) {
  const cursor = cm.getCursor();
  const upto = cm.getLine(cursor.line).slice(0, cursor.ch);
  const m = /([A-Za-z][\w.-]*)?:?[\w.-]*$/.exec(upto);
  return {word: m ? m[0] : "", from: {line: cursor.line, ch: m ? m.index : upto.length}, to: cursor};
}

function complete(cm, asked) {
  const hint = (editor, callback) => {
    loadVocabulary().then((known) => {
      const {word, from, to} = wordAt(editor);
      const result = {list: suggestionsFor(word, known, asked), from, to};
      CodeMirror.on(result, "shown", () => {
        document.querySelectorAll("ul.CodeMirror-hints").forEach((ul) => ul.setAttribute("aria-label", "Suggestions"));
      });
      callback(result.list.length ? result : null);
    });
  };
  hint.async = true;
  cm.showHint({hint, completeSingle: false});
}

function setUpEditor(box) {
  if (window.CodeMirror) { setUpCodeMirror(box); return; }
  const textarea = box.querySelector("textarea");
  const code = box.querySelector("pre.highlight code");
  const pre = box.querySelector("pre.highlight");
  let errorLine = Number(box.dataset.errorLine), errorColumn = Number(box.dataset.errorColumn);
  const original = textarea.value;
  const draw = () => {
    const text = textarea.value;
    // The trailing newline keeps the copy as tall as the textarea when the text ends with one.
    code.innerHTML = (errorLine && text === original ? markError(text, errorLine, errorColumn) : highlight(text)) + "\n";
    pre.scrollTop = textarea.scrollTop;
  };
  box.classList.add("js");
  textarea.addEventListener("input", draw);
  textarea.addEventListener("scroll", () => { pre.scrollTop = textarea.scrollTop; });
  let escaped = false;
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      textarea.form.requestSubmit();
    } else if (event.key === "Escape") {
      escaped = true;  // the next Tab moves focus on, as usual
    } else if (event.key === "Tab" && !escaped && !event.shiftKey) {
      event.preventDefault();
      textarea.setRangeText("  ", textarea.selectionStart, textarea.selectionEnd, "end");
      draw();
    } else {
      escaped = false;
    }
  });
  draw();
  setUpCompletion(textarea, draw);
  if (errorLine) textarea.focus();
}

// Completion: after "prefix:" the terms in use that start so; Ctrl+Space: the prefixes and terms for the word.
const MAX_SUGGESTIONS = 12;
let vocabulary = null;

function loadVocabulary() {
  if (!vocabulary) {
    vocabulary = fetch("/ui/sparql/terms.json").then((r) => r.json()).catch(() => ({prefixes: {}, terms: []}));
  }
  return vocabulary;
}

function suggestionsFor(word, known, asked) {
  const out = [];
  const lower = word.toLowerCase();
  if (word.includes(":")) {
    for (const term of known.terms) if (term.toLowerCase().startsWith(lower) && term !== word) out.push(term);
  } else if (asked || word.length > 0) {
    for (const prefix of Object.keys(known.prefixes)) {
      if ((prefix + ":").startsWith(lower)) out.push(prefix + ":");
    }
    if (asked) for (const term of known.terms) if (term.toLowerCase().startsWith(lower)) out.push(term);
  }
  // Those that match in case first (imri:Theme before imri:theme after "imri:The").
  const exact = out.filter((t) => t.startsWith(word));
  return exact.concat(out.filter((t) => !t.startsWith(word))).slice(0, MAX_SUGGESTIONS);
}

function setUpCompletion(textarea, redraw) {
  const list = document.getElementById("completions");
  const status = document.getElementById("completion-status");
  if (!list) return;
  let items = [], active = 0, start = 0;
  const close = () => { list.hidden = true; list.innerHTML = ""; items = []; };
  const wordBefore = () => {
    const upto = textarea.value.slice(0, textarea.selectionStart);
    const m = /([A-Za-z][\w.-]*)?:?[\w.-]*$/.exec(upto);
    return {word: m ? m[0] : "", at: m ? m.index : upto.length};
  };
  const choose = (index) => {
    const text = items[index];
    textarea.setRangeText(text, start, textarea.selectionStart, "end");
    close();
    redraw();
    textarea.focus();
  };
  const show = (found) => {
    items = found;
    active = 0;
    list.innerHTML = "";
    found.forEach((text, i) => {
      const li = document.createElement("li");
      li.id = "completion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.textContent = text;
      li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.hidden = found.length === 0;
    status.textContent = found.length ? found.length + " suggestions: arrow keys choose, Enter inserts, Escape closes." : "";
  };
  const move = (step) => {
    list.children[active].setAttribute("aria-selected", "false");
    active = (active + step + items.length) % items.length;
    list.children[active].setAttribute("aria-selected", "true");
    list.children[active].scrollIntoView({block: "nearest"});
    status.textContent = items[active];
  };
  const suggest = async (asked) => {
    const {word, at} = wordBefore();
    if (!asked && !word.includes(":")) { close(); return; }
    const known = await loadVocabulary();
    start = at;
    show(suggestionsFor(word, known, asked));
  };
  textarea.addEventListener("input", () => suggest(false));
  textarea.addEventListener("blur", close);
  textarea.addEventListener("keydown", (event) => {
    if (event.key === " " && event.ctrlKey) { event.preventDefault(); suggest(true); return; }
    if (!items.length) return;
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      event.preventDefault(); event.stopImmediatePropagation(); choose(active);
    }
    else if (event.key === "Escape") { event.stopImmediatePropagation(); close(); }
  }, true);
}

// History: the last queries run, newest first, in this browser's localStorage.
const HISTORY_KEY = "imri-kg.sparql.history";
const HISTORY_SIZE = 20;

function readHistory() {
  try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]"); } catch (e) { return []; }
}

function remember(query) {
  const kept = readHistory().filter((q) => q !== query);
  kept.unshift(query);
  try { localStorage.setItem(HISTORY_KEY, JSON.stringify(kept.slice(0, HISTORY_SIZE))); } catch (e) { /* full */ }
}

function showHistory() {
  const list = document.getElementById("history");
  if (!list) return;
  const kept = readHistory();
  list.innerHTML = "";
  for (const query of kept) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = "/ui/sparql?query=" + encodeURIComponent(query);
    const flat = query.split(/\s+/).join(" ").trim();
    a.textContent = flat.length > 90 ? flat.slice(0, 89) + "…" : flat;
    li.appendChild(a);
    list.appendChild(li);
  }
  const clear = document.getElementById("clear-history");
  clear.hidden = kept.length === 0;
  clear.onclick = () => { localStorage.removeItem(HISTORY_KEY); showHistory(); };
}

function setUpShare() {
  const button = document.getElementById("copy-link");
  const link = document.getElementById("share-link");
  if (!button || !link || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(link.href).then(() => { button.textContent = "Link copied"; }, () => {});
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".editor").forEach(setUpEditor);
  const form = document.querySelector("form.editor-form");
  if (form) form.addEventListener("submit", () => remember(form.querySelector("textarea").value));
  showHistory();
  setUpShare();
  document.querySelectorAll("pre code.sparql").forEach((el) => { el.innerHTML = highlight(el.textContent); });
});
