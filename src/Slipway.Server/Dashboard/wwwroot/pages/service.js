import { get, q } from '../api.js';
import { h, replace, table, badge, weights, fmt } from '../dom.js';
import { act } from '../ui.js';
import { lineChart } from '../chart.js';
import { maintenancePanel } from '../maintenance.js';
import { failed } from '../app.js';

/**
 * One service: the live rollout with each analysis verdict and its numbers, the actions (for deployers), maintenance,
 * charts per revision, revision history, instances with a tail of their logs.
 */
export async function service({ main, params: [name], canAct }) {
  const heading = h('h1', {}, name);
  const summary = h('p', { className: 'lead' });
  const actions = h('section', { 'aria-labelledby': 'actions-heading', className: 'actions-panel' });
  const rolloutPanel = h('section', { 'aria-labelledby': 'rollout-heading', 'data-testid': 'rollout' });
  const maintenance = h('div');
  const charts = h('section', { 'aria-labelledby': 'charts-heading' });
  const history = h('section', { 'aria-labelledby': 'history-heading' });
  const instancesPanel = h('section', { 'aria-labelledby': 'instances-heading' });
  replace(main, heading, summary, rolloutPanel, canAct ? actions : null, maintenance, charts, history, instancesPanel);
  let timer = null;
  let chartsAt = 0;

  async function refresh() {
    try {
      const [d, revisions, analyses, held] = await Promise.all([
        get(`/api/v1/services/${q(name)}`),
        get(`/api/v1/services/${q(name)}/revisions`),
        get(`/api/v1/events?service=${q(name)}&limit=200`),
        get('/api/v1/maintenance'),
      ]);
      replace(summary, badge(d.health), ' ', d.kind === 'upstream' ? 'Upstream: Slipway routes to it but does not run it.'
        : d.kind === 'static' ? `Static site: version ${d.version ?? '-'} (revision ${d.revision ?? '-'}) served by the edge from its directory. Traffic: `
        : `Version ${d.version ?? '-'} (revision ${d.revision ?? '-'}), ${d.ready}/${d.replicas} instances ready. Traffic: `,
        h('span', { 'data-testid': 'weights' }, weights(d)), '.',
        d.missingSecrets.length ? h('span', { className: 'bad' }, ` Missing secrets: ${d.missingSecrets.join(', ')}.`) : '');
      replace(rolloutPanel, rollout(d.rollout, analyses.filter(e => e.kind.startsWith('rollout-'))));
      if (canAct && d.kind !== 'upstream') replace(actions, actionsFor(d, revisions));
      replace(maintenance, maintenancePanel(held, name, canAct, refresh));
      replace(history, h('h2', { id: 'history-heading' }, 'Revisions'), table('Revisions', ['Revision', 'Version', 'Created (UTC)', 'By', 'Why', 'Outcome', 'Took'],
        revisions.map(r => [`r${r.revision}${r.current ? ' (current)' : ''}`, r.version, fmt.time(r.created), r.createdBy ?? '-', r.reason ?? '-',
          r.outcome ? badge(r.outcome) : '-', fmt.seconds(r.durationSeconds)])));
    } catch (error) {
      failed(error);
    }
  }

  async function refreshCharts() {
    try {
      const metrics = await get(`/api/v1/services/${q(name)}/metrics?since=1h&step=1m`);
      replace(charts, h('h2', { id: 'charts-heading' }, 'Traffic per revision, last hour'), h('div', { className: 'charts' }, chartsFor(metrics)));
    } catch (error) {
      failed(error);
    }
  }

  async function refreshInstances() {
    try {
      const [d, lines] = await Promise.all([get(`/api/v1/services/${q(name)}`), get(`/api/v1/logs?service=${q(name)}&limit=300`)]);
      replace(instancesPanel, h('h2', { id: 'instances-heading' }, 'Instances'), d.instances.length === 0 ? h('p', { className: 'empty' }, 'No instance runs.')
        : d.instances.map(i => instance(i, lines.filter(l => l.instance === i.id).slice(-15))));
    } catch (error) {
      failed(error);
    }
  }

  await Promise.all([refresh(), refreshCharts(), refreshInstances()]);
  const poll = setInterval(() => { refreshCharts(); refreshInstances(); }, 15000);

  function actionsFor(d, revisions) {
    const running = d.rollout && !d.rollout.outcome ? d.rollout : null;
    const version = h('input', { id: 'deploy-version', name: 'version', required: true, autocomplete: 'off', 'data-key': 'deploy-version' });
    const reason = h('input', { id: 'deploy-reason', name: 'reason', autocomplete: 'off', 'data-key': 'deploy-reason' });
    const deploy = h('form', { className: 'inline', 'aria-label': `Deploy a version of ${name}` },
      h('label', { for: 'deploy-version' }, 'Version'), version,
      h('label', { for: 'deploy-reason' }, 'Reason'), reason,
      h('button', { type: 'submit', 'data-key': 'deploy' }, 'Deploy…'));
    deploy.addEventListener('submit', async event => {
      event.preventDefault();
      const v = version.value.trim();
      if (!v) return;
      const strategy = d.rollout?.strategy ?? 'the service\'s';
      const answer = await act({
        title: `Deploy ${name} version ${v}?`,
        text: `A new revision of ${name} runs version ${v} and takes traffic by ${strategy} rollout${running ? `; the rollout of r${running.revision} is in the way and the daemon will refuse unless it ends first` : ''}. Analysis rolls it back if it fails.`,
        action: `Deploy ${v}`,
        path: `/api/v1/services/${q(name)}/deploy`,
        body: { version: v, reason: reason.value.trim() || null },
      });
      if (answer) { version.value = ''; reason.value = ''; }
      refresh();
    });

    const previous = revisions.find(r => !r.current && r.outcome !== 'rolled-back' && r.outcome !== 'failed' && r.outcome !== 'aborted');
    const replicas = h('input', { id: 'scale-replicas', name: 'replicas', type: 'number', min: '0', max: '1000', value: String(d.replicas), 'data-key': 'scale-replicas' });
    const scale = h('form', { className: 'inline', 'aria-label': `Scale ${name}` },
      h('label', { for: 'scale-replicas' }, 'Replicas'), replicas, h('button', { type: 'submit', 'data-key': 'scale' }, 'Scale…'));
    scale.addEventListener('submit', async event => {
      event.preventDefault();
      const n = Number(replicas.value);
      await act({
        title: `Scale ${name} to ${n}?`,
        text: `${name} goes from ${d.replicas} to ${n} instance${n === 1 ? '' : 's'}${n < d.replicas ? '; the ones removed are drained first' : ''}.`,
        action: `Scale to ${n}`,
        path: `/api/v1/services/${q(name)}/scale`,
        body: { replicas: n },
      });
      refresh();
    });

    const button = (label, key, options) => h('button', {
      type: 'button', 'data-key': key, onclick: async () => { await act(options); refresh(); },
    }, label);
    const r = running ? `r${running.revision} (version ${running.version})` : '';
    return [
      h('h2', { id: 'actions-heading' }, 'Actions'),
      deploy,
      h('div', { className: 'buttons' },
        running && running.strategy !== 'rolling' ? button('Promote…', 'promote', {
          title: `Promote ${name} ${r}?`, text: `${r} gets all of ${name}'s traffic now, without waiting for the remaining steps or analysis.`,
          action: 'Promote', path: `/api/v1/services/${q(name)}/promote`,
        }) : null,
        running && !running.paused ? button('Pause…', 'pause', {
          title: `Pause the rollout of ${r}?`, text: `The split stays as it is (${weights(d)}) until resumed; analysis goes on and can still roll back.`,
          action: 'Pause', path: `/api/v1/services/${q(name)}/pause`,
        }) : null,
        running && running.paused ? button('Resume…', 'resume', {
          title: `Resume the rollout of ${r}?`, text: `The rollout continues from step ${running.step} of ${running.steps}.`,
          action: 'Resume', path: `/api/v1/services/${q(name)}/resume`,
        }) : null,
        running ? button('Abort…', 'abort', {
          title: `Abort the rollout of ${r}?`, text: `All traffic goes back to r${running.stableRevision}; the new instances are drained and stopped.`,
          action: 'Abort', path: `/api/v1/services/${q(name)}/abort`,
        }) : null,
        button('Roll back…', 'rollback', {
          title: `Roll ${name} back?`, text: previous ? `Traffic goes back to r${previous.revision} (version ${previous.version}); instant while it is still warm.` : `${name} goes back to its previous revision, if it has one.`,
          action: 'Roll back', path: `/api/v1/services/${q(name)}/rollback`,
        }),
        button('Restart…', 'restart', {
          title: `Restart ${name}?`, text: `Each of ${name}'s ${d.replicas} instances is replaced in turn, the next only once the new one is ready.`,
          action: 'Restart', path: `/api/v1/services/${q(name)}/restart`, done: `Restarted ${name}.`,
        })),
    ];
  }

  return {
    refresh() { refresh(); refreshCharts(); refreshInstances(); },
    onEvent(event) {
      if (event.service !== name) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        refresh();
        if (!event.kind.startsWith('rollout-')) refreshInstances();
        else if (Date.now() - chartsAt > 5000) {
          // A rollout moves traffic between revisions: the charts follow it, at most every 5 s.
          chartsAt = Date.now();
          refreshCharts();
        }
      }, 150);
    },
    dispose() {
      clearTimeout(timer);
      clearInterval(poll);
    },
  };
}

