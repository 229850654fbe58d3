// One server-sent event stream for the whole page (/api/v1/events/stream). When it breaks, the daemon is asked
// whether it is up (/healthz) until it is, then whether the session still holds, and the stream is opened again.
// Whatever happened while it was broken came on no stream, so the page is told to fetch its state again once it is
// open (onUp), after a quick break as well as after an outage: a rollout that moved on in between would otherwise show
// its old state until its next event.
// A stream refused while the daemon is up and the session holds (a token may hold 10 streams at once) is asked for
// again only after a pause, and the page is told, so a refusal is neither a tight loop nor silent.

import { call, signsOut } from './api.js';

const RETRY_MS = [500, 1000, 2000, 2000, 5000];
const REFUSALS_SHOWN = 2;
const pause = ms => new Promise(resolve => setTimeout(resolve, ms));

export class Live {
  constructor({ onEvent, onDown, onUp, onSignedOut, onRefused }) {
    Object.assign(this, { onEvent, onDown, onUp, onSignedOut, onRefused });
    this.source = null;
    this.stopped = false;
    this.down = false;
    this.refusals = 0;
    this.broken = false;
  }

  start() {
    this.stopped = false;
    let opened = false;
    this.source = new EventSource('/api/v1/events/stream');
    this.source.onopen = () => {
      opened = true;
      if (this.refusals >= REFUSALS_SHOWN) this.onRefused(false);
      this.refusals = 0;
      if (this.down || this.broken) {
        this.down = false;
        this.broken = false;
        this.onUp();
      }
    };
    this.source.onmessage = message => this.onEvent(JSON.parse(message.data));
    this.source.onerror = () => {
      this.source?.close();
      this.source = null;
      if (opened) this.broken = true;
      else this.refusals++;
      if (!this.stopped) this.recover();
    };
  }

  stop() {
    this.stopped = true;
    this.source?.close();
    this.source = null;
  }

  async recover() {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const health = await fetch('/healthz', { cache: 'no-store' });
        if (health.ok) {
          await call('GET', '/api/v1/session');
          if (this.refusals > 0) {
            if (this.refusals >= REFUSALS_SHOWN) this.onRefused(true);
            await pause(RETRY_MS[Math.min(this.refusals, RETRY_MS.length - 1)]);
            if (this.stopped) return;
          }
          this.start();
          return;
        }
      } catch (error) {
        if (signsOut(error)) {
          this.stopped = true;
          this.onSignedOut(error.message);
          return;
        }
      }

      if (!this.down) {
        this.down = true;
        this.onDown();
      }

      await pause(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
    }
  }
}

/** A stream of log lines matching a query (/api/v1/logs/stream); closed by the caller when the page goes. */
export function follow(path, onLine, onBroken) {
  const source = new EventSource(path);
  source.onmessage = message => onLine(JSON.parse(message.data));
  source.onerror = () => {
    source.close();
    onBroken();
  };
  return () => source.close();
}
