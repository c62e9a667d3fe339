// Microphone recording (MediaRecorder) and reply playback, shared by the chat page and the kiosk.

export function canRecord() {
  return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.MediaRecorder);
}

// One recording at a time: start() asks for the microphone, stop() resolves with the audio Blob.
// A recording stops by itself after maxSeconds so a forgotten microphone never runs on.
export class Recorder {
  constructor(maxSeconds = 30) {
    this.maxSeconds = maxSeconds;
    this.recorder = null;
    this.stream = null;
    this.chunks = [];
    this.done = null;
    this.timer = null;
  }

  get recording() {
    return !!this.recorder && this.recorder.state === "recording";
  }

  async start() {
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm"]
      .find((candidate) => MediaRecorder.isTypeSupported(candidate));
    this.recorder = new MediaRecorder(this.stream, type ? { mimeType: type } : undefined);
    this.chunks = [];
    this.done = new Promise((resolve) => {
      this.recorder.ondataavailable = (event) => { if (event.data.size) this.chunks.push(event.data); };
      this.recorder.onstop = () => {
        this.stream.getTracks().forEach((track) => track.stop());
        resolve(new Blob(this.chunks, { type: (this.recorder.mimeType || "audio/webm").split(";")[0] }));
      };
    });
    this.recorder.start();
    this.timer = setTimeout(() => this.stop(), this.maxSeconds * 1000);
  }

  stop() {
    clearTimeout(this.timer);
    if (this.recording) this.recorder.stop();
    return this.done;
  }

  cancel() {
    clearTimeout(this.timer);
    if (this.recording) this.recorder.stop();
    this.done = null;
  }
}

// Plays one clip at a time; starting another stops the first (a kiosk must never talk over itself).
export class Player {
  constructor(element = null) {
    this.audio = element || new Audio(); // a page's <audio> element lets tests and tools see playback
    this.url = null;
    this.onchange = () => {};
    this.audio.addEventListener("ended", () => this.onchange(false));
    this.audio.addEventListener("pause", () => this.onchange(false));
    this.audio.addEventListener("playing", () => this.onchange(true));
  }

  async play(blob) {
    this.stop();
    this.url = URL.createObjectURL(blob);
    this.audio.src = this.url;
    this.audio.dataset.bytes = String(blob.size);
    await this.audio.play();
  }

  stop() {
    if (!this.audio.paused) this.audio.pause();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }

  get playing() {
    return !this.audio.paused && !this.audio.ended;
  }
}
