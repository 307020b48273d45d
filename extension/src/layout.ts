/**
 * The region graph as an ELK graph, and its layout by elkjs's layered (Sugiyama) algorithm.
 *
 * The nesting of the RVSDG is the nesting of the ELK graph: a λ, γ or θ node is a compound node
 * whose children are its regions, and a region is a compound node whose children are its nodes.
 * Each region is laid out on its own (ELK's SEPARATE_CHILDREN), bottom-up, so a region's size is
 * known before its owner is placed. Ports carry the dataflow across borders the way the RVSDG does:
 * a node's inputs are ports on its top side and its outputs on its bottom side; a region's
 * parameters are ports on its top border and its results on its bottom border. Inside a region,
 * each `edges` entry of the JSON is an ELK edge; inside a γ or θ, edges join the node's inputs to
 * its regions' parameters and the regions' results to its outputs (γ input 0, the predicate, and
 * a θ body's result 0, the repeat predicate, have no partner). A folded region is a leaf with the
 * same ports, so folding never changes how the surrounding region is wired.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode, ElkPort, LayoutOptions } from 'elkjs/lib/elk-api';

import { isStatePort, NodeJSON, PortJSON, RegionGraph, RegionJSON } from './model';

export type ShapeKind = 'struct' | 'region' | 'folded' | 'op';

/** What each ELK node, port and edge stands for. */
export interface ShapeInfo {
  kind: ShapeKind;
  /** The JSON node (struct, op) or region (region, folded) id. */
  ref: string;
  label: string;
  title: string;
  line: number | null;
  cls: string;
}

export interface PortInfo {
  name: string;
  state: boolean;
  side: 'NORTH' | 'SOUTH';
  predicate: boolean;
}

export interface EdgeInfo {
  value: string;
  state: boolean;
}

export interface Layout {
  root: ElkNode;
  shapes: Map<string, ShapeInfo>;
  ports: Map<string, PortInfo>;
  edges: Map<string, EdgeInfo>;
}

export const CHAR_WIDTH = 7.2; // 12px monospace
const PORT_SIZE = 6;
const PORT_GAP = 12;
const LEAF_HEIGHT = 26;

const BASE_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.portConstraints': 'FIXED_SIDE',
  'elk.spacing.nodeNode': '14',
  'elk.spacing.edgeNode': '8',
  'elk.spacing.edgeEdge': '5',
  'elk.layered.spacing.nodeNodeBetweenLayers': '22',
  'elk.layered.spacing.edgeNodeBetweenLayers': '8',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF'
};

function textWidth(text: string): number {
  return Math.ceil(text.length * CHAR_WIDTH);
}

export function portId(owner: string, role: 'i' | 'o' | 'p' | 'r', index: number): string {
  return `${owner}/${role}${index}`;
}

class Builder {
  readonly shapes = new Map<string, ShapeInfo>();
  readonly ports = new Map<string, PortInfo>();
  readonly edges = new Map<string, EdgeInfo>();
  private edgeCount = 0;

  constructor(private readonly graph: RegionGraph, private readonly folded: ReadonlySet<string>) {}

  private port(id: string, info: PortInfo): ElkPort {
    this.ports.set(id, info);
    return {
      id,
      width: PORT_SIZE,
      height: PORT_SIZE,
      layoutOptions: { 'elk.port.side': info.side }
    };
  }

  private edge(source: string, target: string, info: EdgeInfo): ElkExtendedEdge {
    const id = `e${this.edgeCount++}`;
    this.edges.set(id, info);
    return { id, sources: [source], targets: [target] };
  }

  /** The ports of a node: its inputs on top, its outputs below. */
  private nodePorts(n: NodeJSON): ElkPort[] {
    const ins = n.inputs.map((v, i) =>
      this.port(portId(n.id, 'i', i), {
        name: v,
        state: isStatePort(v, null),
        side: 'NORTH',
        predicate: n.kind === 'gamma' && i === 0
      })
    );
    const outs = n.outputs.map((p, i) =>
      this.port(portId(n.id, 'o', i), { name: p.name, state: isStatePort(p.name, p.type), side: 'SOUTH', predicate: false })
    );
    return [...ins, ...outs];
  }

  /** The ports of a region: its parameters on its top border, its results on its bottom border. */
  private regionPorts(r: RegionJSON): ElkPort[] {
    const params = r.params.map((p, i) =>
      this.port(portId(r.id, 'p', i), { name: p.name, state: isStatePort(p.name, p.type), side: 'NORTH', predicate: false })
    );
    const results = r.results.map((v, i) =>
      this.port(portId(r.id, 'r', i), {
        name: v,
        state: isStatePort(v, null),
        side: 'SOUTH',
        predicate: r.kind === 'theta-body' && i === 0
      })
    );
    return [...params, ...results];
  }

  private portsWidth(count: number): number {
    return count * PORT_GAP + PORT_GAP;
  }

