// The "Signals" section under a report: a small chart per cited metric (uPlot, drawn on canvas, so nothing from the
// data ever becomes markup) with the deployments as dashed markers, the onset as a line and the cited points
// ringed; then the log templates that are new or spiking since the onset, as before/after bars. Colours come from
// the theme's variables and are re-read when the theme changes. Each chart takes keyboard focus: ←/→ walk the
// points, and the legend reads out the time and value.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartSeries, ReportSignals, TemplateBar } from '../src/extension/panel/reportSignals.js';

type El = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) => HTMLElementTagNameMap[K];

interface Colours {
  line: string;
  text: string;
  grid: string;
  deployment: string;
  onset: string;
  cited: string;
  width: number;
}

function themeColours(): Colours {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const text = v('--vscode-foreground', '#888');
  return {
    line: highContrast ? text : v('--vscode-charts-blue', '#3794ff'),
    text,
    grid: highContrast ? v('--vscode-contrastBorder', text) : v('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)'),
    deployment: v('--vscode-charts-purple', '#b180d7'),
    onset: v('--vscode-charts-red', '#f14c4c'),
    cited: v('--vscode-charts-orange', '#d18616'),
    width: highContrast ? 2.5 : 1.5,
  };
}

const utc = (t: number) => new Date(t * 1000).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, 'Z');

export class SignalsView {
  readonly root: HTMLElement;
  private charts: Array<{ plot: uPlot; series: ChartSeries }> = [];
  private readonly watchers: Array<{ disconnect(): void }> = [];

  constructor(
    private readonly signals: ReportSignals,
    private readonly el: El,
  ) {
    this.root = el('section', 'signals');
    this.root.setAttribute('aria-label', 'Signals');
    if (signals.series.length) this.root.append(el('h2', undefined, 'Signals'), ...signals.series.map((s) => this.figure(s)));
    if (signals.templates.length) this.root.append(this.templateList(signals.templates));
    this.root.hidden = signals.series.length === 0 && signals.templates.length === 0;
  }

  /** Draws the charts; called once the section is in the page (uPlot measures its container). */
  mount(): void {
    this.draw();
    // A theme change swaps the body's class and the variables on <html>; redraw once both have happened.
    let pending = false;
    const themeWatch = new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        this.draw();
      });
    });
    themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
    const resize = new ResizeObserver(() => {
      for (const { plot } of this.charts) plot.setSize({ width: this.chartWidth(), height: plot.height });
    });
    resize.observe(this.root);
    this.watchers.push(themeWatch, resize);
  }

  dispose(): void {
    for (const w of this.watchers.splice(0)) w.disconnect();
    for (const { plot } of this.charts.splice(0)) plot.destroy();
  }

  private figure(series: ChartSeries): HTMLElement {
    const figure = this.el('figure', 'signal');
    const name = `${series.metric}${series.service ? ` (${series.service})` : ''}`;
    const caption = this.el('figcaption', undefined, name);
    // Honest about summaries: a cited point can stand above a line of window means.
    if (series.windowMinutes) caption.append(this.el('span', 'signal-note', ` · means of ${series.windowMinutes}-minute windows; cited points as recorded`));
    figure.append(caption);
    const canvasHolder = this.el('div', 'signal-chart');
    canvasHolder.tabIndex = 0;
    canvasHolder.dataset.metric = series.metric;
    canvasHolder.setAttribute('role', 'img');
    canvasHolder.setAttribute('aria-label', describe(name, series, this.signals));
    figure.append(canvasHolder);
    return figure;
  }

  private draw(): void {
    for (const { plot } of this.charts.splice(0)) plot.destroy();
    const colours = themeColours();
    for (const holder of this.root.querySelectorAll<HTMLElement>('.signal-chart')) {
      const series = this.signals.series.find((s) => s.metric === holder.dataset.metric);
      if (!series) continue;
      holder.replaceChildren();
      const plot = new uPlot(this.options(series, colours), [series.points.map((p) => p[0]), series.points.map((p) => p[1])], holder);
      this.charts.push({ plot, series });
      holder.onkeydown = (event) => walk(plot, series, event);
    }
  }

  private chartWidth(): number {
    return Math.max(240, Math.min(this.root.clientWidth || 600, 900));
  }

  private options(series: ChartSeries, c: Colours): uPlot.Options {
    const axis = { stroke: c.text, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } };
    // 24-hour UTC times, as everywhere in the report; the date on the first tick only.
    const timeAxis = { ...axis, values: (_u: uPlot, ticks: number[]) => ticks.map((t, i) => (i === 0 ? `${utc(t).slice(0, 10)}\n${utc(t).slice(11, 16)}` : utc(t).slice(11, 16))) };
    return {
      width: this.chartWidth(),
      height: 150,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true, range: () => [this.signals.from, this.signals.to] } },
      series: [
        { label: 'UTC', value: (_u, t) => (t == null ? '–' : utc(t)) },
        { label: series.metric, stroke: c.line, width: c.width, points: { show: false } },
      ],
      axes: [timeAxis, { ...axis, size: 56 }],
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      legend: { live: true },
      hooks: { draw: [(u) => drawMarks(u, series, this.signals, c)] },
    };
  }

  private templateList(templates: TemplateBar[]): HTMLElement {
    const section = this.el('div', 'templates');
    section.append(this.el('h3', undefined, 'Log templates since the onset (before → after)'));
    const most = Math.max(1, ...templates.map((t) => Math.max(t.count, t.baselineCount)));
    const list = this.el('ul', 'template-bars');
    for (const t of templates) {
      const row = this.el('li', `template ${t.trend}`);
      const label = this.el('code', 'template-text', t.template);
      label.title = t.example ? `${t.template}\n${t.example.file}:${t.example.line}` : t.template;
      const bars = this.el('div', 'bars');
      bars.append(bar(this.el, 'before', t.baselineCount, most), bar(this.el, 'after', t.count, most));
      row.append(this.el('span', 'trend', t.trend), label, bars);
      row.setAttribute('aria-label', `${t.trend}: ${t.template}: ${t.baselineCount} lines before, ${t.count} after`);
      list.append(row);
    }
    section.append(list);
    return section;
  }
}

