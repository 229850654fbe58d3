// Confirmations, notices and the one way every action is sent: confirm naming what will happen, then the daemon's answer shown.

import { call, ApiError, DaemonDown } from './api.js';

const dialog = () => document.getElementById('confirm');

/** Asks before acting; resolves true only when the person confirmed. Focus returns where it was. */
export function confirm(title, text, action) {
  const box = dialog();
  const opener = document.activeElement;
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = action;
  box.returnValue = 'cancel';
  return new Promise(resolve => {
    box.addEventListener('close', () => {
      opener?.focus?.();
      resolve(box.returnValue === 'ok');
    }, { once: true });
    box.showModal();
  });
}

/** Shows a message at the top of the page: the daemon's own words for a refusal, or what was done. */
export function notify(text, kind = 'error') {
  const notice = document.getElementById('notice');
  notice.textContent = text;
  notice.className = `notice ${kind}`;
  notice.hidden = false;
}

export function clearNotice() {
  const notice = document.getElementById('notice');
  notice.hidden = true;
  notice.textContent = '';
}

/**
 * Confirms, sends, and reports. The confirmation names what will happen; a refusal shows the daemon's reason
 * (problem+json detail) as it gave it. Returns the answer, or null when cancelled or refused.
 */
export async function act({ title, text, action, method = 'POST', path, body, done }) {
  if (!(await confirm(title, text, action))) return null;
  // Some answers come only when the work is done (a restart, an abort): say it is under way meanwhile.
  notify(`${action}: sent, waiting for the daemon…`, 'ok');
  try {
    const answer = await call(method, path, body);
    notify(done ?? `${action}: done.`, 'ok');
    return answer ?? {};
  } catch (error) {
    if (error instanceof ApiError) notify(`${action} refused (${error.status}): ${error.message}`);
    else if (error instanceof DaemonDown) notify(`${action} not sent: the daemon is not answering.`);
    else throw error;
    return null;
  }
}
