// imri-kg SPARQL editor: a small hand-written highlighter (keywords, IRIs, prefixed names, variables, strings,
// numbers, comments) drawn under a transparent textarea, plus keyboard shortcuts. No dependencies.
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

function setUpEditor(box) {
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
  if (errorLine) textarea.focus();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".editor").forEach(setUpEditor);
  document.querySelectorAll("pre code.sparql").forEach((el) => { el.innerHTML = highlight(el.textContent); });
});