function bar(el: El, kind: 'before' | 'after', count: number, most: number): HTMLElement {
  const wrap = el('div', `bar ${kind}`);
  const fill = el('span', 'fill');
  fill.style.width = `${(100 * count) / most}%`; // CSSOM, which the panel's CSP allows (a style attribute it would not)
  wrap.append(fill, el('span', 'count', String(count)));
  return wrap;
}

/** Deployments (dashed, labelled), the onset (solid) and the cited points (ringed), on the plot's canvas. */
function drawMarks(u: uPlot, series: ChartSeries, signals: ReportSignals, c: Colours): void {
  const { ctx } = u;
  const { top, height } = u.bbox;
  const ratio = devicePixelRatio || 1;
  const vertical = (t: number, colour: string, dash: number[], label?: string) => {
    const x = Math.round(u.valToPos(t, 'x', true));
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.lineWidth = c.width * ratio;
    ctx.setLineDash(dash.map((d) => d * ratio));
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    if (label) {
      ctx.fillStyle = colour;
      ctx.font = `${11 * ratio}px sans-serif`;
      ctx.fillText(label, x + 4 * ratio, top + 12 * ratio);
    }
    ctx.restore();
  };
  for (const d of signals.deployments) vertical(d.t, c.deployment, [5, 4], d.label);
  if (signals.onset !== undefined) vertical(signals.onset, c.onset, [], 'onset');
  ctx.save();
  ctx.strokeStyle = c.cited;
  ctx.fillStyle = c.cited;
  ctx.lineWidth = 2 * ratio;
  ctx.font = `${11 * ratio}px sans-serif`;
  for (const point of series.cited) {
    const x = u.valToPos(point.t, 'x', true);
    const y = u.valToPos(point.value, 'y', true);
    ctx.beginPath();
    ctx.arc(x, y, 5 * ratio, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.fillText(point.id, x + 7 * ratio, y - 6 * ratio);
  }
  ctx.restore();
}

/** ←/→ move the cursor from point to point (Home/End: the ends), so the legend reads out each value. */
function walk(u: uPlot, series: ChartSeries, event: KeyboardEvent): void {
  const last = series.points.length - 1;
  const now = u.cursor.idx ?? -1;
  const next = event.key === 'ArrowRight' ? Math.min(last, now + 1) : event.key === 'ArrowLeft' ? Math.max(0, now < 0 ? last : now - 1) : event.key === 'Home' ? 0 : event.key === 'End' ? last : undefined;
  if (next === undefined) return;
  event.preventDefault();
  const [t, value] = series.points[next]!;
  u.setCursor({ left: u.valToPos(t, 'x'), top: u.valToPos(value, 'y') });
}

function describe(name: string, series: ChartSeries, signals: ReportSignals): string {
  const peak = series.points.reduce((a, b) => (b[1] > a[1] ? b : a));
  const parts = [`${name} from ${utc(signals.from)} to ${utc(signals.to)}; highest ${peak[1]} at ${utc(peak[0])}`];
  if (signals.onset !== undefined) parts.push(`onset ${utc(signals.onset)}`);
  for (const d of signals.deployments) parts.push(`deployment ${d.label} at ${utc(d.t)}`);
  for (const p of series.cited) parts.push(`cited ${p.id}: ${p.value} at ${utc(p.t)}`);
  return `${parts.join('; ')}. Use the left and right arrow keys to read each point.`;
}
