/* search.js: offline search over the dossier's index, fetched piece by piece from the site
   itself: search/index.json (which shards hold which words), one or two term shards per word,
   and one fragment per result shown (its title, URL and the text of its blocks). Words are
   found, tokenised and folded exactly as the index was built (src/render/search/words.rs):
   runs of letters, digits and marks, NFKD without combining marks, lower case, ’ as '; stems by
   Porter 2 (stem.js). A word matches by itself, by its stem, and by its beginning. */
(function () {
  'use strict';
  var root = document.getElementById('search');
  if (!root) return;
  var base = root.getAttribute('data-index');
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = root.querySelector('.search-more');
  var moreButton = document.getElementById('search-more');
  var PAGE = 10;
  var PREFIX_SHARDS = 2;
  var manifest = null;
  var shards = {};
  var fragments = {};
  var current = 0;
  var shown = [];

  function getJson(path) {
    return fetch(base + path).then(function (r) {
      if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
      return r.json();
    });
  }
  function loadManifest() {
    if (!manifest) manifest = getJson('index.json');
    return manifest;
  }
  function shard(n) {
    if (!shards[n]) shards[n] = getJson('t/' + n + '.json');
    return shards[n];
  }
  function fragment(n) {
    if (!fragments[n]) fragments[n] = getJson('f/' + n + '.json');
    return fragments[n];
  }

  function fold(word) {
    return word.normalize('NFKD').replace(/\p{M}/gu, '').replace(/\u2019/g, "'").toLowerCase();
  }
  /* The words of `text` with where each is: {w: folded, start, end}. The same rule as the
     index (words.rs): not Intl.Segmenter, whose word boundaries differ from the index's. */
  var WORD = /[\p{Alphabetic}\p{N}\p{M}]+(?:['\u2019][\p{Alphabetic}\p{N}\p{M}]+)*/gu;
  function tokens(text) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) out.push({ w: fold(m[0]), start: m.index, end: m.index + m[0].length });
    return out;
  }
  function stem(word) {
    return /^[a-z']+$/.test(word) && window.dossierStem ? window.dossierStem(word) : word;
  }
  /* Code point order, the order the index's keys are sorted in. */
  function cmp(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return i < a.length ? 1 : j < b.length ? -1 : 0;
  }
  function shardOf(m, key) {
    var lo = 0, hi = m.shards.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(m.shards[mid], key) <= 0) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }
  function decode(postings) {
    var out = [], doc = 0;
    postings.split(';').forEach(function (part) {
      var i = part.indexOf(':');
      if (i < 0) {
        /* A common word: its documents only; the result's block is found in its fragment. */
        doc += parseInt(part, 36);
        out.push([doc, null]);
        return;
      }
      doc += parseInt(part.slice(0, i), 36);
      out.push([doc, part.slice(i + 1).split(',').map(function (b) { return parseInt(b, 36); })]);
    });
    return out;
  }

  /* The words of the index a query word stands for, each with a weight: itself, the words of
     its stem, and (when `prefix`) the words it begins. */
  function variants(m, term, prefix) {
    var s = stem(term);
    var found = new Map();
    function add(word, weight) {
      if (!(found.get(word) >= weight)) found.set(word, weight);
    }
    var first = shardOf(m, term);
    var wanted = [first, shardOf(m, s)];
    for (var k = 1; prefix && k < PREFIX_SHARDS && first + k < m.shards.length; k++) {
      if (m.shards[first + k].indexOf(term) === 0) wanted.push(first + k);
    }
    return Promise.all(wanted.map(shard)).then(function (loaded) {
      var words = loaded[0].w, stems = loaded[1];
      if (Object.prototype.hasOwnProperty.call(words, term)) add(term, 1);
      if (Object.prototype.hasOwnProperty.call(stems.s, s)) {
        stems.s[s].forEach(function (w) { add(w, 0.9); });
      } else if (Object.prototype.hasOwnProperty.call(stems.w, s)) {
        add(s, 0.9);
      }
      if (prefix) {
        [loaded[0]].concat(loaded.slice(2)).forEach(function (d) {
          Object.keys(d.w).forEach(function (w) { if (w.indexOf(term) === 0) add(w, 0.7); });
        });
      }
      return found;
    });
  }

  /* Each document holding a query word: {tf, blocks: Set, title}. */
  function postings(m, found) {
    var docs = new Map();
    var words = Array.from(found.keys());
    return Promise.all(words.map(function (w) { return shard(shardOf(m, w)); })).then(function (loaded) {
      words.forEach(function (w, i) {
        var list = loaded[i].w[w];
        if (!list) return;
        var weight = found.get(w);
        decode(list).forEach(function (p) {
          var d = docs.get(p[0]);
          if (!d) docs.set(p[0], d = { tf: 0, blocks: new Set(), title: false, unknown: false });
          if (!p[1]) { d.tf += weight; d.unknown = true; return; }
          p[1].forEach(function (b) {
            if (b === 0) { d.title = true; d.tf += 3 * weight; } else { d.blocks.add(b); d.tf += weight; }
          });
        });
      });
      return docs;
    });
  }

  function search(query) {
    return loadManifest().then(function (m) {
      var all = tokens(query).map(function (t) { return t.w; });
      var terms = all.filter(function (w, i) {
        return all.indexOf(w) === i && m.stop.indexOf(w) < 0 && Array.from(w).length <= m.longest;
      });
      if (!terms.length) return { terms: terms, words: all, results: [], marks: new Set() };
      var last = terms.length - 1;
      return Promise.all(terms.map(function (t, i) {
        var prefix = Array.from(t).length >= (i === last ? 2 : 3);
        return variants(m, t, prefix).then(function (found) {
          return postings(m, found).then(function (docs) { return { found: found, docs: docs }; });
        });
      })).then(function (per) {
        var marks = new Set();
        per.forEach(function (p) { p.found.forEach(function (_, w) { marks.add(w); }); });
        per.sort(function (a, b) { return a.docs.size - b.docs.size; });
        var results = [];
        per[0].docs.forEach(function (_, doc) {
          if (!per.every(function (p) { return p.docs.has(doc); })) return;
          var score = 0, counts = new Map(), unknown = false;
          per.forEach(function (p) {
            var d = p.docs.get(doc);
            unknown = unknown || d.unknown;
            score += Math.log(1 + m.docs / p.docs.size) * (d.tf * 2.2) / (d.tf + 1.2);
            d.blocks.forEach(function (b) { counts.set(b, (counts.get(b) || 0) + 1); });
          });
          var best = 0, most = 0;
          counts.forEach(function (c, b) { if (c > most || (c === most && b < best)) { best = b; most = c; } });
          results.push({ doc: doc, score: score, block: unknown ? -1 : best });
        });
        results.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        return { terms: terms, words: all, results: results, marks: marks };
      });
    });
  }

  /* The block's text around its first match, matches in <mark>, as DOM nodes (never HTML). */
  function excerpt(text, marks) {
    var p = document.createElement('p');
    var toks = tokens(text);
    var hits = toks.filter(function (t) { return marks.has(t.w); });
    var k = hits.length ? toks.indexOf(hits[0]) : 0;
    var from = toks.length ? toks[Math.max(0, k - 12)].start : 0;
    var to = toks.length ? toks[Math.min(toks.length - 1, k + 30)].end : text.length;
    if (from > 0) p.appendChild(document.createTextNode('… '));
    var at = from;
    hits.forEach(function (t) {
      if (t.start < from || t.end > to) return;
      p.appendChild(document.createTextNode(text.slice(at, t.start)));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(t.start, t.end);
      p.appendChild(mark);
      at = t.end;
    });
    p.appendChild(document.createTextNode(text.slice(at, to)));
    if (to < text.length) p.appendChild(document.createTextNode(' …'));
    return p;
  }

  /* The block with the most different matching words (the first of equals), 0 if only the
     title matches: for results whose postings did not say. */
  function bestBlock(f, marks) {
    var best = 0, most = 0;
    f.b.forEach(function (block, i) {
      var seen = new Set();
      tokens(block[2]).forEach(function (t) { if (marks.has(t.w)) seen.add(t.w); });
      if (seen.size > most) { most = seen.size; best = i + 1; }
    });
    return best;
  }

  function show(result, marks, item) {
    return fragment(result.doc).then(function (f) {
      if (result.block < 0) result.block = bestBlock(f, marks);
      var block = f.b[Math.max(result.block, 1) - 1] || ['', '', ''];
      var kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = f.k;
      var a = document.createElement('a');
      var anchor = result.block > 0 ? block[0] : '';
      a.href = f.u + (anchor ? '#' + anchor : '');
      a.textContent = f.t;
      item.replaceChildren(kind, a);
      if (result.block > 0 && block[1]) {
        var where = document.createElement('span');
        where.className = 'where';
        where.textContent = ' · ' + block[1];
        item.appendChild(where);
      }
      item.appendChild(excerpt(block[2], marks));
    });
  }

  function showPage(found, token) {
    var start = shown.length;
    var page = found.results.slice(start, start + PAGE);
    var items = page.map(function () {
      var li = document.createElement('li');
      list.appendChild(li);
      return li;
    });
    shown = shown.concat(page);
    more.hidden = shown.length >= found.results.length;
    return Promise.all(page.map(function (r, i) {
      return show(r, found.marks, items[i]);
    })).then(function () { return token === current; });
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  var last = null;
  function run() {
    var query = input.value.trim();
    var token = ++current;
    var url = new URL(window.location.href);
    if (query) url.searchParams.set('q', query); else url.searchParams.delete('q');
    window.history.replaceState(null, '', url);
    list.replaceChildren();
    shown = [];
    more.hidden = true;
    if (!query) { status.textContent = ''; return Promise.resolve(); }
    status.textContent = 'Searching…';
    return search(query).then(function (found) {
      if (token !== current) return;
      last = found;
      if (!found.terms.length) {
        status.textContent = found.words.length
          ? '“' + query + '” is too common to search for: add a more specific word.'
          : 'Type a word to search for.';
        return;
      }
      var n = found.results.length;
      status.textContent = n
        ? plural(n, 'result', 'results') + ' for “' + query + '”.'
        : 'No results for “' + query + '”.';
      return showPage(found, token);
    }).catch(function (e) {
      if (token === current) status.textContent = 'The search index could not be loaded (' + e.message + ').';
    });
  }

  var timer = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  root.querySelector('.search-form').addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });
  moreButton.addEventListener('click', function () {
    if (!last) return;
    var next = shown.length;
    showPage(last, current).then(function () {
      var link = list.children[next] && list.children[next].querySelector('a');
      if (link) link.focus();
    });
  });
  /* Arrow keys move between the box and the results' links. */
  root.addEventListener('keydown', function (e) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    var links = Array.from(list.querySelectorAll('li > a'));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    if (document.activeElement === input) at = -1;
    else if (at < 0) return;
    var next = e.key === 'ArrowDown' ? at + 1 : at - 1;
    e.preventDefault();
    if (next < 0) input.focus();
    else links[Math.min(next, links.length - 1)].focus();
  });

  /* What the index was built with, for checks that the page and the index agree. */
  window.dossierSearch = { tokens: tokens, stem: stem, getJson: getJson };

  var initial = new URLSearchParams(window.location.search).get('q');
  if (initial) {
    input.value = initial;
    run();
  } else if (initial === '') {
    /* Sent here by the header's Search button with nothing typed (on phones it has no box). */
    input.focus();
  }
})();
