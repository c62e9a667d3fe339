// The web chat page (/): conversation, quick replies, language, large text, high contrast,
// read-aloud, voice input, catalogue search, satisfaction rating; all usable by keyboard alone.
import * as api from "./api.js";
import { Player, Recorder, canRecord } from "./audio.js";
import { applyStrings, t } from "./i18n.js";
import { Session } from "./session.js";

const CHAT_ENDPOINT = "/api/v1/chat";
const SPEAKER_ICON = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
  + '<path fill="currentColor" d="M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z"/></svg>';
const params = new URLSearchParams(location.search);
const session = new Session("civic.web", api.newSender);
const player = new Player(document.getElementById("reply-audio"));
const recorder = new Recorder(30);
const audioCache = new Map(); // message element -> audio Blob
let voice = { tts: { zh: false, en: false }, stt: { zh: false, en: false } };
let busy = false;

const $ = (id) => document.getElementById(id);
const log = $("log");
const statusLine = $("status");
const input = $("message");

const state = {
  lang: ["zh", "en"].includes(params.get("lang")) ? params.get("lang") : session.prefs.lang || "zh",
  large: !!session.prefs.large,
  contrast: !!session.prefs.contrast,
};

function applyDisplay() {
  const root = document.documentElement;
  root.classList.toggle("large", state.large);
  root.classList.toggle("contrast", state.contrast);
  root.classList.toggle("embed", params.get("embed") === "1");
  $("toggle-large").setAttribute("aria-pressed", String(state.large));
  $("toggle-contrast").setAttribute("aria-pressed", String(state.contrast));
  document.querySelectorAll(".lang-btn").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang)));
  applyStrings(state.lang);
  document.title = `${t(state.lang, "title")}`;
  renderRating();
  updateVoiceControls();
}

function say(message) {
  statusLine.textContent = message || "";
}

// ---- messages ---------------------------------------------------------------------------------

function entryText(entry) {
  return entry.local ? t(state.lang, entry.local) : entry.text;
}

function renderEntry(entry) {
  const box = document.createElement("div");
  box.className = `msg ${entry.role}`;
  if (entry.lang) box.lang = entry.lang === "en" ? "en" : "zh-CN";
  const who = document.createElement("span");
  who.className = "visually-hidden";
  who.textContent = `${t(state.lang, entry.role === "user" ? "you" : "assistant")}: `;
  const text = document.createElement("p");
  text.className = "text";
  text.prepend(who);
  text.append(entryText(entry));
  box.append(text);
  if (entry.role === "bot") {
    const actions = document.createElement("div");
    actions.className = "msg-actions voice-only";
    const play = document.createElement("button");
    play.type = "button";
    play.className = "play";
    play.setAttribute("aria-pressed", "false");
    play.innerHTML = `${SPEAKER_ICON} <span class="play-label"></span>`;
    play.querySelector(".play-label").textContent = t(state.lang, "play");
    play.title = t(state.lang, "playLabel");
    play.addEventListener("click", () => togglePlay(play, box, entry));
    actions.append(play);
    box.append(actions);
    const buttons = entry.local === "welcome" ? t(state.lang, "suggestions").map((s) => ({ title: s, payload: s }))
      : entry.buttons || [];
    if (buttons.length) {
      const group = document.createElement("div");
      group.className = "quick-replies";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", entryText(entry).slice(0, 60));
      for (const button of buttons) {
        const quick = document.createElement("button");
        quick.type = "button";
        quick.textContent = button.title;
        quick.addEventListener("click", () => send(button.payload || button.title, button.title));
        group.append(quick);
      }
      box.append(group);
    }
  }
  log.append(box);
  box.hidden = false;
  log.scrollTop = log.scrollHeight;
  updateVoiceControls();
  return box;
}

function renderTranscript() {
  log.replaceChildren();
  if (!session.transcript.length) session.add({ role: "bot", local: "welcome" });
  session.transcript.forEach(renderEntry);
}

function addEntry(entry) {
  session.add(entry);
  return renderEntry(entry);
}

async function send(message, display) {
  const text = (message || "").trim();
  if (!text || busy) return;
  busy = true;
  $("send").disabled = true;
  addEntry({ role: "user", text: display || text, lang: state.lang });
  say(t(state.lang, "thinking"));
  try {
    const answer = await session.withSender((sender) => api.chat(CHAT_ENDPOINT, { sender, message: text, lang: state.lang }));
    for (const reply of answer.replies) {
      addEntry({ role: "bot", text: reply.text, buttons: reply.buttons || [], lang: answer.lang });
    }
    say(answer.replies.length ? "" : t(state.lang, "noReply"));
    if (answer.topic === "goodbye") showRating();
  } catch (err) {
    say(err.status === 422 ? err.message : t(state.lang, "error"));
  } finally {
    busy = false;
    $("send").disabled = false;
  }
}

// ---- voice --------------------------------------------------------------------------------------

async function togglePlay(button, box, entry) {
  if (button.getAttribute("aria-pressed") === "true") {
    player.stop();
    return;
  }
  document.querySelectorAll(".play[aria-pressed='true']").forEach((b) => setPlaying(b, false));
  try {
    let blob = audioCache.get(box);
    if (!blob) {
      blob = await api.tts(entryText(entry), entry.lang || state.lang, "standard");
      audioCache.set(box, blob);
    }
    setPlaying(button, true);
    player.onchange = (playing) => { if (!playing) setPlaying(button, false); };
    await player.play(blob);
  } catch (err) {
    setPlaying(button, false);
    if (err.name !== "AbortError") say(t(state.lang, "voiceUnavailable"));
  }
}

