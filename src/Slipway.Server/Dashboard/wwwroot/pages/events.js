import { get } from '../api.js';
import { h, replace, fmt } from '../dom.js';
import { failed } from '../app.js';

const MAX = 500;

/** The event timeline, newest first, with new events added as they happen. */
export async function events({ main }) {
  const list = h('tbody');
  const row = e => h('tr', {}, h('td', {}, fmt.time(e.time)), h('td', {}, e.service), h('td', {}, e.instance ?? '-'), h('td', {}, e.kind), h('td', {}, e.message));
  replace(main, h('h1', {}, 'Events'), h('p', { className: 'help' }, 'New events appear at the top as they happen.'),
    h('div', { className: 'table-wrap', role: 'region', 'aria-label': 'Events', tabindex: '0' },
      h('table', { 'aria-label': 'Events' }, h('thead', {}, h('tr', {}, ['When (UTC)', 'Service', 'Instance', 'Kind', 'What'].map(x => h('th', { scope: 'col' }, x)))), list)));

  async function refresh() {
    try {
      const stored = await get(`/api/v1/events?limit=${MAX}`);
      replace(list, [...stored].reverse().map(row));
    } catch (error) {
      failed(error);
    }
  }

  await refresh();
  return {
    refresh,
    onEvent(e) {
      list.prepend(row(e));
      while (list.childElementCount > MAX) list.lastElementChild.remove();
    },
  };
}
