// The gateway's HTTP APIs as the pages use them. Every call degrades: a missing optional API
// (search, voice, analytics) answers null instead of breaking the page.

export class ApiError extends Error {
  constructor(status, message, body = null) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

async function request(path, options = {}, timeoutMs = 30000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(path, { ...options, signal: controller.signal });
    if (!response.ok) {
      let message = response.statusText;
      let body = null;
      try { body = await response.json(); message = body.error || message; } catch (_) { /* not JSON */ }
      throw new ApiError(response.status, message, body);
    }
    return response;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(0, err.name === "AbortError" ? "timeout" : String(err));
  } finally {
    clearTimeout(timer);
  }
}

function postJson(path, body, timeoutMs) {
  return request(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  }, timeoutMs);
}

// POST /api/v1/session: a sender id issued by the server (the pages never choose their own).
export async function newSender() {
  return (await request("/api/v1/session", { method: "POST" })).json().then((body) => body.sender);
}

// POST /api/v1/chat (web) or /api/v1/kiosk/chat (kiosk): {sender, message, lang?, mode?}
export async function chat(endpoint, { sender, message, lang, mode }) {
  const body = { sender, message };
  if (lang) body.lang = lang;
  if (mode) body.mode = mode;
  try {
    return await (await postJson(endpoint, body)).json();
  } catch (err) {
    // A 503 that carries an apology in the chat shape (a service behind us is down): show it
    // like any answer, so the person reads what to do (try again, call 12345), not "error".
    if (err instanceof ApiError && err.body && Array.isArray(err.body.replies)) return err.body;
    throw err;
  }
}

// Optional APIs answer null when the server does not have them (404/405) or cannot serve (503).
async function optional(promise) {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof ApiError && [404, 405, 501, 503].includes(err.status)) return null;
    throw err;
  }
}

export async function search(q, lang) {
  const params = new URLSearchParams({ q, lang });
  const response = await optional(request(`/api/v1/search?${params}`));
  return response ? response.json() : null;
}

export async function matters(lang) {
  const response = await optional(request(`/api/v1/matters?lang=${encodeURIComponent(lang)}`));
  return response ? response.json() : null;
}

export async function topMatters() {
  try {
    const response = await optional(request("/api/v1/kiosk/top-matters", {}, 5000));
    return response ? response.json() : null;
  } catch (_) {
    return null; // the analytics may need a staff session; the kiosk then keeps its default order
  }
}

// Text to speech: audio bytes as a Blob.
export async function tts(text, lang, mode) {
  return (await postJson("/api/v1/tts", { text, lang, mode }, 30000)).blob();
}

// Speech to text: {text, lang, seconds}.
export async function stt(audio, lang) {
  const form = new FormData();
  form.append("audio", audio, audioFileName(audio));
  if (lang) form.append("lang", lang);
  return (await request("/api/v1/stt", { method: "POST", body: form }, 60000)).json();
}

// Audio in, transcript + replies (+ their audio) out in one call: the kiosk's press-to-talk.
export async function voiceTurn(audio, { sender, lang, mode }) {
  const form = new FormData();
  form.append("audio", audio, audioFileName(audio));
  if (sender) form.append("sender", sender);
  if (lang) form.append("lang", lang);
  if (mode) form.append("mode", mode);
  form.append("channel", "kiosk");
  return (await request("/api/v1/voice", { method: "POST", body: form }, 60000)).json();
}

export async function fetchAudio(url) {
  return (await request(url, {}, 30000)).blob();
}

function audioFileName(blob) {
  const type = (blob.type || "").split(";")[0];
  const ext = { "audio/webm": "webm", "audio/ogg": "ogg", "audio/wav": "wav", "audio/mp4": "m4a" }[type];
  return `speech.${ext || "webm"}`;
}

// Which voice features this gateway offers, from /readyz's "voice" section when it publishes one,
// else by asking the endpoints themselves (an empty request: 404 = absent, 4xx = present).
export async function voiceSupport() {
  const support = { tts: { zh: false, en: false }, stt: { zh: false, en: false }, voice: false };
  try {
    const ready = await (await fetch("/readyz", { cache: "no-store" })).json();
    const info = ready.voice;
    if (info && typeof info === "object") {
      for (const lang of ["zh", "en"]) {
        support.tts[lang] = engineAvailable(info.tts, lang);
        support.stt[lang] = engineAvailable(info.stt, lang);
      }
      support.voice = support.stt.zh || support.stt.en;
      return support;
    }
  } catch (_) { /* fall through to probing */ }
  const probe = async (path, init) => {
    try {
      const response = await fetch(path, init);
      return response.status !== 404 && response.status !== 405 && response.status !== 503;
    } catch (_) { return false; }
  };
  const ttsOk = await probe("/api/v1/tts", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: "{}",
  });
  const sttOk = await probe("/api/v1/stt", { method: "POST", body: new FormData() });
  support.tts = { zh: ttsOk, en: ttsOk };
  support.stt = { zh: sttOk, en: sttOk };
  support.voice = sttOk && await probe("/api/v1/voice", { method: "POST", body: new FormData() });
  return support;
}

// Read an engine description loosely: true, "engine-name", {zh: ..., en: ...}, {available: ...},
// or a list of available languages.
function engineAvailable(section, lang) {
  if (section === undefined || section === null) return false;
  if (typeof section === "boolean") return section;
  if (typeof section === "string") return section !== "" && section !== "unavailable" && section !== "none";
  if (Array.isArray(section)) return section.includes(lang);
  if (typeof section === "object") {
    if (lang in section) return engineAvailable(section[lang], lang);
    if ("available" in section) return engineAvailable(section.available, lang);
    if ("engine" in section) return engineAvailable(section.engine, lang);
    if ("engines" in section) return engineAvailable(section.engines, lang);
  }
  return false;
}
