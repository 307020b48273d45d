/**
 * The interactive drawing: an SVG of the laid-out region graph beside a source panel, a toolbar and
 * a legend. Everything is plain DOM so it runs inside any JupyterLab output area.
 *
 *   click a region (an empty spot of it) or a folded box   fold / unfold that region
 *   click a γ/θ/λ header                                     fold / unfold all its regions
 *   hover a node / a source line                             highlight its line / its nodes
 *   wheel, drag                                              zoom about the pointer, pan
 *
 * The SVG is nested like the RVSDG (a region's <g> holds its nodes' <g>s), and every element
 * carries its JSON id in `data-id` and its source line in `data-line`, so tests and styles can
 * read the structure from the DOM.
 */
import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api';

import { Layout, layoutGraph } from './layout';
import { RegionGraph } from './model';

const SVG_NS = 'http://www.w3.org/2000/svg';

interface ViewBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    el.setAttribute(k, String(v));
  }
  return el;
}

function html<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = cls;
  if (text !== undefined) {
    el.textContent = text;
  }
  return el;
}

function tooltip(el: SVGElement, text: string): void {
  const t = svg('title');
  t.textContent = text;
  el.appendChild(t);
}

export class RegionGraphView {
  private readonly folded = new Set<string>();
  private readonly canvas: HTMLDivElement;
  private readonly svgEl: SVGSVGElement;
  private readonly sourcePanel: HTMLDivElement;
  private readonly status: HTMLSpanElement;
  private layout: Layout | null = null;
  private viewBox: ViewBox = { x: 0, y: 0, w: 100, h: 100 };
  private drag: { x: number; y: number; vb: ViewBox; moved: boolean } | null = null;
  private suppressClick = false;
  private renderToken = 0;

  constructor(private readonly host: HTMLElement, private readonly graph: RegionGraph) {
    host.textContent = '';
    const names = graph.data.functions.map(f => f.name).join(', ');
    const toolbar = html('div', 'jl-rgx-toolbar');
    toolbar.appendChild(html('span', 'jl-rgx-title', `region graph · ${names}`));
    this.status = html('span', 'jl-rgx-status');
    toolbar.appendChild(this.status);
    const buttons = html('span', 'jl-rgx-buttons');
    const button = (label: string, title: string, action: () => void): void => {
      const b = html('button', 'jl-rgx-button', label);
      b.title = title;
      b.dataset.action = title;
      b.addEventListener('click', action);
      buttons.appendChild(b);
    };
    button('+', 'zoom in', () => this.zoom(1 / 1.25));
    button('−', 'zoom out', () => this.zoom(1.25));
    button('fit', 'fit to view', () => this.fit());
    button('fold all', 'fold every γ and θ region', () => this.foldAll(true));
    button('unfold all', 'unfold every region', () => this.foldAll(false));
    toolbar.appendChild(buttons);
    host.appendChild(toolbar);

    const main = html('div', 'jl-rgx-main');
    this.canvas = html('div', 'jl-rgx-canvas');
    this.svgEl = svg('svg', { class: 'jl-rgx-svg', preserveAspectRatio: 'xMinYMin meet' });
    this.canvas.appendChild(this.svgEl);
    main.appendChild(this.canvas);
    this.sourcePanel = html('div', 'jl-rgx-source');
    main.appendChild(this.sourcePanel);
    host.appendChild(main);
    host.appendChild(this.legend());
    this.buildSourcePanel();
    this.bindPanZoom();
  }

  /** Lay the graph out (again) with the current folds and redraw it. */
  async render(): Promise<void> {
    const token = ++this.renderToken;
    this.status.textContent = 'laying out…';
    const layout = await layoutGraph(this.graph, this.folded);
    if (token !== this.renderToken) {
      return; // a newer fold arrived while this layout ran
    }
    this.layout = layout;
    this.svgEl.textContent = '';
    this.svgEl.appendChild(this.defs());
    const viewport = svg('g', { class: 'jl-rgx-viewport' });
    for (const child of layout.root.children ?? []) {
      viewport.appendChild(this.drawShape(child, 0));
    }
    this.svgEl.appendChild(viewport);
    const shown = this.svgEl.querySelectorAll('.jl-node').length;
    const total = this.graph.data.nodes.filter(n => n.kind === 'op').length;
    this.status.textContent = `${shown} of ${total} nodes shown${this.folded.size ? ` · ${this.folded.size} folded` : ''}`;
    this.host.dataset.nodes = String(shown);
    this.initialView();
  }

