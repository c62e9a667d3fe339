// The service-hall kiosk (/kiosk): tiles, press-to-talk, every reply read aloud slowly, repeat,
// call staff, a QR code of the materials checklist, and an idle wipe so the next person sees
// nothing of the previous one. Turns go to /api/v1/kiosk/chat (channel "kiosk", mode "elderly").
import * as api from "./api.js";
import { Player, Recorder, canRecord } from "./audio.js";
import { KNOWN_IDS, LIFE_EVENTS, loadTiles } from "./catalogue.js";
import { applyStrings, t } from "./i18n.js";
import { qrSvg } from "./qr.js";
import { Session } from "./session.js";

const ENDPOINT = "/api/v1/kiosk/chat";
const MODE = "elderly";
const TILE_COUNT = 8;
const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);

const idleSeconds = Math.max(2, Number(params.get("idle")) || Number(document.body.dataset.idleSeconds) || 90);
// The warning shows for the last third of the wait (30 s of 90), so a slow reader has time to react.
const warnSeconds = Math.max(1, Math.min(30, Math.round(idleSeconds / 3)));
const defaultLang = ["zh", "en"].includes(params.get("lang")) ? params.get("lang") : "zh";

const session = new Session("civic.kiosk", api.newSender, 60);
const player = new Player(document.getElementById("reply-audio"));
const recorder = new Recorder(20);
const state = { lang: defaultLang, tiles: null, lastReplyText: "", lastAudio: null, busy: false, idleAt: 0, dirty: false };
let voice = { tts: { zh: false, en: false }, stt: { zh: false, en: false }, voice: false };

function say(text, listening = false) {
  const status = $("k-status");
  status.textContent = text || "";
  status.classList.toggle("listening", listening);
}

// ---- views ------------------------------------------------------------------------------------

function showHome() {
  $("home-view").hidden = false;
  $("talk-view").hidden = true;
}

function showTalk() {
  $("home-view").hidden = true;
  $("talk-view").hidden = false;
}

function renderTiles() {
  if (!state.tiles) return;
  const make = (item, kind) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "tile";
    button.dataset.id = item.id;
    button.dataset.kind = kind;
    button.textContent = item.name[state.lang] || item.name.zh;
    button.addEventListener("click", () => chooseTile(item, kind));
    return button;
  };
  $("matter-tiles").replaceChildren(...state.tiles.matters.slice(0, TILE_COUNT).map((m) => make(m, "matter")));
  $("event-tiles").replaceChildren(...state.tiles.events.map((e) => make(e, "event")));
  $("matter-tiles").dataset.order = state.tiles.source;
}

function applyLanguage() {
  applyStrings(state.lang);
  document.title = t(state.lang, "kioskTitle");
  document.querySelectorAll(".lang-btn").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang)));
  renderTiles();
  const qr = $("qr").firstChild;
  if (qr) qr.setAttribute("aria-label", t(state.lang, "qrCaption"));
  updateVoice();
}

function updateVoice() {
  const canTalk = (voice.voice || voice.stt[state.lang]) && canRecord();
  $("talk").hidden = !canTalk;
  if (state.voiceKnown) document.body.dataset.voice = voice.tts[state.lang] ? "on" : "off";
}

// ---- conversation ----------------------------------------------------------------------------

function addMessage(role, text, buttons = []) {
  const box = document.createElement("div");
  box.className = `k-msg ${role}`;
  const p = document.createElement("p");
  const who = document.createElement("span");
  who.className = "visually-hidden";
  who.textContent = `${t(state.lang, role === "user" ? "you" : "assistant")}: `;
  p.append(who, text);
  box.append(p);
  if (buttons.length) {
    const group = document.createElement("div");
    group.className = "quick-replies";
    for (const b of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", () => send(b.payload || b.title, b.title));
      group.append(button);
    }
    box.append(group);
  }
  $("k-log").append(box);
  box.scrollIntoView({ block: "end" });
  session.add({ role, text });
}

function tileMessage(item, kind) {
  const name = item.name[state.lang] || item.name.zh;
  if (kind === "event") return state.lang === "en" ? `What do I need to do for ${name.toLowerCase()}?` : `${name}要办哪些事？`;
  const lower = name.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase()); // keeps "ID" as it is
  return state.lang === "en" ? `Tell me about ${lower}` : `我想办${name}`;
}

