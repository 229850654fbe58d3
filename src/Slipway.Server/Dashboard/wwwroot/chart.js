// A small SVG line chart, one line per revision, with its numbers in a table for screen readers and keyboards.
// Hand-written rather than a charting library: a few dozen lines, no canvas (text stays text), no dependency.

import { h, table } from './dom.js';

const WIDTH = 320;
const HEIGHT = 120;
const PAD = { left: 44, right: 8, top: 8, bottom: 18 };
export const COLORS = ['#1f5fbf', '#b3261e', '#1e7d32', '#8a4b00', '#6a1b9a', '#00695c'];

/**
 * @param {string} title e.g. "Requests/s"
 * @param {{name: string, points: [number, number|null][]}[]} series time (ms) and value; null leaves a gap
 * @param {(v: number) => string} format how a value is written
 */
export function lineChart(title, series, format) {
  const values = series.flatMap(s => s.points.map(p => p[1])).filter(v => v !== null && v !== undefined);
  const times = series.flatMap(s => s.points.map(p => p[0]));
  const max = Math.max(...values, 0) || 1;
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = t => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (WIDTH - PAD.left - PAD.right);
  const y = v => HEIGHT - PAD.bottom - (v / max) * (HEIGHT - PAD.top - PAD.bottom);
  const lines = series.map((s, i) => {
    let d = '';
    let pen = false;
    for (const [t, v] of s.points) {
      if (v === null || v === undefined) { pen = false; continue; }
      d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    }
    return h('svg:path', { d: d || 'M0,0', fill: 'none', stroke: COLORS[i % COLORS.length], 'stroke-width': '1.5' });
  });
  const latest = series.map(s => [...s.points].reverse().find(p => p[1] !== null && p[1] !== undefined));
  // The newest point of each revision is marked, so a revision with one step of traffic still shows.
  const marks = latest.map((p, i) => p ? h('svg:circle', { cx: x(p[0]).toFixed(1), cy: y(p[1]).toFixed(1), r: '2.5', fill: COLORS[i % COLORS.length] }) : null);
  const summary = series.map((s, i) => `r${s.name}: ${latest[i] ? format(latest[i][1]) : 'no requests'}`).join(', ');
  const svg = h('svg:svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `${title}, latest: ${summary || 'no traffic'}` },
    h('svg:line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(0), y2: y(0), stroke: '#767676' }),
    h('svg:line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(max), y2: y(max), stroke: '#d0d0d0' }),
    h('svg:text', { x: PAD.left - 4, y: y(max) + 4, 'text-anchor': 'end', 'font-size': '10' }, format(max)),
    h('svg:text', { x: PAD.left - 4, y: y(0) + 4, 'text-anchor': 'end', 'font-size': '10' }, format(0)),
    h('svg:text', { x: PAD.left, y: HEIGHT - 4, 'font-size': '10' }, times.length ? new Date(t0).toISOString().slice(11, 16) : ''),
    h('svg:text', { x: WIDTH - PAD.right, y: HEIGHT - 4, 'text-anchor': 'end', 'font-size': '10' }, times.length ? new Date(t1).toISOString().slice(11, 16) : ''),
    lines, marks);
  const legend = h('ul', { className: 'legend' }, series.map((s, i) =>
    h('li', {}, h('span', { className: 'swatch', 'aria-hidden': 'true', 'data-color': String(i % COLORS.length) }), `r${s.name}`, latest[i] ? ` ${format(latest[i][1])}` : '')));
  const rows = series.flatMap(s => s.points.filter(p => p[1] !== null && p[1] !== undefined).slice(-10).map(p => [`r${s.name}`, new Date(p[0]).toISOString().slice(11, 19), format(p[1])]));
  return h('figure', { className: 'chart' },
    h('figcaption', {}, title),
    series.length === 0 ? h('p', { className: 'empty' }, 'No traffic in this window.') : [svg, legend],
    h('details', {}, h('summary', {}, `${title}: numbers`), table(`${title} numbers`, ['Revision', 'Time (UTC)', title], rows, 'No traffic in this window.')));
}