function setPlaying(button, playing) {
  button.setAttribute("aria-pressed", String(playing));
  button.querySelector(".play-label").textContent = t(state.lang, playing ? "stop" : "play");
}

function updateVoiceControls() {
  const ttsOk = voice.tts[state.lang];
  const sttOk = voice.stt[state.lang] && canRecord();
  document.querySelectorAll(".voice-only").forEach((el) => { el.hidden = !ttsOk; });
  $("mic").hidden = !sttOk;
  $("voice-note").hidden = ttsOk && sttOk;
}

async function toggleMic() {
  const mic = $("mic");
  if (recorder.recording) {
    mic.setAttribute("aria-pressed", "false");
    mic.querySelector(".mic-label").textContent = t(state.lang, "speak");
    const audio = await recorder.stop();
    say(t(state.lang, "transcribing"));
    try {
      const heard = await api.stt(audio, state.lang);
      if (heard && heard.text && heard.text.trim()) {
        say("");
        await send(heard.text);
      } else {
        say(t(state.lang, "heardNothing"));
      }
    } catch (err) {
      say(err.status && err.status < 500 ? t(state.lang, "heardNothing") : t(state.lang, "voiceUnavailable"));
    }
    return;
  }
  try {
    player.stop();
    await recorder.start();
    mic.setAttribute("aria-pressed", "true");
    mic.querySelector(".mic-label").textContent = t(state.lang, "stopSpeaking");
    say(t(state.lang, "listening"));
  } catch (err) {
    say(t(state.lang, "micBlocked"));
  }
}

// ---- search ----------------------------------------------------------------------------------

function itemName(item, lang) {
  if (!item || typeof item !== "object") return String(item);
  const pick = (value) => (value && typeof value === "object" ? value[lang] || value.zh || value.en : value);
  return pick(item.name) || pick(item.names) || pick(item.title) || item[`name_${lang}`] || item.id || "";
}

function itemSummary(item, lang) {
  const pick = (value) => (value && typeof value === "object" ? value[lang] || "" : value || "");
  return pick(item.summary) || pick(item.description) || item[`summary_${lang}`] || pick(item.department) || "";
}

async function runSearch(event) {
  event.preventDefault();
  const q = $("search-input").value.trim();
  const list = $("search-results");
  if (!q) return;
  list.replaceChildren();
  try {
    const body = await api.search(q, state.lang);
    if (body === null) {
      $("search-status").textContent = t(state.lang, "searchUnavailable");
      return;
    }
    const items = Array.isArray(body) ? body : body.results || body.matters || body.items || [];
    $("search-status").textContent = items.length ? t(state.lang, "searchCount", items.length) : t(state.lang, "searchNone");
    for (const item of items.slice(0, 8)) {
      const li = document.createElement("li");
      const title = document.createElement("h3");
      title.textContent = itemName(item.matter || item, state.lang);
      const summary = document.createElement("p");
      summary.textContent = itemSummary(item.matter || item, state.lang);
      const ask = document.createElement("button");
      ask.type = "button";
      ask.className = "secondary";
      ask.textContent = t(state.lang, "searchAsk");
      ask.setAttribute("aria-label", `${t(state.lang, "searchAsk")}: ${title.textContent}`);
      ask.addEventListener("click", () => { send(title.textContent); input.focus(); });
      li.append(title);
      if (summary.textContent) li.append(summary);
      li.append(ask);
      list.append(li);
    }
  } catch (err) {
    $("search-status").textContent = t(state.lang, "searchUnavailable");
  }
}

// ---- rating ----------------------------------------------------------------------------------

function renderRating() {
  const holder = document.querySelector(".rating-buttons");
  holder.replaceChildren();
  t(state.lang, "ratings").forEach((label, index) => {
    const score = index + 1;
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.rating = String(score);
    button.innerHTML = '<span class="stars" aria-hidden="true"></span><span class="label"></span>';
    button.querySelector(".stars").textContent = "★".repeat(score);
    button.querySelector(".label").textContent = `${score} · ${label}`;
    button.addEventListener("click", () => rate(score, label));
    holder.append(button);
  });
}

function showRating() {
  const box = $("rating");
  box.hidden = false;
  box.querySelector("button").focus();
}

async function rate(score, label) {
  $("rating").hidden = true;
  await send(`/feedback{"rating":"${score}"}`, `${"★".repeat(score)} ${label}`);
  say(t(state.lang, "ratingThanks"));
}

// ---- wiring -------------------------------------------------------------------------------------

function bind() {
  document.querySelectorAll(".lang-btn").forEach((button) => button.addEventListener("click", () => {
    state.lang = button.dataset.lang;
    session.setPref("lang", state.lang);
    applyDisplay();
    renderTranscript();
  }));
  $("toggle-large").addEventListener("click", () => { state.large = !state.large; session.setPref("large", state.large); applyDisplay(); });
  $("toggle-contrast").addEventListener("click", () => {
    state.contrast = !state.contrast;
    session.setPref("contrast", state.contrast);
    applyDisplay();
  });
  $("new-chat").addEventListener("click", () => {
    player.stop();
    session.renew();
    $("rating").hidden = true;
    renderTranscript();
    say("");
    input.focus();
  });
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("mic").addEventListener("click", toggleMic);
  $("end-chat").addEventListener("click", showRating);
  $("search-form").addEventListener("submit", runSearch);
}

async function main() {
  bind();
  applyDisplay();
  renderTranscript();
  document.body.dataset.readyMs = String(Math.round(performance.now())); // time to interactive
  document.body.dataset.ready = "true";
  voice = await api.voiceSupport();
  updateVoiceControls();
  document.body.dataset.voice = voice.tts[state.lang] ? "on" : "off";
}

main();
