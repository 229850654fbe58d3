import { get, q } from '../api.js';
import { h, replace, table, badge, fmt } from '../dom.js';
import { act } from '../ui.js';
import { failed } from '../app.js';

/** Firing and pending alerts, silences, and (for deployers) creating and expiring a silence. */
export async function alerts({ main, canAct }) {
  const current = h('section', { 'aria-labelledby': 'current-heading' });
  const silences = h('section', { 'aria-labelledby': 'silences-heading' });
  const matchers = h('input', { id: 'silence-matchers', name: 'matchers', required: true, autocomplete: 'off', placeholder: 'alertname=instance-down, service=api', 'aria-describedby': 'silence-help' });
  const duration = h('input', { id: 'silence-for', name: 'for', required: true, value: '1h', autocomplete: 'off', size: '6' });
  const comment = h('input', { id: 'silence-comment', name: 'comment', autocomplete: 'off' });
  const form = h('form', { className: 'card', 'aria-labelledby': 'new-silence-heading' },
    h('h2', { id: 'new-silence-heading' }, 'New silence'),
    h('label', { for: 'silence-matchers' }, 'Matchers'), matchers,
    h('p', { id: 'silence-help', className: 'help' }, 'LABEL=VALUE or LABEL!=VALUE, separated by commas; all must match.'),
    h('label', { for: 'silence-for' }, 'For'), duration,
    h('label', { for: 'silence-comment' }, 'Comment'), comment,
    h('button', { type: 'submit' }, 'Create silence…'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const list = matchers.value.split(',').map(m => m.trim()).filter(Boolean);
    const answer = await act({
      title: 'Create this silence?',
      text: `Firing alerts matching ${list.join(' and ')} are not notified for ${duration.value}. They still show here, marked muted.`,
      action: 'Create silence',
      path: '/api/v1/silences',
      body: { matchers: list, for: duration.value.trim(), comment: comment.value.trim() || null },
    });
    if (answer) { matchers.value = ''; comment.value = ''; }
    refresh();
  });
  replace(main, h('h1', {}, 'Alerts'), current, silences, canAct ? form : null);

  async function refresh() {
    try {
      const [list, active] = await Promise.all([get('/api/v1/alerts'), get('/api/v1/silences')]);
      replace(current, h('h2', { id: 'current-heading' }, 'Firing and pending'),
        table('Alerts', ['Alert', 'State', 'Severity', 'Labels', 'Summary', 'Value', 'Since (UTC)', 'Muted by', ...(canAct ? [''] : [])], list.map(a => [
          a.name, badge(a.state), badge(a.severity, a.severity === 'critical' ? 'down' : 'degraded'),
          Object.entries(a.labels).filter(([k]) => k !== 'alertname').map(([k, v]) => `${k}=${v}`).join(', '),
          a.annotations.summary ?? '-', String(Math.round(a.value * 1000) / 1000), fmt.time(a.firedAt ?? a.activeAt),
          h('span', { 'data-testid': 'muted' }, a.muted ?? '-'),
          ...(canAct ? [h('button', { type: 'button', className: 'quiet', onclick: () => prefill(a) }, `Silence ${a.name}`)] : []),
        ]), 'No alert is pending or firing.'));
      replace(silences, h('h2', { id: 'silences-heading' }, 'Silences'),
        table('Silences', ['Id', 'Matchers', 'Until (UTC)', 'By', 'Comment', ...(canAct ? [''] : [])], active.map(s => [
          s.id, s.matchers.join(', '), fmt.time(s.endsAt), s.createdBy, s.comment || '-',
          ...(canAct ? [h('button', { type: 'button', className: 'quiet', onclick: async () => {
            await act({ title: `Expire silence ${s.id}?`, text: `Alerts matching ${s.matchers.join(' and ')} are notified again from now.`, action: 'Expire', method: 'DELETE', path: `/api/v1/silences/${q(s.id)}` });
            refresh();
          } }, `Expire ${s.id}`)] : []),
        ]), 'No silence is active.'));
    } catch (error) {
      failed(error);
    }
  }

  function prefill(alert) {
    matchers.value = [`alertname=${alert.name}`, ...(alert.labels.service ? [`service=${alert.labels.service}`] : [])].join(', ');
    matchers.focus();
  }

  await refresh();
  const poll = setInterval(refresh, 5000);
  return { refresh, dispose: () => clearInterval(poll) };
}