  private defs(): SVGDefsElement {
    const defs = svg('defs');
    for (const kind of ['value', 'state']) {
      const marker = svg('marker', {
        id: `jl-arrow-${kind}-${this.uid}`,
        viewBox: '0 0 8 8',
        refX: 7,
        refY: 4,
        markerWidth: 6,
        markerHeight: 6,
        orient: 'auto-start-reverse'
      });
      marker.appendChild(svg('path', { d: 'M0,0 L8,4 L0,8 z', class: `jl-arrowhead jl-${kind}` }));
      defs.appendChild(marker);
    }
    return defs;
  }

  private readonly uid = Math.random().toString(36).slice(2, 8);

  private drawShape(node: ElkNode, depth: number): SVGGElement {
    const layout = this.layout as Layout;
    const info = layout.shapes.get(node.id);
    const g = svg('g', { 'data-id': node.id, 'data-depth': depth });
    if (!info) {
      return g;
    }
    g.setAttribute('class', info.kind === 'op' ? 'jl-node jl-op' : info.cls);
    if (info.line !== null) {
      g.setAttribute('data-line', String(info.line));
    }
    const x = node.x ?? 0;
    const y = node.y ?? 0;
    const w = node.width ?? 0;
    const h = node.height ?? 0;
    const rect = svg('rect', { x, y, width: w, height: h, rx: info.kind === 'op' ? 4 : 6, class: 'jl-rgx-box' });
    g.appendChild(rect);
    if (info.kind === 'op') {
      const text = svg('text', { x: x + w / 2, y: y + h / 2 + 4, 'text-anchor': 'middle', class: 'jl-rgx-label' });
      text.textContent = info.label;
      g.appendChild(text);
      tooltip(g, info.title);
      this.bindHover(g, info.line);
    } else if (info.kind === 'folded') {
      const text = svg('text', { x: x + w / 2, y: y + h / 2 + 4, 'text-anchor': 'middle', class: 'jl-rgx-label' });
      text.textContent = info.label;
      g.appendChild(text);
      tooltip(g, info.title);
      g.addEventListener('click', ev => this.onClick(ev, [info.ref]));
    } else if (info.kind === 'region') {
      const text = svg('text', { x: x + 8, y: y + 15, class: 'jl-rgx-region-title' });
      text.textContent = info.label;
      g.appendChild(text);
      tooltip(rect, info.title);
      rect.addEventListener('click', ev => this.onClick(ev, [info.ref]));
      text.addEventListener('click', ev => this.onClick(ev, [info.ref]));
    } else {
      const header = svg('rect', { x, y, width: w, height: 22, rx: 6, class: 'jl-rgx-header' });
      g.appendChild(header);
      const text = svg('text', { x: x + 8, y: y + 15, class: 'jl-rgx-header-text' });
      text.textContent = info.label;
      g.appendChild(text);
      tooltip(header, info.title);
      const regions = this.graph.node(info.ref).regions;
      for (const el of [header, text]) {
        el.addEventListener('click', ev => this.onClick(ev as MouseEvent, regions));
      }
      this.bindHover(header, info.line);
    }
    for (const edge of node.edges ?? []) {
      g.appendChild(this.drawEdge(edge));
    }
    for (const child of node.children ?? []) {
      g.appendChild(this.drawShape(child, depth + 1));
    }
    for (const port of node.ports ?? []) {
      g.appendChild(this.drawPort(port));
    }
    return g;
  }

  private drawEdge(edge: ElkExtendedEdge): SVGGElement {
    const info = (this.layout as Layout).edges.get(edge.id);
    const kind = info?.state ? 'state' : 'value';
    const g = svg('g', { class: `jl-edge jl-${kind}`, 'data-value': info?.value ?? '' });
    for (const s of edge.sections ?? []) {
      const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
      const d = pts.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
      g.appendChild(svg('path', { d, class: 'jl-edge-hit' }));
      g.appendChild(svg('path', { d, class: 'jl-edge-line', 'marker-end': `url(#jl-arrow-${kind}-${this.uid})` }));
    }
    tooltip(g, `%${info?.value ?? '?'}${info?.state ? ' (state)' : ''}`);
    return g;
  }