  node(n: NodeJSON): ElkNode {
    const label = this.graph.label(n);
    const line = n.line;
    if (n.kind === 'op') {
      this.shapes.set(n.id, { kind: 'op', ref: n.id, label, title: this.graph.describe(n), line, cls: 'jl-op' });
      return {
        id: n.id,
        width: Math.max(textWidth(label) + 16, this.portsWidth(Math.max(n.inputs.length, n.outputs.length)), 40),
        height: LEAF_HEIGHT,
        ports: this.nodePorts(n),
        layoutOptions: { 'elk.portConstraints': 'FIXED_SIDE' }
      };
    }
    const header = n.kind === 'lambda' ? label : `${label}${line !== null ? ` · line ${line}` : ''}`;
    this.shapes.set(n.id, {
      kind: 'struct',
      ref: n.id,
      label: header,
      title: `${this.graph.describe(n)}\nclick the header to fold or unfold its regions`,
      line,
      cls: `jl-struct jl-${n.kind}`
    });
    const regions = n.regions.map(rid => this.region(this.graph.region(rid)));
    const edges: ElkExtendedEdge[] = [];
    for (const rid of n.regions) {
      const r = this.graph.region(rid);
      if (n.kind === 'gamma') {
        // entry variable k (γ input k + 1) becomes parameter k of every branch
        r.params.forEach((p, k) =>
          edges.push(this.edge(portId(n.id, 'i', k + 1), portId(rid, 'p', k), { value: p.name, state: isStatePort(p.name, p.type) }))
        );
        n.outputs.forEach((p, k) =>
          edges.push(this.edge(portId(rid, 'r', k), portId(n.id, 'o', k), { value: p.name, state: isStatePort(p.name, p.type) }))
        );
      } else if (n.kind === 'theta') {
        // loop variable k: input k -> parameter k ... result k + 1 -> output k
        r.params.forEach((p, k) =>
          edges.push(this.edge(portId(n.id, 'i', k), portId(rid, 'p', k), { value: p.name, state: isStatePort(p.name, p.type) }))
        );
        n.outputs.forEach((p, k) =>
          edges.push(this.edge(portId(rid, 'r', k + 1), portId(n.id, 'o', k), { value: p.name, state: isStatePort(p.name, p.type) }))
        );
      }
    }
    const minWidth = textWidth(header) + 20;
    return {
      id: n.id,
      ports: this.nodePorts(n),
      children: regions,
      edges,
      layoutOptions: {
        'elk.portConstraints': 'FIXED_SIDE',
        'elk.padding': '[top=26,left=10,bottom=12,right=10]',
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${minWidth},40)`,
        'elk.spacing.nodeNode': '18'
      }
    };
  }

  region(r: RegionJSON): ElkNode {
    const title = this.graph.regionTitle(r);
    const count = this.graph.countNodes(r.id);
    if (this.folded.has(r.id)) {
      const label = `${title} · ${count} node${count === 1 ? '' : 's'} ▸`;
      this.shapes.set(r.id, {
        kind: 'folded',
        ref: r.id,
        label,
        title: `${title}: folded (${count} nodes); click to unfold`,
        line: null,
        cls: 'jl-region jl-folded'
      });
      return {
        id: r.id,
        width: Math.max(textWidth(label) + 16, this.portsWidth(Math.max(r.params.length, r.results.length))),
        height: 30,
        ports: this.regionPorts(r),
        layoutOptions: { 'elk.portConstraints': 'FIXED_SIDE' }
      };
    }
    this.shapes.set(r.id, {
      kind: 'region',
      ref: r.id,
      label: title,
      title: `${title}: ${count} nodes; click an empty spot to fold`,
      line: null,
      cls: 'jl-region'
    });
    const children = r.nodes.map(id => this.node(this.graph.node(id)));
    const edges = (this.graph.edgesOf.get(r.id) ?? []).map(e => {
      const source = e.from.param !== undefined ? portId(r.id, 'p', e.from.param) : portId(e.from.node ?? '', 'o', e.from.port ?? 0);
      const target = e.to.result !== undefined ? portId(r.id, 'r', e.to.result) : portId(e.to.node ?? '', 'i', e.to.port ?? 0);
      return this.edge(source, target, { value: e.value, state: this.edgeIsState(r, e.value, e.from) });
    });
    return {
      id: r.id,
      ports: this.regionPorts(r),
      children,
      edges,
      layoutOptions: {
        'elk.portConstraints': 'FIXED_SIDE',
        'elk.padding': '[top=24,left=10,bottom=14,right=10]',
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${Math.max(textWidth(title) + 24, 60)},46)`
      }
    };
  }

  private edgeIsState(r: RegionJSON, value: string, from: { param?: number; node?: string; port?: number }): boolean {
    let port: PortJSON | undefined;
    if (from.param !== undefined) {
      port = r.params[from.param];
    } else if (from.node !== undefined) {
      port = this.graph.node(from.node).outputs[from.port ?? 0];
    }
    return isStatePort(value, port?.type ?? null);
  }
}

let elk: InstanceType<typeof ELK> | null = null;

/** Lay out the region graph with the regions in `folded` drawn as leaves. Coordinates are absolute. */
export async function layoutGraph(graph: RegionGraph, folded: ReadonlySet<string>): Promise<Layout> {
  const b = new Builder(graph, folded);
  const root: ElkNode = {
    id: 'root',
    children: graph.lambdas().map(n => b.node(n)),
    layoutOptions: {
      ...BASE_OPTIONS,
      'elk.direction': 'RIGHT',
      'elk.padding': '[top=8,left=8,bottom=8,right=8]',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT'
    }
  };
  elk = elk ?? new ELK();
  const laidOut = await elk.layout(root, { layoutOptions: BASE_OPTIONS });
  return { root: laidOut as ElkNode, shapes: b.shapes, ports: b.ports, edges: b.edges };
}