function rollout(r, events) {
  const heading = h('h2', { id: 'rollout-heading' }, 'Rollout');
  if (!r) return [heading, h('p', { className: 'empty' }, 'No rollout since the daemon started.')];
  const state = r.outcome ?? (r.paused ? 'paused' : r.phase);
  const a = r.lastAnalysis;
  const since = new Date(r.started).getTime();
  const verdicts = events.filter(e => e.kind === 'rollout-analysis' && new Date(e.time).getTime() >= since).slice(-8).reverse();
  return [
    heading,
    h('p', {}, `${r.strategy} of r${r.revision} (version ${r.version}) over r${r.stableRevision}, started ${fmt.time(r.started)}: `,
      h('span', { 'data-testid': 'rollout-state' }, badge(state, r.outcome ?? 'running')),
      r.steps ? ` step ${r.step} of ${r.steps}` : '', r.finished ? `, ended ${fmt.time(r.finished)}` : ''),
    h('p', {}, 'Weights: ', h('strong', { 'data-testid': 'rollout-weights' }, Object.entries(r.weights).sort((x, y) => Number(y[0]) - Number(x[0])).map(([k, v]) => `r${k} ${v}%`).join(' · '))),
    r.message ? h('p', { 'data-testid': 'rollout-message', className: r.outcome === 'promoted' ? 'good' : r.outcome ? 'bad' : '' }, r.message) : null,
    a ? h('div', { 'data-testid': 'analysis' },
      h('h3', {}, 'Last analysis: ', badge(a.verdict)),
      h('p', {}, a.summary || '-', ` (canary ${a.canaryRequests} requests, stable ${a.stableRequests})`),
      table('Analysis checks', ['Check', 'Verdict', 'Numbers'], a.checks.map(c => [c.name, badge(c.verdict), c.detail]))) : null,
    verdicts.length ? h('div', {}, h('h3', {}, 'Analysis verdicts'),
      h('ol', { className: 'verdicts', 'data-testid': 'verdicts' }, verdicts.map(e => h('li', {}, h('time', { datetime: e.time }, fmt.clock(e.time)), ' ', e.message)))) : null,
  ];
}

