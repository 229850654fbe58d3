// Maintenance mode on the page: what is in maintenance (GET /api/v1/maintenance) and, for deployers, the switch.
// Shared by the overview (the whole app) and the service page (one service).

import { q } from './api.js';
import { h, badge, fmt } from './dom.js';
import { act } from './ui.js';

/**
 * The maintenance of <service>, or of the whole app when service is null. after() redraws once the daemon answered
 * an action (or refused it: the refusal is shown by act).
 */
export function maintenancePanel(state, service, canAct, after) {
  const own = service ? state.services.find(w => w.service === service) : state.app;
  const covering = service ? state.app : null;
  const what = service ?? 'the whole app';
  const key = service ? 'service' : 'app';
  return h('section', { 'aria-labelledby': `maintenance-${key}-heading`, className: 'maintenance' },
    h('h2', { id: `maintenance-${key}-heading` }, service ? 'Maintenance' : 'Maintenance of the whole app'),
    h('p', { 'data-testid': `maintenance-${key}` }, status(own, covering, what)),
    canAct ? (own ? endButton(service, what, covering, after) : startForm(service, what, key, after)) : null);
}

function status(own, covering, what) {
  const shown = own ?? covering;
  if (!shown) return [badge('off', 'healthy'), ` ${what === 'the whole app' ? 'The app is' : `${what} is`} not in maintenance.`];
  return [badge('maintenance', 'degraded'), own ? ` since ${fmt.time(own.since)} by ${own.by}: ` : ` through the whole app's, since ${fmt.time(shown.since)} by ${shown.by}: `,
    /^0[a-z]*$/.test(shown.hold) ? 'requests get a 503 with the maintenance page at once' : `requests wait up to ${shown.hold}, then get a 503 with the maintenance page`,
    ` (${fmt.bytes(shown.pageBytes)}).`];
}

function startForm(service, what, key, after) {
  const id = `maintenance-${key}-hold`;
  const hold = h('input', { id, name: 'hold', autocomplete: 'off', placeholder: '0s', size: '6', 'data-key': id });
  const form = h('form', { className: 'inline', 'aria-label': `Put ${what} in maintenance` },
    h('label', { for: id }, 'Hold requests for'), hold,
    h('button', { type: 'submit', 'data-key': `maintenance-${key}-on` }, 'Start maintenance…'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const wait = hold.value.trim();
    await act({
      title: `Put ${what} in maintenance?`,
      text: `Every new request to ${what} through the edge ${wait ? `waits up to ${wait} for the maintenance to end, then` : 'at once'} is answered 503 with the maintenance page. Health checks and ACME challenges still pass; instances keep running.`,
      action: 'Start maintenance',
      method: 'PUT',
      path: '/api/v1/maintenance',
      body: { service, hold: wait || null },
    });
    after();
  });
  return form;
}

function endButton(service, what, covering, after) {
  return h('button', {
    type: 'button',
    'data-key': `maintenance-${service ? 'service' : 'app'}-off`,
    onclick: async () => {
      await act({
        title: `End the maintenance of ${what}?`,
        text: service
          ? `Requests to ${service} go to its instances again${covering ? ', once the whole app\'s maintenance ends too' : ''}.`
          : 'Requests go to the services again; the maintenance of each service on its own ends too.',
        action: 'End maintenance',
        method: 'DELETE',
        path: `/api/v1/maintenance${service ? `?service=${q(service)}` : ''}`,
      });
      after();
    },
  }, 'End maintenance…');
}
