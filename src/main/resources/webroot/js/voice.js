// The chat's microphone button: press once to record, again to send; Cancel (or Esc) throws the recording away. Shown
// only when the browser can record (MediaRecorder) and this Aide transcribes (capabilities.voiceAudio from /me).

const LONGEST_MS = 5 * 60 * 1000; // a voice message, not a dictation: sent by itself at five minutes
const TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];

/** Browsers that can record from the microphone. */
export function canRecord() {
  return typeof window.MediaRecorder === 'function' && Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

/**
 * Wires the button (#voice), the recording bar (#recording, #recording-text, #voice-cancel) and the status line
 * (#voice-status). `send(blob, type)` gets a finished recording; `failed(message)` a reason it could not be made.
 */
export function voiceRecorder({ $, busy, send, failed }) {
  const button = $('voice');
  const bar = $('recording');
  const composer = button.closest('form');
  let rec = null; // { recorder, stream, chunks, cancelled, started, timer, limit }

  button.addEventListener('click', () => { if (rec) stop(false); else start(); });
  $('voice-cancel').addEventListener('click', () => { stop(true); button.focus(); });
  composer.addEventListener('keydown', (e) => {
    if (rec && e.key === 'Escape') { e.preventDefault(); stop(true); button.focus(); }
  });

  function say(text) {
    $('voice-status').textContent = text;
  }

  function label(text) {
    $('voice-label').textContent = text;
    button.title = text;
  }

  async function start() {
    if (busy()) return;
    failed('');
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (e) {
      failed(e && e.name === 'NotAllowedError'
        ? 'Aide may not use the microphone: allow it in this site\'s settings, or type your message instead.'
        : 'No microphone could be opened (' + (e && e.message ? e.message : e) + '). Type your message instead.');
      return;
    }
    const type = TYPES.find(t => MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(t));
    let recorder;
    try {
      recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
    } catch (e) {
      stream.getTracks().forEach(t => t.stop());
      failed('This browser cannot record here (' + e.message + '). Type your message instead.');
      return;
    }
    const current = { recorder, stream, chunks: [], cancelled: false, started: Date.now(), timer: 0, limit: 0 };
    rec = current;
    recorder.addEventListener('dataavailable', (e) => { if (e.data && e.data.size) current.chunks.push(e.data); });
    recorder.addEventListener('stop', () => finish(current));
    recorder.start(1000);
    composer.classList.add('is-recording');
    bar.hidden = false;
    button.setAttribute('aria-pressed', 'true');
    button.classList.add('on');
    label('Stop recording and send');
    tick(current);
    current.timer = setInterval(() => tick(current), 1000);
    current.limit = setTimeout(() => { if (rec === current) stop(false); }, LONGEST_MS);
    say('Recording. Press the microphone button again to send it, or Cancel.');
  }

  function tick(current) {
    const seconds = Math.floor((Date.now() - current.started) / 1000);
    $('recording-text').textContent = 'Recording ' + Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0');
  }

  /** Ends the recording; it is sent unless cancelled. */
  function stop(cancelled) {
    const current = rec;
    if (!current) return;
    current.cancelled = cancelled;
    rec = null;
    clearInterval(current.timer);
    clearTimeout(current.limit);
    composer.classList.remove('is-recording');
    bar.hidden = true;
    button.setAttribute('aria-pressed', 'false');
    button.classList.remove('on');
    label('Record a voice message');
    say(cancelled ? 'Recording cancelled; nothing was sent.' : 'Sending your voice message…');
    if (current.recorder.state !== 'inactive') current.recorder.stop(); else finish(current);
  }

  function finish(current) {
    current.stream.getTracks().forEach(t => t.stop());
    if (current.cancelled) return;
    const type = current.recorder.mimeType || (current.chunks[0] && current.chunks[0].type) || 'audio/webm';
    const blob = new Blob(current.chunks, { type });
    if (!blob.size) { failed('The recording was empty. Try again, a little longer.'); return; }
    send(blob, type);
  }

  return {
    /** Shows the button when the server takes recordings and the browser can make them. */
    enable(serverTakesAudio) {
      if (!serverTakesAudio) stop(true);
      button.hidden = !(serverTakesAudio && canRecord());
    },
    /** Throws away a recording under way (signing out, leaving the chat). */
    cancel() { stop(true); },
    say
  };
}