function chartsFor(metrics) {
  const series = pick => metrics.revisions.map(r => ({ name: r.revision, points: r.points.map(p => [new Date(p.time).getTime(), pick(p)]) }));
  const hasTraffic = p => (p.requestsPerSecond > 0 ? 1 : null);
  return [
    lineChart('Requests/s', series(p => p.requestsPerSecond), v => Number(v).toFixed(v < 10 ? 2 : 0)),
    lineChart('Error rate', series(p => (hasTraffic(p) ? p.errorRate : null)), v => fmt.percent(v)),
    lineChart('p50 latency', series(p => p.p50Ms), v => fmt.ms(v)),
    lineChart('p95 latency', series(p => p.p95Ms), v => fmt.ms(v)),
    lineChart('p99 latency', series(p => p.p99Ms), v => fmt.ms(v)),
  ];
}

function instance(i, lines) {
  return h('details', { className: 'instance' },
    h('summary', {}, `${i.id} `, badge(i.ready ? 'ready' : i.phase, i.ready ? 'healthy' : 'degraded'),
      ` r${i.revision}, pid ${i.pid ?? '-'}, port ${i.port}, ${i.restarts} restarts, CPU ${i.cpuPercent.toFixed(1)}%, ${fmt.bytes(i.residentBytes)}`,
      i.lastProblem ? ` — ${i.lastProblem}` : ''),
    lines.length === 0 ? h('p', { className: 'empty' }, 'No log lines yet.')
      : h('pre', { className: 'log', role: 'log', tabindex: '0', 'aria-label': `Last log lines of ${i.id}` }, lines.map(l => `${fmt.clock(l.time)} ${l.level.padEnd(5)} ${l.text}\n`)));
}
