// Catalogue editor: a matter's facts and Q&A in both languages, drafts, publication, versions,
// diffs and rollback (/staff/api/editor/*). The server validates with the catalogue schema and
// names each bad field; the field is marked here by its path (fees.zh, faq[3].a.en).
(function () {
  "use strict";
  var state = { matter: null, kind: "catalogue", content: null, live: 0, versions: [], canPublish: false, faq: null };
  var LANGS = ["zh", "en"];
  var FACTS = [
    ["name", "名称 Name"], ["summary", "概述 Summary", true], ["fees", "收费 Fees", true],
    ["eligibility", "条件 Who can apply", true], ["department", "部门 Department"],
    ["where.hall", "大厅 Hall"], ["where.window", "窗口 Window"], ["where.address", "地址 Address"],
    ["where.hours", "时间 Hours"]
  ];
  var NUMBERS = [["fee_amount_yuan", "金额（元）Fee amount (yuan)"], ["time.statutory_days", "法定时限（工作日）Statutory days"],
    ["time.promised_days", "承诺时限（工作日）Promised days"]];

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function api(path, options) {
    var init = Object.assign({ credentials: "same-origin" }, options || {});
    if (init.body !== undefined) { init.headers = { "content-type": "application/json" }; }
    return fetch(path, init).then(function (r) {
      if (r.status === 401) { window.location.assign("/staff/login"); throw new Error("session ended"); }
      return r.json().then(function (b) {
        if (!r.ok) { var e = new Error(b.error || r.statusText); e.fields = b.fields; throw e; }
        return b;
      });
    });
  }
  function say(text, isError) {
    var m = $("message"); m.hidden = false; m.textContent = text;
    m.classList.toggle("error", !!isError);
  }
  // "items[0].materials[1].name" -> ["items", 0, "materials", 1, "name"]
  function keys(path) {
    return path.replace(/\[(\d+)\]/g, ".$1").split(".").map(function (k) { return /^\d+$/.test(k) ? Number(k) : k; });
  }
  function get(obj, path) {
    return keys(path).reduce(function (o, k) { return o == null ? undefined : o[k]; }, obj);
  }
  function set(obj, path, value) {
    var list = keys(path), last = list.pop();
    var target = list.reduce(function (o, k) { if (o[k] == null) { o[k] = {}; } return o[k]; }, obj);
    target[last] = value;
  }
  // long: a text area (3: one line per item of a list); type "number": a number or empty
  function field(path, label, value, long, type) {
    var id = "f-" + path.replace(/[^a-z0-9]/gi, "-");
    var input = long ? el("textarea", { id: id, rows: long === 3 ? "3" : "2" }) : el("input", { id: id, type: type || "text" });
    input.value = value == null ? "" : (long === 3 ? (value || []).join("\n") : value);
    input.setAttribute("data-path", path);
    if (long === 3) { input.setAttribute("data-lines", "true"); }
    return el("div", { "class": "field", "data-field": path }, [el("label", { "for": id }, [label]), input]);
  }

  var IMPORTED = [["name_zh", "名称 Name · zh"], ["name_en", "名称 Name · en"], ["overview_zh", "概述 Overview · zh", true],
    ["overview_en", "概述 Overview · en", true], ["place", "地点 Place", true], ["hours", "时间 Hours", true],
    ["phone", "电话 Phone"], ["channel", "办理形式 Channel (online / in_person / online_and_in_person)"],
    ["statutory_text", "法定时限 Statutory limit"], ["promised_text", "承诺时限 Promised limit"],
    ["legal_basis", "设定依据 Legal basis", true], ["synonyms", "常用说法（每行一个）Other names", 3]];
  var IMPORTED_NUMBERS = [["statutory_days", "法定时限（工作日）Statutory days"], ["promised_days", "承诺时限（工作日）Promised days"]];

  function renderFacts() {
    var box = $("facts"); box.textContent = "";
    var mats = $("materials"); mats.textContent = "";
    if (state.kind === "imported") {
      IMPORTED.forEach(function (f) { box.appendChild(field(f[0], f[1], get(state.content, f[0]), f[2])); });
      IMPORTED_NUMBERS.forEach(function (f) { box.appendChild(field(f[0], f[1], get(state.content, f[0]), false, "number")); });
      state.content.items.forEach(function (item, i) {
        var p = "items[" + i + "].", n = state.content.items.length > 1 ? "（" + (item.name || i + 1) + "）" : "";
        box.appendChild(field(p + "fee", "收费 Fee" + n, item.fee, true));
        box.appendChild(field(p + "fee_yuan", "金额（元）Fee amount (yuan)" + n, item.fee_yuan, false, "number"));
        box.appendChild(field(p + "eligibility", "条件 Who can apply" + n, item.eligibility, true));
        item.materials.forEach(function (m, j) {
          mats.appendChild(field(p + "materials[" + j + "].name", "材料 " + (j + 1) + n, m.name));
          mats.appendChild(field(p + "materials[" + j + "].notes", "说明 Notes " + (j + 1) + n, m.notes));
        });
      });
      return;
    }
    FACTS.forEach(function (f) {
      LANGS.forEach(function (lang) {
        box.appendChild(field(f[0] + "." + lang, f[1] + " · " + lang, get(state.content, f[0] + "." + lang), f[2]));
      });
    });
    NUMBERS.forEach(function (f) { box.appendChild(field(f[0], f[1], get(state.content, f[0]), false, "number")); });
    state.content.materials.forEach(function (m, i) {
      LANGS.forEach(function (lang) {
        mats.appendChild(field("materials[" + i + "].name." + lang, "材料 " + (i + 1) + " · " + lang, m.name[lang]));
      });
    });
  }

  function renderFaq() {
    var box = $("faq"); box.textContent = "";
    if (!state.content.faq) { return; }  // the imported list has no Q&A
    state.content.faq.forEach(function (qa, i) {
      var card = el("div", { "class": "qa" + (qa._new ? " new" : ""), "data-qa": String(i) });
      var grid = el("div", { "class": "fields" });
      LANGS.forEach(function (lang) { grid.appendChild(field("faq[" + i + "].q." + lang, "问 Question · " + lang, qa.q[lang])); });
      LANGS.forEach(function (lang) { grid.appendChild(field("faq[" + i + "].a." + lang, "答 Answer · " + lang, qa.a[lang], true)); });
      LANGS.forEach(function (lang) {
        grid.appendChild(field("faq[" + i + "].also." + lang, "其他问法（每行一个）Other wordings · " + lang,
          (qa.also || {})[lang] || [], 3));
      });
      card.appendChild(grid);
      var remove = el("button", { type: "button", "class": "secondary" }, ["删除 Remove"]);
      remove.addEventListener("click", function () { collect(); state.content.faq.splice(i, 1); renderFaq(); });
      card.appendChild(remove);
      box.appendChild(card);
    });
  }

  // read every input back into a copy of the content, by its path
  function collect() {
    var content = JSON.parse(JSON.stringify(state.content));
    document.querySelectorAll("[data-path]").forEach(function (input) {
      var value = input.value;
      if (input.getAttribute("data-lines")) {
        value = value.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
      } else if (input.type === "number") {
        value = value === "" ? null : Number(value);
      }
      set(content, input.getAttribute("data-path"), value);
    });
    state.content = content;
    return content;
  }

  function clearProblems() {
    document.querySelectorAll(".field.invalid").forEach(function (f) {
      f.classList.remove("invalid");
      var p = f.querySelector(".problem"); if (p) { p.parentNode.removeChild(p); }
    });
  }
  function showProblems(fields) {
    Object.keys(fields || {}).forEach(function (path) {
      var box = document.querySelector('[data-field="' + path + '"]');
      if (!box) { return; }
      box.classList.add("invalid");
      box.appendChild(el("span", { "class": "problem", role: "alert" }, [fields[path]]));
    });
  }

  function renderVersions() {
    var body = $("versions").querySelector("tbody"); body.textContent = "";
    state.versions.forEach(function (v) {
      var row = el("tr", { "data-number": String(v.number), "data-status": v.status });
      var status = v.status === "draft" ? "草稿 draft" : "已发布 published";
      row.appendChild(el("td", {}, [String(v.number) + (v.number === 0 ? (state.kind === "imported" ? " (导入 import)" : " (YAML)") : "")]));
      row.appendChild(el("td", {}, [status, v.live ? el("span", { "class": "live-tag" }, [" · 当前 live"]) : ""]));
      row.appendChild(el("td", {}, [v.created_by + (v.published_by && v.published_by !== v.created_by ? " → " + v.published_by : "")]));
      row.appendChild(el("td", {}, [(v.published_at || v.created_at || "").replace("T", " ").slice(0, 19)]));
      row.appendChild(el("td", {}, [v.note || ""]));
      var actions = el("td", { "class": "actions" });
      var diff = el("button", { type: "button", "class": "secondary diff" }, ["对比 Diff"]);
      diff.addEventListener("click", function () { showDiff(state.live, v.number); });
      actions.appendChild(diff);
      var edit = el("button", { type: "button", "class": "secondary edit" }, ["编辑 Edit"]);
      edit.addEventListener("click", function () { load(state.matter, v.number); });
      actions.appendChild(edit);
      if (state.canPublish && v.status === "draft") {
        var publish = el("button", { type: "button", "class": "publish" }, ["发布 Publish"]);
        publish.addEventListener("click", function () { step("publish", v.number); });
        actions.appendChild(publish);
      }
      if (state.canPublish && v.status === "published" && !v.live) {
        var back = el("button", { type: "button", "class": "secondary rollback" }, ["回滚 Roll back"]);
        back.addEventListener("click", function () { step("rollback", v.number); });
        actions.appendChild(back);
      }
      row.appendChild(actions);
      body.appendChild(row);
    });
  }

  function renderAudit(items) {
    var list = $("audit"); list.textContent = "";
    items.forEach(function (a) {
      list.appendChild(el("li", {}, [a.at.replace("T", " ").slice(0, 19) + " · " + a.user + " · " + a.action +
        (a.number != null ? " #" + a.number : "") + (a.detail ? " · " + a.detail : "")]));
    });
  }

  function showDiff(oldNumber, newNumber) {
    var path = "/staff/api/editor/matters/" + state.matter + "/diff?old=" + oldNumber + "&new=" + newNumber;
    return api(path).then(function (d) {
      $("diff-card").hidden = false;
      $("diff-label").textContent = "#" + d.old + " → #" + d.new + " (" + d.changes.length + ")";
      var body = $("diff").querySelector("tbody"); body.textContent = "";
      d.changes.forEach(function (c) {
        body.appendChild(el("tr", {}, [el("td", {}, [c.field]),
          el("td", { "class": "diff-old" }, [c.old == null ? "" : String(c.old)]),
          el("td", { "class": "diff-new" }, [c.new == null ? "" : String(c.new)])]));
      });
      $("diff-card").scrollIntoView({ block: "nearest" });
    }).catch(function (err) { say(err.message, true); });
  }

  function step(action, number) {
    var path = "/staff/api/editor/matters/" + state.matter + "/versions/" + number + "/" + action;
    return api(path, { method: "POST", body: "{}" }).then(function (r) {
      say(action === "publish" ? "已发布版本 " + number + "，助手将按新内容回答 Published version " + number + ": the assistant answers with it now."
        : "已回滚到版本 " + number + "（新版本 " + r.number + "）Rolled back to version " + number + " as version " + r.number + ".");
      state.faq = null;
      return load(state.matter);
    }).catch(function (err) { say(err.message, true); });
  }

  function save() {
    clearProblems();
    var content = collect();
    var sent = JSON.parse(JSON.stringify(content));
    (sent.faq || []).forEach(function (qa) { delete qa._new; });
    var body = { content: sent, note: $("note").value, based_on: state.editing };
    if (state.faq) { body.faq_fingerprint = state.faq.fingerprint; }
    api("/staff/api/editor/matters/" + state.matter + "/drafts", { method: "POST", body: JSON.stringify(body) })
      .then(function (r) {
        say("已保存草稿，版本 " + r.number + (state.canPublish ? "。" : "，等待审核发布。") +
            " Draft saved as version " + r.number + (state.canPublish ? "." : "; an approver publishes it."));
        $("note").value = "";
        state.faq = null;
        return load(state.matter, r.number).then(function () { return showDiff(state.live, r.number); });
      })
      .catch(function (err) { say("未保存 Not saved: " + err.message, true); showProblems(err.fields); });
  }

  // the matter's live content in the form, or version ``number`` when one is asked for
  function load(matterId, number) {
    state.matter = matterId; $("matter").value = matterId;
    var base = "/staff/api/editor/matters/" + matterId;
    return Promise.all([api(base), number == null ? null : api(base + "/versions/" + number)]).then(function (r) {
      var m = r[0];
      state.content = r[1] ? r[1].content : m.content; state.editing = r[1] ? r[1].number : m.live;
      state.live = m.live; state.versions = m.versions; state.kind = m.kind;
      $("faq-card").hidden = m.kind === "imported";  // the imported list has no Q&A of its own
      if (state.faq && m.kind === "catalogue") {
        var qa = JSON.parse(JSON.stringify(state.faq.qa)); qa._new = true;
        state.content.faq.push(qa);
      }
      $("live-version").textContent = "当前版本 live version #" + m.live +
        (state.editing !== m.live ? " · 正在编辑 editing #" + state.editing : "");
      renderFacts(); renderFaq(); renderVersions(); renderAudit(m.audit);
      document.body.setAttribute("data-loaded", matterId);
    });
  }

  function start() {
    var params = new URLSearchParams(window.location.search);
    Promise.all([api("/staff/api/editor/role"), api("/staff/api/editor/matters")]).then(function (r) {
      var me = r[0], matters = r[1];
      state.canPublish = me.can_publish;
      $("user").textContent = me.user + " · " + (me.can_publish ? "审核人 approver" : "编辑 editor");
      var groups = {};
      matters.forEach(function (m) {
        var group = groups[m.kind] || (groups[m.kind] = $("matter").appendChild(
          el("optgroup", { label: m.kind === "catalogue" ? "本中心事项 Our matters" : "事项清单 The city's list" })));
        group.appendChild(el("option", { value: m.id }, [m.name.zh + (m.name.en ? " " + m.name.en : "") +
          (m.versions ? " (#" + m.versions + ")" : "")]));
      });
      $("matter").addEventListener("change", function () { load($("matter").value); });  // an FAQ Q&A moves along
      var fingerprint = params.get("faq");
      if (fingerprint) {
        return api("/staff/api/editor/faq/" + encodeURIComponent(fingerprint)).then(function (f) {
          state.faq = f;
          say("常见问题已填入新问答，请选择事项并写答案 The FAQ question and its examples are in a new Q&A: check the matter and write the answer.");
          return load(f.matter || matters[0].id).then(function () {
            var added = document.querySelector(".qa.new"); if (added) { added.scrollIntoView({ block: "center" }); }
          });
        });
      }
      return load(params.get("matter") || matters[0].id);
    }).catch(function (err) { say(err.message, true); });
    $("save-draft").addEventListener("click", save);
    $("add-qa").addEventListener("click", function () {
      collect();
      state.content.faq.push({ q: { zh: "", en: "" }, a: { zh: "", en: "" }, also: { zh: [], en: [] }, _new: true });
      renderFaq();
    });
    $("logout").addEventListener("click", function () {
      api("/staff/logout", { method: "POST" }).finally(function () { window.location.assign("/staff/login"); });
    });
  }
  start();
})();
