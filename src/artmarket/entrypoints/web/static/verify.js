// The certificate's independent check: this browser, not artmarket's server, asks the public
// mirror node. It hashes the metadata bytes itself (WebCrypto), builds their raw CIDv1 the way
// adapters/ipfs/cid.py does, and compares that with what the NFT and the provenance topic say.
// No inline script (CSP); the page gives everything through data- attributes of
// templates/certificates/_independent_check.html, the sentences too (data-texts, in the page's
// language, "{name}" standing for a value filled in here).
(function () {
  "use strict";

  var BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
  // CIDv1, codec raw (0x55), multihash sha2-256 (0x12) of 32 bytes (0x20).
  var CID_PREFIX = [0x01, 0x55, 0x12, 0x20];
  var PAGE = 100;
  var MAX_PAGES = 50;

  // RFC 4648 base32, lower case, no padding: the multibase "b" alphabet.
  function base32(bytes) {
    var out = "", bits = 0, value = 0;
    for (var i = 0; i < bytes.length; i++) {
      value = (value << 8) | bytes[i];
      bits += 8;
      while (bits >= 5) {
        out += BASE32[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    if (bits > 0) { out += BASE32[(value << (5 - bits)) & 31]; }
    return out;
  }

  // The raw CIDv1 ("bafkrei…") of some bytes: multibase "b" + base32(prefix + sha-256).
  function rawCid(bytes) {
    return crypto.subtle.digest("SHA-256", bytes).then(function (digest) {
      var cid = new Uint8Array(CID_PREFIX.length + 32);
      cid.set(CID_PREFIX, 0);
      cid.set(new Uint8Array(digest), CID_PREFIX.length);
      return "b" + base32(cid);
    });
  }

  function fromBase64(text) {
    var binary = atob(text || "");
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  function text(bytes) { return new TextDecoder().decode(bytes); }

  // Usable from tests (Node) without a page.
  var exported = { base32: base32, rawCid: rawCid };
  if (typeof window !== "undefined") { window.artmarketCid = exported; }
  if (typeof document === "undefined") { return; }

  // `template` with its "{name}" placeholders filled from `values` (what is filled in is not
  // read again: a value from the mirror node cannot inject a placeholder).
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function say(texts, key, values) { return fill(texts[key], values); }

  function getJson(texts, url) {
    return fetch(url, { credentials: "omit", headers: { Accept: "application/json" } }).then(function (answer) {
      if (answer.status === 404) { return null; }
      if (!answer.ok) { throw new Error(say(texts, "answered", { url: url, status: answer.status })); }
      return answer.json();
    });
  }

  function Report(panel, texts) {
    this.texts = texts;
    this.list = panel.querySelector("[data-check-list]");
    this.summary = panel.querySelector("[data-check-summary]");
    this.matched = 0;
    this.failed = 0;
    this.list.textContent = "";
    this.summary.textContent = "";
  }

  // matched: true, false, or null for "nothing to check yet".
  Report.prototype.add = function (name, matched, detail) {
    var item = document.createElement("li");
    item.className = "check " + (matched === true ? "matched" : matched === false ? "unmatched" : "pending");
    item.setAttribute("data-check", name);
    var mark = document.createElement("strong");
    mark.textContent = this.texts[matched === true ? "matched" : matched === false ? "unmatched" : "pending"];
    // "{result}: {detail}", the result in bold wherever the language puts it.
    var line = this.texts.line, at = line.indexOf("{result}");
    item.appendChild(document.createTextNode(fill(line.slice(0, at), { detail: detail })));
    item.appendChild(mark);
    item.appendChild(document.createTextNode(fill(line.slice(at + "{result}".length), { detail: detail })));
    this.list.appendChild(item);
    if (matched === true) { this.matched += 1; }
    if (matched === false) { this.failed += 1; }
  };

  Report.prototype.finish = function (panel) {
    var passed = this.failed === 0 && this.matched > 0;
    panel.classList.remove("valid", "invalid");
    panel.classList.add(passed ? "valid" : "invalid");
    panel.setAttribute("data-result", passed ? "matched" : "unmatched");
    this.summary.textContent = passed ? this.texts.all_matched :
      say(this.texts, "some_unmatched", { count: this.failed });
  };

  function mirrorBase(url) { return url.replace(/\/+$/, "").replace(/\/api\/v1$/, ""); }

  function checkContent(report, facts) {
    var texts = report.texts;
    return fetch(facts.metadataUrl, { credentials: "omit" }).then(function (answer) {
      if (!answer.ok) { throw new Error(say(texts, "metadata_answered", { status: answer.status })); }
      return answer.arrayBuffer();
    }).then(rawCid).then(function (cid) {
      var uri = "ipfs://" + cid, same = uri === facts.metadataUri;
      report.add("metadata", same, say(texts, same ? "hash" : "hash_not", { uri: uri, expected: facts.metadataUri }));
      return uri;
    });
  }

  function checkNft(report, facts, uri) {
    var texts = report.texts;
    // Every value a sentence about the NFT may name; each sentence uses those it needs.
    var values = { token: facts.token, serial: facts.serial, uri: uri };
    var url = facts.mirror + "/api/v1/tokens/" + encodeURIComponent(facts.token) + "/nfts/" + facts.serial;
    return getJson(texts, url).then(function (nft) {
      if (nft === null) {
        report.add("nft", false, say(texts, "no_nft", values));
        return;
      }
      values.found = text(fromBase64(nft.metadata));
      values.account = nft.account_id;
      var same = values.found === uri;
      report.add("nft", same, say(texts, same ? "carries" : "carries_not", values));
      var revoked = facts.status === "revoked";
      if (nft.deleted) {
        report.add("standing", revoked, say(texts, revoked ? "burned_revoked" : "burned_valid", values));
      } else {
        report.add("standing", !revoked || null, say(texts, revoked ? "held_revoked" : "held", values));
      }
    });
  }

  function trailMessages(texts, facts, wanted) {
    var first = Math.min.apply(null, wanted), last = Math.max.apply(null, wanted);
    var found = {};
    function page(path, left) {
      return getJson(texts, facts.mirror + path).then(function (body) {
        var messages = (body && body.messages) || [];
        messages.forEach(function (m) { found[m.sequence_number] = m; });
        var next = body && body.links && body.links.next;
        var end = messages.length === 0 || messages[messages.length - 1].sequence_number >= last;
        if (end || !next || left <= 1 || next.indexOf("/api/v1/") !== 0) { return found; }
        return page(next, left - 1);
      });
    }
    return page("/api/v1/topics/" + encodeURIComponent(facts.topic) + "/messages?sequencenumber=gt:" +
      (first - 1) + "&limit=" + PAGE, MAX_PAGES);
  }

  function checkTrail(report, facts) {
    var texts = report.texts;
    if (!facts.sequences.length) {
      report.add("trail", null, texts.no_trail);
      return Promise.resolve();
    }
    if (!facts.topic) {
      report.add("trail", false, texts.no_topic);
      return Promise.resolve();
    }
    return trailMessages(texts, facts, facts.sequences).then(function (found) {
      facts.sequences.forEach(function (sequence) {
        var name = "trail message " + sequence, m = found[sequence];
        var where = { topic: facts.topic, sequence: sequence };
        if (!m) { report.add(name, false, say(texts, "missing", where)); return; }
        var said;
        try { said = JSON.parse(text(fromBase64(m.message))); } catch (error) { said = null; }
        var ours = said && said.certificate === facts.certificateId && said.token === facts.token &&
          String(said.serial) === facts.serial;
        if (ours) {
          where.event = said.event;
          where.timestamp = m.consensus_timestamp;
        }
        report.add(name, Boolean(ours), say(texts, ours ? "ours" : "not_ours", where));
      });
    });
  }

  function run(panel, button) {
    var data = panel.dataset;
    var facts = {
      certificateId: data.certificateId,
      metadataUrl: data.metadataUrl,
      metadataUri: data.metadataUri,
      token: data.token,
      serial: data.serial,
      topic: data.topic,
      status: data.status,
      mirror: mirrorBase(data.mirrorUrl || ""),
      sequences: (data.sequenceNumbers || "").split(",").filter(Boolean).map(Number)
    };
    var texts = JSON.parse(data.texts);
    var report = new Report(panel, texts);
    panel.removeAttribute("data-result");
    button.disabled = true;
    if (!window.crypto || !crypto.subtle) {
      report.add("metadata", false, texts.no_webcrypto);
      report.finish(panel);
      button.disabled = false;
      return;
    }
    checkContent(report, facts)
      .then(function (uri) { return checkNft(report, facts, uri); })
      .then(function () { return checkTrail(report, facts); })
      .catch(function (error) { report.add("ledger", false, say(texts, "unfinished", { error: error.message })); })
      .then(function () {
        report.finish(panel);
        button.disabled = false;
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-independent-check]").forEach(function (panel) {
      var button = panel.querySelector("[data-check-run]");
      if (button) { button.addEventListener("click", function () { run(panel, button); }); }
    });
  });
})();
