// Building DOM without innerHTML: every value from the daemon goes in as text, never as markup.

export function h(tag, attrs, ...children) {
  const element = document.createElementNS(tag.startsWith('svg:') ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml', tag.replace(/^svg:/, ''));
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key === 'text') element.textContent = String(value);
    else element.setAttribute(key === 'className' ? 'class' : key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces an element's children, keeping keyboard focus on the control with the same data-key if it is redrawn,
 * and what the user typed into such a control: live updates redraw forms while someone fills them in.
 */
export function replace(element, ...children) {
  const key = document.activeElement?.closest?.('[data-key]')?.dataset.key;
  const typed = [...element.querySelectorAll('input[data-key], textarea[data-key]')]
    .filter(control => control.value !== control.defaultValue)
    .map(control => [control.dataset.key, control.value]);
  element.replaceChildren();
  append(element, children);
  for (const [typedKey, value] of typed) {
    const control = element.querySelector(`[data-key="${CSS.escape(typedKey)}"]`);
    if (control && 'value' in control) control.value = value;
  }
  if (key) element.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
}

/** A table with a header row; rows are arrays of cells (strings or nodes). Wrapped so it scrolls on a phone. */
export function table(label, headers, rows, empty = 'None.') {
  if (rows.length === 0) return h('p', { className: 'empty' }, empty);
  return h('div', { className: 'table-wrap', role: 'region', 'aria-label': label, tabindex: '0' },
    h('table', { 'aria-label': label },
      h('thead', {}, h('tr', {}, headers.map(x => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map(row => h('tr', {}, row.map(cell => h('td', {}, cell)))))));
}

export function badge(text, kind) {
  return h('span', { className: `badge ${kind ?? text}` }, text);
}

export const fmt = {
  time(value) {
    if (!value) return '-';
    const date = new Date(value);
    return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  },
  clock(value) {
    return value ? new Date(value).toISOString().slice(11, 19) : '-';
  },
  seconds(value) {
    if (value === null || value === undefined) return '-';
    if (value < 60) return `${Number(value).toFixed(1)}s`;
    const part = (n, unit) => (n ? `${n}${unit}` : '');
    if (value < 3600) return `${Math.floor(value / 60)}m${part(Math.round(value % 60), 's')}`;
    return `${Math.floor(value / 3600)}h${part(Math.round((value % 3600) / 60), 'm')}`;
  },
  percent(value, digits = 1) {
    return `${(Number(value) * 100).toFixed(digits)}%`;
  },
  bytes(value) {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let n = Number(value);
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
  },
  ms(value) {
    return value === null || value === undefined ? '-' : `${Number(value).toFixed(value < 10 ? 1 : 0)} ms`;
  },
};

/** "r3 20% · r2 80%": a rollout's split, biggest revision number first. */
export function weights(service) {
  const split = service.rollout && !service.rollout.outcome ? service.rollout.weights : null;
  if (!split) return service.revision ? `r${service.revision} 100%` : '-';
  return Object.entries(split)
    .sort((a, b) => Number(b[0]) - Number(a[0]))
    .map(([revision, weight]) => `r${revision} ${weight}%`)
    .join(' · ');
}
