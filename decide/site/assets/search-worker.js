/* Search for the decision log: a drop-in for Material for MkDocs' search worker.
 *
 * Material's worker builds a lunr index in the reader's browser every time a page loads, which
 * costs about a second per 5,000 entries before the first result can show. A decision log's
 * entries are short (title, ID, DRI, escalation, tags), so this worker keeps each entry's words
 * as one string and answers a query by scanning them: nothing to build, a few milliseconds a
 * query at 10,000 memos.
 *
 * It speaks Material's messages (0 setup, 1 ready, 2 query, 3 result) and returns results in
 * the shape its search box renders: groups of entries per page, best first, with the words
 * found wrapped in <mark> and a map of which query terms matched (for "Missing:" and ?h=).
 *
 * Matching: each word in the query is a prefix of a word in the entry ("ana" finds "Ana"),
 * case and accents ignored ("jose" finds "José"); a plural also finds its singular. Entries
 * matching more of the query rank first; then pages before sections, then the field that
 * matched (tags, title, then text, as weighted by the search plugin's `fields`), then whole
 * words before prefixes. "+word" must match, "-word" must not.
 */
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: " ", "#39": "'", "#x27": "'" };
const EDGES = /(?<=^|\s)[^\p{L}\p{N}\s]+|[^\p{L}\p{N}\s]+(?=\s|$)/gu;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MARKUP = /(<[^>]*>|&#?\w+;)/;
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_EDGES = /(?<=^|\s)[^a-z0-9\s]+|[^a-z0-9\s]+(?=\s|$)/g;

let entries = [];
let articles = new Map();
let separator = /[\s\-]+/;

/* Lower case without accents: "José" -> "jose". */
function fold(text) {
  return ASCII.test(text) ? text.toLowerCase() : text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

function plain(html) {
  return html.replace(/<[^>]*>/g, " ").replace(/&(#?\w+);/g, (_, name) => ENTITIES[name] ?? " ");
}

/* The folded words of `text`, split by the search plugin's separator, without punctuation at their edges. */
function split(text) {
  const spaced = fold(text.split(separator).join(" "));
  return (ASCII.test(spaced) ? spaced.replace(ASCII_EDGES, "") : spaced.replace(EDGES, "")).split(/\s+/).filter(Boolean);
}

/* " word word " for a field, so `includes(" " + term)` is a word-prefix test. */
function words(value) {
  const text = Array.isArray(value) ? value.join(" ") : value || "";
  return " " + split(plain(text)).join(" ") + " ";
}

function setup({ config, docs }) {
  try {
    separator = new RegExp(config.separator);
  } catch (error) {
    separator = /[\s\-]+/;
  }
  articles = new Map();
  const weights = Object.entries(config.fields || { title: {}, text: {}, tags: {} }).map(
    ([name, spec]) => [name, 1 + Math.log10(Math.max(1, (spec && spec.boost) || 1))]
  );
  entries = docs.map(doc => {
    const page = doc.location.split("#")[0];
    const parent = doc.location.includes("#") ? articles.get(page) : undefined;
    if (!articles.has(page)) articles.set(page, doc);
    return { doc, page, parent, fields: weights.map(([name, weight]) => [name, weight, words(doc[name])]) };
  });
}

function parse(query) {
  const terms = [];
  for (const raw of query.replace(/"/g, " ").split(/\s+/)) {
    const presence = raw[0] === "+" ? "required" : raw[0] === "-" ? "prohibited" : "optional";
    for (const term of split(raw.replace(/^[+\-]+|[*~^]\d*$/g, ""))) {
      const stem = term.length > 3 && /[^s]s$/.test(term) ? term.slice(0, -1) : term;
      if (!terms.some(t => t.term === term)) terms.push({ term, stem, presence });
    }
  }
  return terms;
}

/* How well `entry` matches a query word: the weight of the best field, doubled for a whole word,
 * halved when only its singular matched ("decisions" finds "decision"); 0 if none. A one-letter
 * word matches whole words only, or "d" would find every ID. */
function weigh(entry, { term, stem }) {
  let best = 0;
  for (const [, weight, haystack] of entry.fields) {
    if (haystack.includes(" " + term + " ")) best = Math.max(best, 2 * weight);
    else if (term.length > 1 && haystack.includes(" " + term)) best = Math.max(best, weight);
    else if (stem !== term && haystack.includes(" " + stem + " ")) best = Math.max(best, weight / 2);
  }
  return best;
}

/* `html` with every word that starts with one of `terms` wrapped in <mark>, leaving tags and entities alone. */
function highlight(html, terms) {
  return html
    .split(MARKUP)
    .map((piece, index) =>
      index % 2
        ? piece
        : piece.replace(WORD, word => {
            const folded = fold(word);
            return terms.some(term => folded.startsWith(term)) ? `<mark>${word}</mark>` : word;
          })
    )
    .join("");
}

/* A section's text is shown under its title: keep the paragraphs that mention the query, two at most. */
function teaser(html, terms) {
  const blocks = html.split(/(?<=<\/(?:p|li|pre|table)>)/);
  if (blocks.length < 3) return highlight(html, terms);
  const found = blocks.filter(block => terms.some(term => words(block).includes(" " + term)));
  return highlight((found.length ? found : blocks).slice(0, 2).join(""), terms);
}

function search(query) {
  const terms = parse(query);
  const wanted = terms.filter(t => t.presence !== "prohibited");
  if (!wanted.length) return { items: [] };
  const hits = [];
  for (const entry of entries) {
    let score = 0, matched = 0, keep = true;
    const found = {};
    for (const word of terms) {
      const { term, presence } = word;
      const weight = weigh(entry, word);
      if (presence === "prohibited") {
        if (weight) keep = false;
        continue;
      }
      if (presence === "required" && !weight) keep = false;
      found[term] = weight > 0;
      matched += weight > 0;
      score += weight;
    }
    if (keep && matched) hits.push({ entry, found, score: score * (1 + (!entry.parent + matched / wanted.length) ** 2) });
  }
  hits.sort((a, b) => b.score - a.score);
  const groups = new Map();
  for (const { entry, found, score } of hits) {
    const marks = terms.filter(({ term }) => found[term]).map(({ stem }) => stem);
    const item = { ...entry.doc, score, terms: found };
    item.title = highlight(item.title, marks);
    if (typeof item.text === "string") item.text = teaser(item.text, marks);
    if (!groups.has(entry.page)) groups.set(entry.page, []);
    groups.get(entry.page).push(item);
  }
  for (const [page, items] of groups) {
    if (!items.some(item => item.location === page)) {
      const article = articles.get(page);
      if (article) items.push({ ...article, score: 0, terms: {} });
    }
  }
  return { items: [...groups.values()] };
}

addEventListener("message", ({ data: message }) => {
  switch (message.type) {
    case SETUP:
      setup(message.data);
      postMessage({ type: READY });
      break;
    case QUERY:
      try {
        postMessage({ type: RESULT, data: search(message.data) });
      } catch (error) {
        console.warn(`Invalid query: ${message.data}`, error);
        postMessage({ type: RESULT, data: { items: [] } });
      }
      break;
    default:
      throw new TypeError("Invalid message type");
  }
});
