// A conversation's identity and transcript in localStorage, so a reload (or the next page of a
// government site with the widget) continues the same conversation.

export function newId(prefix) {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes); // crypto.randomUUID needs https; kiosks on a LAN may be plain http
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function read(key, fallback) {
  try {
    const value = JSON.parse(localStorage.getItem(key));
    return value === null ? fallback : value;
  } catch (_) {
    return fallback;
  }
}

function write(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch (_) { /* private mode: memory only */ }
}

export class Session {
  constructor(namespace, prefix, maxEntries = 200) {
    this.keys = { sender: `${namespace}.sender`, transcript: `${namespace}.transcript`, prefs: `${namespace}.prefs` };
    this.prefix = prefix;
    this.maxEntries = maxEntries;
    this.sender = read(this.keys.sender, null);
    if (typeof this.sender !== "string" || !this.sender) this.renew();
    this.transcript = read(this.keys.transcript, []);
    if (!Array.isArray(this.transcript)) this.transcript = [];
    this.prefs = read(this.keys.prefs, {});
  }

  add(entry) {
    this.transcript.push(entry);
    if (this.transcript.length > this.maxEntries) this.transcript.splice(0, this.transcript.length - this.maxEntries);
    write(this.keys.transcript, this.transcript);
  }

  setPref(name, value) {
    this.prefs[name] = value;
    write(this.keys.prefs, this.prefs);
  }

  // A new person: new sender id (the server's conversation is not reused), empty transcript.
  renew() {
    this.sender = newId(this.prefix);
    write(this.keys.sender, this.sender);
    this.transcript = [];
    try { localStorage.removeItem(this.keys.transcript); } catch (_) { /* ignore */ }
  }
}
