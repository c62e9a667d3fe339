// A conversation's identity and transcript in localStorage, so a reload (or the next page of a
// government site with the widget) continues the same conversation. The identity is an id the
// server issued (POST /api/v1/session): the page never chooses its own.

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
  // issue: async () => a sender id from the server.
  constructor(namespace, issue, maxEntries = 200) {
    this.keys = { sender: `${namespace}.sender`, transcript: `${namespace}.transcript`, prefs: `${namespace}.prefs` };
    this.issue = issue;
    this.maxEntries = maxEntries;
    this.sender = read(this.keys.sender, null);
    if (typeof this.sender !== "string" || !this.sender.includes(".")) this.sender = null; // not server-issued
    this.pending = null;
    this.ensureSender().catch(() => { /* offline: asked again at the first message */ });
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

  // The id, asked for once (a page start and a first message at once share one request).
  ensureSender() {
    if (this.sender) return Promise.resolve(this.sender);
    if (!this.pending) {
      this.pending = this.issue().then((sender) => {
        this.sender = sender;
        write(this.keys.sender, sender);
        return sender;
      }).finally(() => { this.pending = null; });
    }
    return this.pending;
  }

  // call(sender) with this conversation's id; an id the server no longer accepts (401: its
  // secret changed) is replaced once by a new one.
  async withSender(call) {
    try {
      return await call(await this.ensureSender());
    } catch (err) {
      if (err.status !== 401) throw err;
      this.forgetSender();
      return call(await this.ensureSender());
    }
  }

  forgetSender() {
    this.sender = null;
    try { localStorage.removeItem(this.keys.sender); } catch (_) { /* ignore */ }
  }

  // A new person: a new id is asked for at the next message (the server's conversation is not
  // reused), empty transcript.
  renew() {
    this.forgetSender();
    this.ensureSender().catch(() => { /* asked again at the next message */ });
    this.transcript = [];
    try { localStorage.removeItem(this.keys.transcript); } catch (_) { /* ignore */ }
  }
}
