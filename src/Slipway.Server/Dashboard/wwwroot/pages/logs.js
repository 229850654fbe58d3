import { get, q } from '../api.js';
import { h, replace, fmt } from '../dom.js';
import { follow } from '../live.js';
import { failed } from '../app.js';

const LEVELS = ['', 'debug', 'info', 'warn', 'error'];
const MAX_LINES = 1000;

/** Search every service's logs by service, revision, level and text; follow new lines live. */
export async function logs({ main }) {
  const services = await get('/api/v1/services').catch(error => { failed(error); return []; });
  const field = (id, label, control) => h('div', { className: 'field' }, h('label', { for: id }, label), control);
  const service = h('select', { id: 'logs-service', name: 'service' }, h('option', { value: '' }, 'All'), services.map(s => h('option', { value: s.name }, s.name)));
  const revision = h('input', { id: 'logs-revision', name: 'revision', size: '4', autocomplete: 'off' });
  const level = h('select', { id: 'logs-level', name: 'level' }, LEVELS.map(l => h('option', { value: l }, l || 'any')));
  const grep = h('input', { id: 'logs-grep', name: 'grep', autocomplete: 'off', placeholder: 'regular expression' });
  const since = h('input', { id: 'logs-since', name: 'since', size: '6', value: '1h', autocomplete: 'off' });
  const followButton = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Follow live');
  const status = h('p', { className: 'help', role: 'status' });
  // role=log: a pre has no role that may carry a name, and these lines are a log that grows while followed.
  const output = h('pre', { className: 'log tall', role: 'log', tabindex: '0', 'aria-label': 'Log lines', 'data-testid': 'log-lines' });
  const form = h('form', { className: 'filters', 'aria-label': 'Search logs' },
    field('logs-service', 'Service', service), field('logs-revision', 'Revision', revision), field('logs-level', 'Level', level),
    field('logs-grep', 'Text', grep), field('logs-since', 'Since', since),
    h('div', { className: 'field' }, h('button', { type: 'submit' }, 'Search'), followButton));
  replace(main, h('h1', {}, 'Logs'), form, status, output);
  let stop = null;
  // Each search, and each start of following, supersedes the searches before it: a slow answer arriving later must
  // not overwrite newer lines or the status of a follow already started.
  let generation = 0;

  const query = () => {
    const parts = { service: service.value, revision: revision.value.trim(), level: level.value, grep: grep.value.trim() };
    return Object.entries(parts).filter(([, v]) => v).map(([k, v]) => `${k}=${q(v)}`).join('&');
  };
  const line = l => `${fmt.time(l.time)} ${l.instance.padEnd(14)} ${l.level.padEnd(5)} ${l.text}\n`;

  async function search() {
    const mine = ++generation;
    try {
      const s = since.value.trim();
      const lines = await get(`/api/v1/logs?${query()}${s ? `&since=${q(s)}` : ''}&limit=500`);
      if (mine !== generation) return;
      output.textContent = lines.map(line).join('');
      status.textContent = `${lines.length} line${lines.length === 1 ? '' : 's'}${lines.length === 500 ? ' (the newest 500)' : ''}.`;
      output.scrollTop = output.scrollHeight;
    } catch (error) {
      if (mine === generation) failed(error);
    }
  }

  function stopFollowing() {
    stop?.();
    stop = null;
    followButton.setAttribute('aria-pressed', 'false');
    followButton.textContent = 'Follow live';
  }

  followButton.addEventListener('click', () => {
    if (stop) { stopFollowing(); status.textContent = 'Stopped following.'; return; }
    generation++;
    followButton.setAttribute('aria-pressed', 'true');
    followButton.textContent = 'Stop following';
    status.textContent = 'Following new lines…';
    stop = follow(`/api/v1/logs/stream?${query()}`, l => {
      output.append(line(l));
      while (output.childNodes.length > MAX_LINES) output.firstChild.remove();
      output.scrollTop = output.scrollHeight;
    }, () => { stopFollowing(); status.textContent = 'The live log stream broke off; follow again when the daemon is back.'; });
  });
  form.addEventListener('submit', event => { event.preventDefault(); stopFollowing(); search(); });
  await search();
  return { refresh: search, dispose: stopFollowing };
}
