import { get } from '../api.js';
import { h, replace, table, badge, fmt } from '../dom.js';
import { failed } from '../app.js';

/** Each backup: schedules, objectives, the catalog with the latest verification, the daemon's outcomes (drills with RTO/RPO). */
export async function backups({ main }) {
  const body = h('div');
  replace(main, h('h1', {}, 'Backups'), body);

  async function refresh() {
    try {
      const sets = await get('/api/v1/backups');
      replace(body, sets.length === 0 ? h('p', { className: 'empty' }, 'This app declares no backups.') : sets.map(render));
    } catch (error) {
      failed(error);
    }
  }

  await refresh();
  return { refresh, onEvent: e => { if (e.kind.startsWith('backup-')) refresh(); } };
}

function render(set) {
  const done = set.backups.filter(b => b.status === 'succeeded');
  const last = done[done.length - 1];
  const verified = [...set.backups].reverse().find(b => b.verification);
  const id = `backup-${set.name}`;
  return h('section', { 'aria-labelledby': id, className: 'card' },
    h('h2', { id }, set.name),
    h('dl', { className: 'facts' },
      h('dt', {}, 'Kind'), h('dd', {}, set.kind),
      h('dt', {}, 'Destination'), h('dd', {}, h('code', {}, set.destination)),
      h('dt', {}, 'Schedule'), h('dd', {}, set.schedule ?? 'none (by hand)'),
      h('dt', {}, 'Verify / drill'), h('dd', {}, set.verifySchedule ?? 'none (by hand)'),
      h('dt', {}, 'Objectives'), h('dd', {}, `RTO ${set.rtoObjectiveSeconds ? fmt.seconds(set.rtoObjectiveSeconds) : 'none'}, RPO ${set.rpoObjectiveSeconds ? fmt.seconds(set.rpoObjectiveSeconds) : 'none'}`),
      h('dt', {}, 'Last backup'), h('dd', {}, last ? `${last.id} at ${fmt.time(last.startedAt)}` : 'none succeeded yet'),
      h('dt', {}, 'Last verification'), h('dd', {}, verified ? [badge(verified.verification.succeeded ? 'verified' : 'verify-failed', verified.verification.succeeded ? 'healthy' : 'down'),
        ` ${verified.id} at ${fmt.time(verified.verification.startedAt)}`, verified.verification.error ? `: ${verified.verification.error}` : ''] : 'never verified')),
    h('h3', {}, 'Catalog'),
    table(`Catalog of ${set.name}`, ['Backup', 'Status', 'Started (UTC)', 'Took', 'Size', 'Verified'], [...set.backups].reverse().map(b => [
      b.id, [badge(b.status, b.status === 'succeeded' ? 'healthy' : 'down'), b.error ? ` ${b.error}` : ''], fmt.time(b.startedAt), fmt.seconds(b.durationSeconds), fmt.bytes(b.bytes),
      b.verification ? `${b.verification.succeeded ? 'yes' : `no: ${b.verification.error}`} (${fmt.seconds(b.verification.durationSeconds)})` : 'no',
    ]), 'No backup at this destination yet.'),
    set.problems.length ? h('ul', { className: 'bad' }, set.problems.map(p => h('li', {}, p))) : null,
    h('h3', {}, 'Drills and scheduled runs'),
    table(`Outcomes of ${set.name}`, ['When (UTC)', 'Outcome', 'What was measured'], [...set.outcomes].reverse().map(e => [
      fmt.time(e.time), badge(e.kind, /failed/.test(e.kind) ? 'down' : 'healthy'), e.message,
    ]), 'The daemon has run no scheduled backup, verification or drill yet.'));
}
