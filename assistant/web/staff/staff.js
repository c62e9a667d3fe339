// Staff dashboard: reads /staff/api/* (session cookie) and draws the figures with ECharts.
(function () {
  "use strict";
  var state = { data: null, charts: {} };
  var CHANNEL_NAMES = { wechat: "微信 WeChat", web: "网页 Web", kiosk: "自助终端 Kiosk" };
  var OUTCOME_NAMES = { answered: "已解答 answered", unresolved: "未解决 unresolved", handoff: "转人工 handoff" };
  var DAYS = ["周一 Mon", "周二 Tue", "周三 Wed", "周四 Thu", "周五 Fri", "周六 Sat", "周日 Sun"];

  function $(id) { return document.getElementById(id); }
  function api(path, options) {
    return fetch(path, Object.assign({ credentials: "same-origin" }, options || {})).then(function (r) {
      if (r.status === 401) { window.location.assign("/staff/login"); throw new Error("session ended"); }
      if (!r.ok) { return r.json().then(function (b) { throw new Error(b.error || r.statusText); }); }
      return r.json();
    });
  }
  function text(value) { return document.createTextNode(value == null ? "" : String(value)); }
  function pct(x) { return x == null ? "–" : (100 * x).toFixed(1) + "%"; }
  function num(x) { return x == null ? "–" : Number(x).toLocaleString("zh-CN"); }
  function matterName(id) {
    var names = (state.data && state.data.names) || {};
    return names[id] ? names[id].zh + " " + names[id].en : (id || "other");
  }
  function segment(rows) {
    var channel = $("channel").value, mode = $("mode").value;
    return (rows || []).filter(function (r) { return r.channel === channel && r.mode === mode; });
  }
  function chart(id) {
    if (!state.charts[id]) { state.charts[id] = echarts.init($(id)); }
    return state.charts[id];
  }

  function renderKpis() {
    var box = $("kpis"); box.textContent = "";
    var r = segment(state.data.figures.rates)[0] || {};
    var items = [
      ["对话 Conversations", num(r.conversations)], ["轮次 Turns", num(r.turns)],
      ["理解率 Understood", pct(r.understood_rate)], ["兜底率 Fallback", pct(r.fallback_rate)],
      ["转人工 Handoff", pct(r.handoff_rate)], ["未解决 Unresolved", pct(r.unresolved_rate)],
      ["长者模式 Elderly", pct(r.elderly_share)],
      ["满意度 Satisfaction", r.rating_avg == null ? "–" : r.rating_avg.toFixed(2) + " / 5"],
      ["响应 p95 latency", r.latency_ms_p95 == null ? "–" : Math.round(r.latency_ms_p95) + " ms"]
    ];
    items.forEach(function (item) {
      var card = document.createElement("div"); card.className = "kpi";
      var value = document.createElement("div"); value.className = "value"; value.appendChild(text(item[1]));
      var label = document.createElement("div"); label.className = "label"; label.appendChild(text(item[0]));
      card.appendChild(value); card.appendChild(label); box.appendChild(card);
    });
  }

  function renderMatters() {
    var rows = segment(state.data.figures.topics).filter(function (r) { return r.kind === "matter"; })
      .sort(function (a, b) { return b.conversations - a.conversations; }).slice(0, 12).reverse();
    chart("chart-matters").setOption({
      grid: { left: 190, right: 30, top: 10, bottom: 30 }, tooltip: { trigger: "axis" },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: rows.map(function (r) { return matterName(r.topic); }) },
      series: [{ type: "bar", name: "对话 conversations", data: rows.map(function (r) { return r.conversations; }),
                 itemStyle: { color: "#c0392b" } }]
    }, true);
  }

  function renderChannels() {
    var mode = $("mode").value;
    var rows = (state.data.figures.rates || []).filter(function (r) { return r.mode === mode && r.channel !== "all"; });
    chart("chart-channels").setOption({
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" }, legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "70%"], data: rows.map(function (r) {
        return { name: CHANNEL_NAMES[r.channel] || r.channel, value: r.conversations };
      }) }]
    }, true);
  }

  function renderHeatmap() {
    var rows = segment(state.data.figures.hour_of_week);
    var max = rows.reduce(function (m, r) { return Math.max(m, r.turns); }, 1);
    var hours = []; for (var h = 0; h < 24; h++) { hours.push(h + ":00"); }
    chart("chart-heatmap").setOption({
      tooltip: { position: "top" }, grid: { left: 80, right: 20, top: 10, bottom: 60 },
      xAxis: { type: "category", data: hours, splitArea: { show: true } },
      yAxis: { type: "category", data: DAYS, splitArea: { show: true } },
      visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0,
                   inRange: { color: ["#f7fbff", "#6baed6", "#08306b"] } },
      series: [{ type: "heatmap", name: "轮次 turns", data: rows.map(function (r) { return [r.hour, r.dow - 1, r.turns]; }) }]
    }, true);
  }

  function renderSunburst() {
    var channel = $("channel").value;
    var tree = {};
    (state.data.figures.sunburst || []).forEach(function (r) {
      if (channel !== "all" && r.channel !== channel) { return; }
      var c = tree[r.channel] = tree[r.channel] || {};
      var m = c[r.matter] = c[r.matter] || {};
      m[r.outcome] = (m[r.outcome] || 0) + r.conversations;
    });
    var colours = { answered: "#1e7d4f", unresolved: "#c0392b", handoff: "#e67e22" };
    var data = Object.keys(tree).map(function (ch) {
      return { name: CHANNEL_NAMES[ch] || ch, children: Object.keys(tree[ch]).map(function (m) {
        return { name: matterName(m).split(" ")[0], children: Object.keys(tree[ch][m]).map(function (o) {
          return { name: OUTCOME_NAMES[o] || o, value: tree[ch][m][o], itemStyle: { color: colours[o] } };
        }) };
      }) };
    });
    chart("chart-sunburst").setOption({
      tooltip: {}, series: [{ type: "sunburst", data: data, radius: ["12%", "95%"], sort: "desc",
        label: { rotate: "radial", fontSize: 10, minAngle: 8 },
        levels: [{}, { label: { fontSize: 12 } }, { label: { fontSize: 10 } }, { label: { show: false } }] }]
    }, true);
  }

  function renderTrend() {
    var rows = segment(state.data.figures.daily).sort(function (a, b) { return a.day < b.day ? -1 : 1; });
    chart("chart-trend").setOption({
      tooltip: { trigger: "axis" }, legend: { bottom: 0 }, grid: { left: 60, right: 20, top: 20, bottom: 60 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.day; }) }, yAxis: { type: "value" },
      series: [
        { type: "line", name: "轮次 turns", data: rows.map(function (r) { return r.turns; }), smooth: true },
        { type: "line", name: "对话 conversations", data: rows.map(function (r) { return r.conversations; }), smooth: true }
      ]
    }, true);
  }

  function renderDepartments() {
    var rows = segment(state.data.figures.departments).filter(function (r) { return r.rated > 0; })
      .sort(function (a, b) { return a.rating_avg - b.rating_avg; });
    chart("chart-departments").setOption({
      tooltip: { trigger: "axis" }, grid: { left: 230, right: 40, top: 10, bottom: 30 },
      xAxis: { type: "value", min: 1, max: 5 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.department; }) },
      series: [{ type: "bar", name: "平均评分 average rating", data: rows.map(function (r) {
        return { value: Number(r.rating_avg.toFixed(2)), itemStyle: { color: r.rating_avg < 3.5 ? "#c0392b" : "#1e7d4f" } };
      }), label: { show: true, position: "right" } }]
    }, true);
  }

  function decide(fingerprint, action, row) {
    api("/staff/api/faq/" + fingerprint + "/" + action, { method: "POST" }).then(function (body) {
      if (action === "accept") { window.location.assign(body.editor); return; }  // the Q&A draft, filled in
      row.parentNode.removeChild(row);
      var message = $("faq-message"); message.hidden = false;
      message.textContent = "已忽略 Dismissed.";
    }).catch(function (err) { var m = $("faq-message"); m.hidden = false; m.textContent = err.message; });
  }

  function renderFaq() {
    var body = $("faq-table").querySelector("tbody"); body.textContent = "";
    (state.data.faq || []).forEach(function (group) {
      var row = document.createElement("tr");
      var cells = [group.lang === "zh" ? "中文" : "English", num(group.size), group.representative];
      cells.forEach(function (value) { var td = document.createElement("td"); td.appendChild(text(value)); row.appendChild(td); });
      var examples = document.createElement("td"); var list = document.createElement("ul"); list.className = "examples";
      group.examples.forEach(function (e) {
        var li = document.createElement("li"); li.appendChild(text(e.text + " (" + e.count + ")")); list.appendChild(li);
      });
      examples.appendChild(list); row.appendChild(examples);
      var actions = document.createElement("td"); actions.className = "actions";
      var accept = document.createElement("button"); accept.type = "button"; accept.appendChild(text("采纳 Accept"));
      accept.setAttribute("aria-label", "Accept: " + group.representative);
      accept.addEventListener("click", function () { decide(group.fingerprint, "accept", row); });
      var dismiss = document.createElement("button"); dismiss.type = "button"; dismiss.className = "secondary";
      dismiss.appendChild(text("忽略 Dismiss"));
      dismiss.setAttribute("aria-label", "Dismiss: " + group.representative);
      dismiss.addEventListener("click", function () { decide(group.fingerprint, "dismiss", row); });
      actions.appendChild(accept); actions.appendChild(dismiss); row.appendChild(actions);
      body.appendChild(row);
    });
  }

  function renderTickets() {
    api("/staff/api/tickets?status=open").then(function (data) {
      var body = $("tickets-table").querySelector("tbody"); body.textContent = "";
      if (!data.tickets.length) {
        var row = document.createElement("tr"); var td = document.createElement("td"); td.colSpan = 6;
        td.appendChild(text(data.problem || "没有待处理的转接 No open tickets.")); row.appendChild(td); body.appendChild(row);
      }
      data.tickets.forEach(function (t) {
        var row = document.createElement("tr");
        [t.reference, t.created_at.replace("T", " ").slice(0, 16), CHANNEL_NAMES[t.channel] || t.channel,
         matterName(t.topic), t.reason, t.status].forEach(function (value) {
          var td = document.createElement("td"); td.appendChild(text(value)); row.appendChild(td);
        });
        body.appendChild(row);
      });
    }).catch(function () {});
  }

  function renderOutcomes() {
    api("/staff/api/faq/outcomes").then(function (data) {
      var body = $("outcomes-table").querySelector("tbody"); body.textContent = "";
      function side(s) {
        return s ? s.unanswered + " 次 times · " + (s.per_day == null ? "–" : s.per_day) + " /天 day · " + s.periods + " 期 analyses" : "–";
      }
      data.outcomes.forEach(function (o) {
        var row = document.createElement("tr"); row.setAttribute("data-fingerprint", o.fingerprint);
        [o.representative, o.accepted_by, o.published_at ? o.published_at.replace("T", " ").slice(0, 16) : "未发布 not yet",
         side(o.before), side(o.after)].forEach(function (value) {
          var td = document.createElement("td"); td.appendChild(text(value)); row.appendChild(td);
        });
        body.appendChild(row);
      });
      $("outcomes-empty").hidden = data.outcomes.length > 0;
    }).catch(function () {});
  }

  function renderAll() {
    if (!state.data || !state.data.period) { $("empty").hidden = false; return; }
    renderKpis(); renderMatters(); renderChannels(); renderHeatmap(); renderSunburst(); renderTrend();
    renderDepartments(); renderFaq();
  }

  function load(periodId) {
    return api("/staff/api/dashboard" + (periodId ? "?period_id=" + periodId : "")).then(function (data) {
      state.data = data; renderAll();
      document.body.setAttribute("data-loaded", "true");
    });
  }

  function start() {
    api("/staff/api/me").then(function (me) { $("user").textContent = me.user; });
    api("/staff/api/periods").then(function (periods) {
      var select = $("period");
      periods.forEach(function (p) {
        var option = document.createElement("option"); option.value = p.id;
        option.textContent = p.since + " – " + p.until + " (" + p.events.toLocaleString() + ")";
        select.appendChild(option);
      });
      select.addEventListener("change", function () { load(select.value); });
    });
    ["channel", "mode"].forEach(function (id) { $(id).addEventListener("change", renderAll); });
    $("logout").addEventListener("click", function () {
      api("/staff/logout", { method: "POST" }).finally(function () { window.location.assign("/staff/login"); });
    });
    window.addEventListener("resize", function () {
      Object.keys(state.charts).forEach(function (k) { state.charts[k].resize(); });
    });
    load(null);
    renderTickets();
    renderOutcomes();
  }
  start();
})();