  private drawPort(port: ElkPort): SVGRectElement {
    const info = (this.layout as Layout).ports.get(port.id);
    const cls = ['jl-port', info?.state ? 'jl-state' : 'jl-value', info?.predicate ? 'jl-predicate' : ''].join(' ');
    const r = svg('rect', { x: port.x ?? 0, y: port.y ?? 0, width: port.width ?? 6, height: port.height ?? 6, class: cls });
    tooltip(r, `%${info?.name ?? '?'}${info?.predicate ? ' (predicate)' : ''}`);
    return r;
  }

  // -- folding ----------------------------------------------------------------------------------
  private onClick(ev: MouseEvent, regions: string[]): void {
    ev.stopPropagation();
    if (this.suppressClick) {
      return;
    }
    const fold = regions.some(r => !this.folded.has(r));
    for (const r of regions) {
      if (fold) {
        this.folded.add(r);
      } else {
        this.folded.delete(r);
      }
    }
    void this.render();
  }

  private foldAll(fold: boolean): void {
    this.folded.clear();
    if (fold) {
      for (const r of this.graph.data.regions) {
        if (r.kind !== 'lambda-body') {
          this.folded.add(r.id);
        }
      }
    }
    void this.render();
  }

  // -- source panel and linked highlighting -----------------------------------------------------
  private buildSourcePanel(): void {
    const rows = this.graph.sourceLines();
    const hasText = rows.some(r => r.text !== null);
    this.sourcePanel.appendChild(html('div', 'jl-rgx-source-head', hasText ? 'source' : 'source lines'));
    const body = html('div', 'jl-rgx-source-body');
    for (const row of rows) {
      const div = html('div', 'jl-rgx-source-row');
      div.dataset.line = String(row.line);
      div.appendChild(html('span', 'jl-rgx-lineno', String(row.line)));
      const text = row.text !== null ? row.text : this.graph.opsOnLine(row.line).join(', ');
      div.appendChild(html('span', row.text !== null ? 'jl-rgx-code' : 'jl-rgx-ops', text || ' '));
      this.bindHover(div, row.line);
      body.appendChild(div);
    }
    if (!rows.length) {
      body.appendChild(html('div', 'jl-rgx-empty', 'no source locations in this IR'));
    }
    this.sourcePanel.appendChild(body);
  }

  private bindHover(el: Element, line: number | null): void {
    if (line === null) {
      return;
    }
    el.addEventListener('mouseenter', () => this.highlight(line));
    el.addEventListener('mouseleave', () => this.highlight(null));
  }

  /** Mark every node and source row of `line` (none for null). */
  highlight(line: number | null): void {
    for (const el of Array.from(this.host.querySelectorAll('.jl-hl'))) {
      el.classList.remove('jl-hl');
    }
    if (line === null) {
      return;
    }
    for (const el of Array.from(this.host.querySelectorAll(`[data-line="${line}"]`))) {
      el.classList.add('jl-hl');
    }
    const row = this.sourcePanel.querySelector(`.jl-rgx-source-row[data-line="${line}"]`);
    if (row && typeof (row as HTMLElement).scrollIntoView === 'function') {
      row.scrollIntoView({ block: 'nearest' });
    }
  }

  // -- zoom and pan ------------------------------------------------------------------------------
  private setViewBox(vb: ViewBox): void {
    this.viewBox = vb;
    this.svgEl.setAttribute('viewBox', `${vb.x} ${vb.y} ${vb.w} ${vb.h}`);
  }

  /** Show the whole graph in the canvas. */
  fit(): void {
    const root = this.layout?.root;
    if (!root) {
      return;
    }
    this.setViewBox({ x: 0, y: 0, w: Math.max(root.width ?? 100, 100), h: Math.max(root.height ?? 100, 60) });
  }