function chooseTile(item, kind) {
  showQr(kind, item.id);
  send(tileMessage(item, kind));
}

function showQr(kind, id) {
  const url = `${location.origin}/checklist/${kind}/${encodeURIComponent(id)}?lang=${state.lang}`;
  try {
    $("qr").replaceChildren(qrSvg(url, t(state.lang, "qrCaption")));
    $("qr-panel").hidden = false;
    $("qr-panel").dataset.url = url;
  } catch (_) {
    $("qr-panel").hidden = true; // library missing: the conversation still works
  }
}

async function send(message, display) {
  const text = (message || "").trim();
  if (!text || state.busy) return;
  activate();
  state.busy = true;
  showTalk();
  player.stop();
  addMessage("user", display || text);
  say(t(state.lang, "thinking"));
  try {
    const answer = await session.withSender((sender) => api.chat(ENDPOINT, { sender, message: text, lang: state.lang, mode: MODE }));
    showAnswer(answer.replies, answer.topic, answer.lang);
    say(answer.replies.length ? "" : t(state.lang, "noReply"));
    speak(answer.replies.map((r) => r.text).join("\n"), answer.lang); // reading never blocks a touch
  } catch (err) {
    say(t(state.lang, "error"));
  } finally {
    state.busy = false;
    touch();
  }
}

function showAnswer(replies, topic, lang) {
  for (const reply of replies) addMessage("bot", reply.text, reply.buttons || []);
  state.lastReplyText = replies.map((r) => r.text).join("\n");
  state.lastLang = lang || state.lang;
  state.lastAudio = null;
  if (topic && KNOWN_IDS.has(topic)) showQr(LIFE_EVENTS.some((e) => e.id === topic) ? "event" : "matter", topic);
}

// Every reply is read aloud at the elderly (slower) rate when this kiosk has a voice.
// While it speaks (fetching the audio included) nobody counts as idle: body[data-speaking].
async function speak(text, lang, audio = null) {
  if (!text || !voice.tts[lang || state.lang]) return;
  setSpeaking(true);
  try {
    state.lastAudio = audio || await api.tts(text, lang || state.lang, MODE);
    await player.play(state.lastAudio);
  } catch (err) {
    setSpeaking(false);
    if (err.name !== "AbortError") say(t(state.lang, "voiceOff")); // stopped on purpose is not a fault
  }
}

function setSpeaking(speaking) {
  document.body.dataset.speaking = String(speaking);
  touch();
}

async function repeat() {
  touch();
  if (!state.lastReplyText) return;
  const last = [...$("k-log").querySelectorAll(".k-msg.bot")].pop();
  if (last) last.scrollIntoView({ block: "end" });
  if (state.lastAudio) {
    try { await player.play(state.lastAudio); } catch (_) { say(t(state.lang, "voiceOff")); }
  } else {
    await speak(state.lastReplyText, state.lastLang);
  }
}

// Goes through the assistant (its handoff creates the staff ticket); the note stays on screen.
async function callStaff() {
  await send("/human_handoff", t(state.lang, "callStaff"));
  say(t(state.lang, "staffCalled"));
}

// ---- press to talk -------------------------------------------------------------------------

async function toggleTalk() {
  touch();
  const button = $("talk");
  if (recorder.recording) {
    button.setAttribute("aria-pressed", "false");
    button.querySelector(".talk-label").textContent = t(state.lang, "talk");
    const audio = await recorder.stop();
    say(t(state.lang, "transcribing"));
    await voiceTurn(audio);
    return;
  }
  try {
    player.stop();
    await recorder.start();
    button.setAttribute("aria-pressed", "true");
    button.querySelector(".talk-label").textContent = t(state.lang, "talkStop");
    say(t(state.lang, "listening"), true);
    activate();
  } catch (_) {
    say(t(state.lang, "micBlocked"));
  }
}

