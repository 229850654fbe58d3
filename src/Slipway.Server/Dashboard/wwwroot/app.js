// The dashboard: sign-in, a hash router over the pages, and the live connection they share.

import { call, get, del, useSession, signsOut, ApiError, DaemonDown } from './api.js';
import { Live } from './live.js';
import { clearNotice, notify } from './ui.js';
import { h, replace } from './dom.js';
import { signIn } from './pages/signin.js';
import { overview } from './pages/overview.js';
import { service } from './pages/service.js';
import { alerts } from './pages/alerts.js';
import { logs } from './pages/logs.js';
import { backups } from './pages/backups.js';
import { audit } from './pages/audit.js';
import { events } from './pages/events.js';

const routes = [
  [/^#?\/?$/, overview, 'Overview'],
  [/^#\/services\/([^/]+)$/, service, 'Service'],
  [/^#\/alerts$/, alerts, 'Alerts'],
  [/^#\/logs$/, logs, 'Logs'],
  [/^#\/backups$/, backups, 'Backups'],
  [/^#\/audit$/, audit, 'Audit'],
  [/^#\/events$/, events, 'Events'],
];

const main = document.getElementById('main');
const connection = document.getElementById('connection');
let session = null;
let page = null;
let live = null;
let downSince = null;
let signedOutReason; // why the page last went back to sign-in (undefined: it has not)

function setSignedIn(value) {
  session = value;
  useSession(value, signedOut);
  document.getElementById('nav').hidden = !value;
  document.getElementById('who').hidden = !value;
  document.querySelector('[data-admin]').hidden = value?.role !== 'admin';
  document.getElementById('who-name').textContent = value ? `${value.name} (${value.role})` : '';
}

/**
 * The session ended under the page (expired, revoked, signed out elsewhere): back to sign-in, saying why. Several calls
 * in flight may each learn it, in any order: the daemon's first answer names the session's end and clears the cookie,
 * so a call sent after it hears only that it carries no credentials. The reason naming the session is the one shown,
 * whichever answer the page handled first.
 */
function signedOut(reason) {
  if (!session) {
    if (signedOutReason !== undefined && !namesSession(signedOutReason) && namesSession(reason)) {
      signedOutReason = reason;
      showSignIn(reason);
    }
    return;
  }
  signedOutReason = reason;
  live?.stop();
  live = null;
  page?.dispose?.();
  page = null;
  setSignedIn(null);
  showSignIn(reason);
}

const namesSession = reason => /session/.test(reason ?? '');

function showSignIn(message) {
  clearNotice();
  document.title = 'Sign in · Slipway';
  signIn(main, message, async created => {
    setSignedIn(created);
    startLive();
    await route();
  });
}

function showDown() {
  downSince ??= new Date();
  connection.textContent = `The daemon is not answering (since ${downSince.toISOString().slice(11, 19)} UTC). Reconnecting…`;
  connection.hidden = false;
}

function showUp() {
  downSince = null;
  connection.hidden = true;
  connection.textContent = '';
  page?.refresh?.();
}

function startLive() {
  live = new Live({
    onEvent: event => page?.onEvent?.(event),
    onDown: showDown,
    onUp: showUp,
    onSignedOut: signedOut,
    onRefused: refused => {
      if (refused) notify('Live updates are not coming through: the daemon refuses this page\'s event stream (a token may hold 10 at once; close other dashboard tabs). Trying again…');
      else clearNotice();
    },
  });
  live.start();
}

async function route() {
  if (!session) return;
  page?.dispose?.();
  page = null;
  clearNotice();
  const hash = location.hash || '#/';
  const match = routes.find(([pattern]) => pattern.test(hash));
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.getAttribute('href') === hash) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }

  if (!match) {
    document.title = 'Not found · Slipway';
    replace(main, h('h1', {}, 'Not found'), h('p', {}, 'There is no such page. ', h('a', { href: '#/' }, 'Back to the overview.')));
    return;
  }

  const [pattern, render, title] = match;
  const params = hash.match(pattern).slice(1).map(decodeURIComponent);
  document.title = `${params[0] ?? title} · Slipway`;
  const context = { main, session, params, canAct: session.role !== 'viewer', isAdmin: session.role === 'admin' };
  try {
    page = await render(context) ?? {};
  } catch (error) {
    failed(error);
  }
}

/** A page could not load: the daemon's reason, or that it is down; never a blank page. */
export function failed(error) {
  if (error instanceof DaemonDown) showDown();
  else if (error instanceof ApiError && !signsOut(error)) notify(`${error.status}: ${error.message}`);
  else if (!(error instanceof ApiError)) throw error;
}

async function start() {
  document.getElementById('sign-out').addEventListener('click', async () => {
    try {
      await del('/api/v1/session');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    signedOut('You have signed out.');
  });
  // The skip link must not become a route: it moves focus to the content instead.
  document.querySelector('.skip').addEventListener('click', event => {
    event.preventDefault();
    main.focus();
  });
  window.addEventListener('hashchange', async () => {
    await route();
    main.focus(); // a screen reader hears the new page, and Tab goes on from its top
  });
  for (let attempt = 0; ; attempt++) {
    try {
      setSignedIn(await call('GET', '/api/v1/session'));
      break;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        // A cookie the daemon no longer knows says why; no cookie at all needs no message.
        showSignIn(namesSession(error.message) ? error.message : null);
        return;
      }
      if (error instanceof ApiError) {
        // Any other refusal is shown, never a blank page. A 429: this browser's cookie names no session the daemon
        // knows, from an address slowed down after failed attempts; a valid token still signs in.
        showSignIn(error.status === 429
          ? `This browser's session is not known to the daemon, and it is slowing down failures from this address: ${error.message}. A valid token still signs in.`
          : `The daemon refused (${error.status}): ${error.message}`);
        return;
      }
      if (!(error instanceof DaemonDown)) throw error;
      showDown();
      replace(main, h('h1', {}, 'Slipway'), h('p', {}, 'Waiting for the daemon to answer…'));
      await new Promise(resolve => setTimeout(resolve, Math.min(5000, 500 * (attempt + 1))));
    }
  }

  connection.hidden = true;
  downSince = null;
  startLive();
  await route();
}

start();