  /**
   * The first view: the graph's width fits the canvas, drawn no larger than 1:1, and the canvas is
   * as tall as the graph up to a limit (drag or wheel to see the rest of a tall graph).
   */
  private initialView(): void {
    const root = this.layout?.root;
    if (!root) {
      return;
    }
    const w = Math.max(root.width ?? 100, 100);
    const h = Math.max(root.height ?? 100, 60);
    const available = this.canvas.clientWidth || 700;
    const scale = Math.min(1, available / w);
    const height = Math.round(Math.min(Math.max(h * scale, 160), 640));
    this.canvas.style.height = `${height}px`;
    this.setViewBox({ x: 0, y: 0, w: available / scale, h: height / scale });
  }

  private zoom(factor: number, cx?: number, cy?: number): void {
    const vb = this.viewBox;
    const px = cx ?? vb.x + vb.w / 2;
    const py = cy ?? vb.y + vb.h / 2;
    const w = Math.min(Math.max(vb.w * factor, 20), 20000);
    const f = w / vb.w;
    this.setViewBox({ x: px - (px - vb.x) * f, y: py - (py - vb.y) * f, w, h: vb.h * f });
  }

  private toGraph(clientX: number, clientY: number): { x: number; y: number } {
    const ctm = this.svgEl.getScreenCTM();
    if (!ctm) {
      return { x: this.viewBox.x, y: this.viewBox.y };
    }
    const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
    return { x: p.x, y: p.y };
  }

  private bindPanZoom(): void {
    this.svgEl.addEventListener(
      'wheel',
      ev => {
        ev.preventDefault();
        const p = this.toGraph(ev.clientX, ev.clientY);
        this.zoom(Math.pow(1.0015, ev.deltaY), p.x, p.y);
      },
      { passive: false }
    );
    this.svgEl.addEventListener('pointerdown', ev => {
      if (ev.button !== 0) {
        return;
      }
      this.drag = { x: ev.clientX, y: ev.clientY, vb: { ...this.viewBox }, moved: false };
      this.suppressClick = false;
    });
    this.svgEl.addEventListener('pointermove', ev => {
      const d = this.drag;
      if (!d) {
        return;
      }
      const dx = ev.clientX - d.x;
      const dy = ev.clientY - d.y;
      if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) {
        return;
      }
      if (!d.moved) {
        d.moved = true;
        this.svgEl.setPointerCapture(ev.pointerId);
        this.svgEl.classList.add('jl-panning');
      }
      const ctm = this.svgEl.getScreenCTM();
      const scale = ctm ? ctm.a : 1;
      this.setViewBox({ ...d.vb, x: d.vb.x - dx / scale, y: d.vb.y - dy / scale });
    });
    const end = (ev: PointerEvent): void => {
      if (this.drag?.moved) {
        this.suppressClick = true; // the click that ends a drag folds nothing
        setTimeout(() => (this.suppressClick = false), 0);
        if (this.svgEl.hasPointerCapture(ev.pointerId)) {
          this.svgEl.releasePointerCapture(ev.pointerId);
        }
      }
      this.drag = null;
      this.svgEl.classList.remove('jl-panning');
    };
    this.svgEl.addEventListener('pointerup', end);
    this.svgEl.addEventListener('pointercancel', end);
  }

  // -- legend -----------------------------------------------------------------------------------
  private legend(): HTMLDivElement {
    const legend = html('div', 'jl-rgx-legend');
    const item = (swatch: string, label: string): void => {
      const span = html('span', 'jl-rgx-legend-item');
      span.appendChild(html('span', `jl-rgx-swatch ${swatch}`));
      span.appendChild(document.createTextNode(label));
      legend.appendChild(span);
    };
    item('jl-sw-lambda', 'λ function');
    item('jl-sw-gamma', 'γ branch (if)');
    item('jl-sw-theta', 'θ loop');
    item('jl-sw-region', 'region');
    item('jl-sw-op', 'operation');
    item('jl-sw-value', 'value edge');
    item('jl-sw-state', 'state edge (!io)');
    legend.appendChild(
      html('span', 'jl-rgx-hint', 'click a region or a γ/θ header to fold it · hover to link nodes and source lines · wheel to zoom, drag to pan')
    );
    return legend;
  }

  dispose(): void {
    this.renderToken++;
    this.host.textContent = '';
  }
}
