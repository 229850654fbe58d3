import { get } from '../api.js';
import { h, replace, table, badge, weights, fmt } from '../dom.js';
import { failed } from '../app.js';
import { maintenancePanel } from '../maintenance.js';

/**
 * Every service: revisions and their weights, instances and their health, the current rollout, firing alerts,
 * maintenance (the whole app's switch for deployers).
 */
export async function overview({ main, canAct }) {
  const body = h('div');
  replace(main, h('h1', {}, 'Overview'), body);
  let timer = null;

  async function refresh() {
    try {
      const [services, instances, firing, held] = await Promise.all([
        get('/api/v1/services'), get('/api/v1/instances'), get('/api/v1/alerts'), get('/api/v1/maintenance')]);
      replace(body, render(services, instances, firing.filter(a => a.state === 'firing'), held), maintenancePanel(held, null, canAct, refresh));
    } catch (error) {
      failed(error);
    }
  }

  await refresh();
  // Events say when something changed; CPU and memory change without one, so they are read again now and then.
  const poll = setInterval(refresh, 15000);
  return {
    refresh,
    onEvent() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 200);
    },
    dispose() {
      clearTimeout(timer);
      clearInterval(poll);
    },
  };
}

function render(services, instances, firing, held) {
  const alertsFor = name => firing.filter(a => a.labels.service === name);
  const inMaintenance = name => held.app || held.services.some(w => w.service === name);
  return [
    h('section', { 'aria-labelledby': 'alerts-heading', className: 'summary' },
      h('h2', { id: 'alerts-heading' }, 'Firing alerts'),
      firing.length === 0
        ? h('p', { className: 'good' }, 'No alert is firing.')
        : h('p', { className: 'bad' }, h('a', { href: '#/alerts' }, `${firing.length} firing`), ': ', firing.map(a => a.name).join(', '))),
    h('section', { 'aria-labelledby': 'services-heading' },
      h('h2', { id: 'services-heading' }, 'Services'),
      table('Services', ['Service', 'Health', 'Version', 'Weights', 'Instances', 'Rollout', 'Alerts'], services.map(s => [
        h('a', { href: `#/services/${encodeURIComponent(s.name)}`, 'data-testid': `service-${s.name}` }, s.name),
        h('span', { 'data-testid': `health-${s.name}` }, badge(s.health), inMaintenance(s.name) ? [' ', badge('maintenance', 'degraded')] : null),
        s.kind === 'upstream' ? 'upstream' : s.version ? `${s.version} (r${s.revision})` : '-',
        h('span', { 'data-testid': `weights-${s.name}` }, weights(s)),
        instanceList(instances.filter(i => i.service === s.name), s),
        rollout(s.rollout),
        alertsFor(s.name).length ? h('span', { className: 'bad' }, alertsFor(s.name).map(a => a.name).join(', ')) : '-',
      ]))),
  ];
}

function instanceList(instances, service) {
  if (service.kind === 'upstream') return 'not run by Slipway';
  if (service.kind === 'static') return service.ready ? 'served by the edge' : 'root not ready';
  if (instances.length === 0) return '0 running';
  return h('ul', { className: 'instances' }, instances.map(i =>
    h('li', {}, `${i.id} `, badge(i.ready ? 'ready' : i.phase, i.ready ? 'healthy' : i.crashLooping ? 'down' : 'degraded'),
      i.restarts ? ` ${i.restarts} restarts` : '')));
}

function rollout(r) {
  if (!r) return '-';
  if (r.outcome) return h('span', {}, `${r.strategy} r${r.revision} `, badge(r.outcome), r.finished ? ` ${fmt.clock(r.finished)}` : '');
  return h('span', { 'data-testid': `rollout-${r.service}` }, `${r.strategy} r${r.revision} (${r.version}) `, badge(r.paused ? 'paused' : r.phase, 'running'),
    r.steps ? ` step ${r.step}/${r.steps}` : '');
}
