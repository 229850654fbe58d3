import { get } from '../api.js';
import { h, replace, table, badge, fmt } from '../dom.js';
import { failed } from '../app.js';

/** The audit log (admin only): every change, who made it, and whether the hash chain holds. */
export async function audit({ main, isAdmin }) {
  if (!isAdmin) {
    replace(main, h('h1', {}, 'Audit'), h('p', {}, 'The audit log is for admins; your token\'s role cannot read it.'));
    return {};
  }

  const body = h('div');
  replace(main, h('h1', {}, 'Audit'), body);
  async function refresh() {
    try {
      const [entries, check] = await Promise.all([get('/api/v1/audit?since=7d'), get('/api/v1/audit/verify')]);
      replace(body,
        h('p', { 'data-testid': 'audit-chain', className: check.valid ? 'good' : 'bad' },
          check.valid ? `The chain verifies: all ${check.entries} entries hold.` : `The chain is broken at entry ${check.firstBadSeq} (line ${check.firstBadLine}): ${check.problem}`),
        h('h2', {}, 'Last 7 days'),
        table('Audit entries', ['#', 'When (UTC)', 'Who', 'What', 'Arguments', 'From', 'Status'], [...entries].reverse().slice(0, 500).map(e => [
          String(e.seq), fmt.time(e.time), e.actor, `${e.method} ${e.route}`,
          Object.entries(e.arguments).map(([k, v]) => `${k}=${v}`).join(', ') || '-', e.remote,
          badge(String(e.status), e.status < 400 ? 'healthy' : 'down'),
        ]), 'No entry in the last 7 days.'));
    } catch (error) {
      failed(error);
    }
  }

  await refresh();
  return { refresh };
}
