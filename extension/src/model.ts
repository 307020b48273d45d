/**
 * The region graph as jitlab sends it: `application/vnd.jitlab.regions+json`, schema
 * `jitlab.regions/1` (docs/regions-json.md). Nodes and regions are flat lists that name each other
 * by id; this module indexes them and answers the questions the layout and the view ask.
 */

export const MIME_TYPE = 'application/vnd.jitlab.regions+json';
export const SCHEMA = 'jitlab.regions/1';

export interface PortJSON {
  name: string;
  type: string | null;
}

export type NodeKind = 'lambda' | 'op' | 'gamma' | 'theta';

export interface NodeJSON {
  id: string;
  kind: NodeKind;
  op?: string;
  name?: string;
  attrs?: Record<string, string>;
  region: string | null;
  line: number | null;
  col: number | null;
  inputs: string[];
  outputs: PortJSON[];
  regions: string[];
}

export interface RegionJSON {
  id: string;
  owner: string;
  kind: 'lambda-body' | 'gamma-branch' | 'theta-body';
  index: number;
  params: PortJSON[];
  results: string[];
  nodes: string[];
}

export interface EdgeEnd {
  param?: number;
  node?: string;
  port?: number;
  result?: number;
}

export interface EdgeJSON {
  region: string;
  value: string;
  from: EdgeEnd;
  to: EdgeEnd;
}

/** Optional: the source the `line`s refer to (a string, or its text and the number of its first line). */
export interface SourceJSON {
  text: string;
  first_line?: number;
}

export interface RegionsJSON {
  schema: string;
  functions: { name: string; node: string }[];
  nodes: NodeJSON[];
  regions: RegionJSON[];
  edges: EdgeJSON[];
  source?: string | SourceJSON;
}

/** One line of the side panel: its number and text (`null` when the JSON carries no source). */
export interface SourceLine {
  line: number;
  text: string | null;
}

/** The `!io` state token and its renamings (`io`, `io.3`) are state; everything else is a value. */
export function isStatePort(name: string, type: string | null): boolean {
  return type === '!io' || name === 'io' || name.startsWith('io.');
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

export class RegionGraph {
  readonly nodes = new Map<string, NodeJSON>();
  readonly regions = new Map<string, RegionJSON>();
  /** Edges of each region, by region id. */
  readonly edgesOf = new Map<string, EdgeJSON[]>();

  constructor(readonly data: RegionsJSON) {
    if (data.schema !== SCHEMA) {
      throw new Error(`jitlab: unknown region graph schema ${JSON.stringify(data.schema)}, expected ${SCHEMA}`);
    }
    for (const n of data.nodes) {
      this.nodes.set(n.id, n);
    }
    for (const r of data.regions) {
      this.regions.set(r.id, r);
      this.edgesOf.set(r.id, []);
    }
    for (const e of data.edges) {
      this.edgesOf.get(e.region)?.push(e);
    }
  }

  node(id: string): NodeJSON {
    const n = this.nodes.get(id);
    if (!n) {
      throw new Error(`jitlab: region graph names a missing node ${id}`);
    }
    return n;
  }

  region(id: string): RegionJSON {
    const r = this.regions.get(id);
    if (!r) {
      throw new Error(`jitlab: region graph names a missing region ${id}`);
    }
    return r;
  }

  /** The λ nodes, one per function, in module order. */
  lambdas(): NodeJSON[] {
    return this.data.functions.map(f => this.node(f.node));
  }

  /** Every op node inside `regionId`, nested regions included. */
  countNodes(regionId: string): number {
    let count = 0;
    for (const id of this.region(regionId).nodes) {
      const n = this.node(id);
      count += 1;
      for (const r of n.regions) {
        count += this.countNodes(r);
      }
    }
    return count;
  }

  /** The short text drawn in a node's box. */
  label(n: NodeJSON): string {
    switch (n.kind) {
      case 'lambda':
        return `λ ${n.name ?? ''}`;
      case 'gamma':
        return 'γ gamma';
      case 'theta':
        return 'θ theta';
      default: {
        const op = (n.op ?? '?').replace(/^py\./, '');
        const attrs = Object.values(n.attrs ?? {}).map(unquote);
        const shown = attrs.length ? ` ${attrs.join(' ')}` : '';
        return (op + shown).length > 28 ? `${(op + shown).slice(0, 27)}…` : op + shown;
      }
    }
  }

  /** A node's full description for its tooltip. */
  describe(n: NodeJSON): string {
    const outs = n.outputs.map(p => `%${p.name}${p.type ? `: ${p.type}` : ''}`).join(', ');
    const ins = n.inputs.map(v => `%${v}`).join(', ');
    const attrs = Object.entries(n.attrs ?? {}).map(([k, v]) => `${k} = ${v}`).join(', ');
    const head = n.kind === 'op' ? `${n.op}${attrs ? ` {${attrs}}` : ''}` : this.label(n);
    const loc = n.line !== null ? `\nline ${n.line}${n.col !== null ? `:${n.col}` : ''}` : '';
    return `${outs ? `${outs} = ` : ''}${head}(${ins})${loc}`;
  }

  regionTitle(r: RegionJSON): string {
    if (r.kind === 'gamma-branch') {
      const owner = this.node(r.owner);
      const names = owner.regions.length === 2 ? [' (false)', ' (true)'] : [];
      return `branch ${r.index}${names[r.index] ?? ''}`;
    }
    return r.kind === 'theta-body' ? 'loop body' : 'body';
  }

  /** Rows for the source panel: the source text when the JSON has it, otherwise every line nodes name. */
  sourceLines(): SourceLine[] {
    const src = this.data.source;
    if (src !== undefined && src !== null) {
      const text = typeof src === 'string' ? src : src.text;
      const first = typeof src === 'string' ? 1 : src.first_line ?? 1;
      const rows = text.replace(/\n$/, '').split('\n');
      return rows.map((t, i) => ({ line: first + i, text: t }));
    }
    const lines = new Set<number>();
    for (const n of this.data.nodes) {
      if (n.line !== null) {
        lines.add(n.line);
      }
    }
    return [...lines].sort((a, b) => a - b).map(line => ({ line, text: null }));
  }

  /** The ops a source line produced, for the panel when there is no source text. */
  opsOnLine(line: number): string[] {
    return this.data.nodes.filter(n => n.line === line).map(n => this.label(n));
  }
}