async function voiceTurn(audio) {
  state.busy = true;
  try {
    if (voice.voice) {
      const result = await session.withSender((sender) => api.voiceTurn(audio, { sender, lang: state.lang, mode: MODE }));
      const heard = result.transcript || result.text || "";
      if (!heard.trim()) { say(t(state.lang, "heardNothing")); return; }
      showTalk();
      addMessage("user", heard);
      const replies = result.replies || [];
      showAnswer(replies, result.topic, result.lang);
      say("");
      const url = result.audio_url || (replies[0] && replies[0].audio_url);
      state.busy = false;
      speak(state.lastReplyText, result.lang, url ? await api.fetchAudio(url) : null);
      return;
    }
    const heard = await api.stt(audio, state.lang);
    state.busy = false;
    if (heard && heard.text && heard.text.trim()) await send(heard.text);
    else say(t(state.lang, "heardNothing"));
  } catch (err) {
    say(err.status && err.status < 500 ? t(state.lang, "heardNothing") : t(state.lang, "voiceOff"));
  } finally {
    state.busy = false;
    touch();
  }
}

// ---- idle wipe ---------------------------------------------------------------------------------

// Someone is using the kiosk: from now on an idle wait ends in a wipe.
function activate() {
  state.dirty = true;
  touch();
}

function touch() {
  state.idleAt = Date.now() + idleSeconds * 1000;
  updateIdle();
}

function updateIdle() {
  const banner = $("idle-banner");
  if (!state.dirty || document.body.dataset.speaking === "true" || recorder.recording || state.busy) {
    banner.hidden = true;
    if (state.dirty) state.idleAt = Math.max(state.idleAt, Date.now() + idleSeconds * 1000);
    return;
  }
  const left = Math.ceil((state.idleAt - Date.now()) / 1000);
  if (left <= 0) {
    wipe();
    return;
  }
  if (left <= warnSeconds) {
    $("idle-text").textContent = t(state.lang, "idleWarning", left);
    banner.dataset.secondsLeft = String(left);
    if (banner.hidden) {
      banner.hidden = false;
      $("still-here").focus({ preventScroll: true });
    }
  } else {
    banner.hidden = true;
  }
}

// The next person must see nothing: new sender id, empty transcript and log, no QR, home screen.
function wipe() {
  player.stop();
  document.body.dataset.speaking = "false";
  recorder.cancel();
  session.renew();
  $("k-log").replaceChildren();
  $("qr").replaceChildren();
  $("qr-panel").hidden = true;
  $("k-input").value = "";
  $("idle-banner").hidden = true;
  state.lastReplyText = "";
  state.lastAudio = null;
  state.dirty = false;
  if (state.lang !== defaultLang) {
    state.lang = defaultLang;
    applyLanguage();
  }
  say("");
  showHome();
  document.body.dataset.wipes = String(Number(document.body.dataset.wipes || 0) + 1);
}

// ---- wiring --------------------------------------------------------------------------------------

function bind() {
  for (const kind of ["pointerdown", "keydown", "input", "wheel"]) {
    document.addEventListener(kind, () => { if (state.dirty) touch(); }, { passive: true, capture: true });
  }
  $("still-here").addEventListener("click", () => { touch(); $("idle-banner").hidden = true; });
  document.querySelectorAll(".lang-btn").forEach((button) => button.addEventListener("click", () => {
    activate();
    state.lang = button.dataset.lang;
    applyLanguage();
  }));
  $("k-type").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("k-input").value;
    $("k-input").value = "";
    send(text);
  });
  $("talk").addEventListener("click", toggleTalk);
  $("repeat").addEventListener("click", repeat);
  $("call-staff").addEventListener("click", callStaff);
  $("home").addEventListener("click", () => { showHome(); touch(); });
  player.onchange = (playing) => setSpeaking(playing);
  setInterval(updateIdle, 250);
}

async function main() {
  // A kiosk starts clean: a conversation left over from before a reload is not shown to anyone.
  session.renew();
  if (params.get("contrast") === "1") document.documentElement.classList.add("contrast");
  if (params.get("large") === "1") document.documentElement.classList.add("large");
  bind();
  applyLanguage();
  // Tiles first: the kiosk is usable by touch before it knows whether it can speak.
  const voiceKnown = api.voiceSupport().catch(() => voice).then((support) => {
    voice = support;
    state.voiceKnown = true;
    updateVoice();
  });
  state.tiles = await loadTiles();
  renderTiles();
  document.body.dataset.readyMs = String(Math.round(performance.now())); // time to interactive
  document.body.dataset.ready = "true";
  await voiceKnown;
}

main();
