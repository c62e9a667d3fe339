// The materials checklist page (/checklist/matter/<id> or /checklist/event/<id>), filled from the
// catalogue API. Read loosely: the catalogue owns its schema; this page shows what it finds.
import { DEFAULT_MATTERS, LIFE_EVENTS } from "./catalogue.js";
import { applyStrings, t } from "./i18n.js";

const [, , kind, id] = location.pathname.split("/");
const params = new URLSearchParams(location.search);
const lang = params.get("lang") === "en" ? "en" : "zh";
const $ = (name) => document.getElementById(name);

function text(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string" || typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.map(text).filter(Boolean).join("\n");
  if (typeof value === "object") {
    if (lang in value) return text(value[lang]);
    if ("zh" in value || "en" in value) return text(value.zh || value.en);
    return text(value.text || value.name || value.title || value.description || "");
  }
  return "";
}

function materialLine(item) {
  if (typeof item !== "object" || item === null) return { name: text(item), detail: "" };
  const name = text(item.name) || text(item.title) || text(item[`name_${lang}`]);
  const parts = [];
  const form = item.form || item.type || (item.original === true ? "original" : item.original === false ? "copy" : "");
  const forms = { original: "original", copy: "copy", original_and_copy: "originalAndCopy" };
  if (forms[form]) parts.push(t(lang, forms[form]));
  else if (form) parts.push(text(form));
  const copies = item.copies || item.count || item.quantity;
  if (copies) parts.push(t(lang, "copies", Number(copies)));
  const notes = [text(item.when), text(item.notes || item.note)].filter(Boolean).join("; ");
  if (notes) parts.push(notes);
  return { name, detail: parts.join(" · ") };
}

function render(body) {
  const fallback = [...DEFAULT_MATTERS, ...LIFE_EVENTS].find((m) => m.id === id);
  const name = text(body.name) || text(body.names) || text(body.title) || (fallback ? fallback.name[lang] : id);
  $("name").textContent = name;
  document.title = `${t(lang, "checklistTitle")} · ${name}`;
  $("summary").textContent = text(body.summary || body.description);
  const materials = body.materials || body.checklist || body.required_materials || [];
  $("materials").replaceChildren(...materials.map((item) => {
    const line = materialLine(item);
    const li = document.createElement("li");
    li.textContent = line.name;
    if (line.detail) {
      const detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = line.detail;
      li.append(detail);
    }
    return li;
  }));
  const where = body.where && typeof body.where === "object" && !("zh" in body.where)
    ? [body.where.hall, body.where.window, body.where.address].map(text).filter(Boolean).join("\n") : text(body.where);
  const days = body.time && typeof body.time === "object" && "promised_days" in body.time
    ? [t(lang, "days", body.time.promised_days), text(body.time.notes)].filter(Boolean).join("\n") : text(body.time);
  const hours = body.where && body.where.hours ? body.where.hours : body.opening_hours || body.hours;
  const facts = [["where", where], ["hours", hours], ["fees", body.fees], ["time", days]];
  renderSteps(body.steps || []);
  for (const [label, value] of facts) {
    const shown = text(value);
    if (!shown) continue;
    const dt = document.createElement("dt");
    dt.textContent = t(lang, label);
    const dd = document.createElement("dd");
    dd.textContent = shown;
    $("facts").append(dt, dd);
  }
}

function renderSteps(steps) {
  if (!steps.length) return;
  $("steps-heading").hidden = false;
  $("steps").replaceChildren(...steps.map((step) => {
    const li = document.createElement("li");
    const title = document.createElement("strong");
    title.textContent = text(step.title) || text(step.matter);
    li.append(title);
    for (const part of [step.note, step.deadline, step.where, step.hours]) {
      const shown = text(part);
      if (!shown) continue;
      const line = document.createElement("span");
      line.className = "detail";
      line.textContent = shown;
      li.append(line);
    }
    return li;
  }));
}

async function main() {
  applyStrings(lang);
  $("print").addEventListener("click", () => window.print());
  const url = kind === "event" ? `/api/v1/life-events/${encodeURIComponent(id)}?lang=${lang}`
    : `/api/v1/matters/${encodeURIComponent(id)}?lang=${lang}`;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(String(response.status));
    const body = await response.json();
    render(body.matter || body.life_event || body);
  } catch (_) {
    render({});
    $("summary").textContent = t(lang, "notFound");
  }
  document.body.dataset.ready = "true";
}

main();
