/**
 * jitlab's JupyterLab extension: a MIME renderer for `application/vnd.jitlab.regions+json`.
 *
 * jitlab's notebook views (`RegionsView`, `IRView` of a module) send the RVSDG region graph as
 * data next to `text/html`; JupyterLab picks this renderer (its rank is below the HTML
 * renderer's) and draws the graph with elkjs. Other front ends show the HTML boxes.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { MIME_TYPE, RegionGraph, RegionsJSON, SourceJSON } from './model';
import { RegionGraphView } from './view';

export { MIME_TYPE } from './model';

export class RegionGraphRenderer extends Widget implements IRenderMime.IRenderer {
  private view: RegionGraphView | null = null;

  constructor(private readonly options: IRenderMime.IRendererOptions) {
    super();
    this.addClass('jl-rgx');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const raw = model.data[this.options.mimeType];
    const data = (typeof raw === 'string' ? JSON.parse(raw) : raw) as unknown as RegionsJSON;
    // The source may also come in the output's metadata: {"<mime>": {"source": ...}}.
    const meta = model.metadata?.[this.options.mimeType] as { source?: string | SourceJSON } | undefined;
    if (data.source === undefined && meta?.source !== undefined) {
      data.source = meta.source;
    }
    this.view?.dispose();
    try {
      this.view = new RegionGraphView(this.node, new RegionGraph(data));
      await this.view.render();
    } catch (err) {
      this.node.textContent = '';
      const pre = document.createElement('pre');
      pre.className = 'jl-rgx-error';
      pre.textContent = `jitlab: could not draw the region graph: ${err instanceof Error ? err.message : String(err)}`;
      this.node.appendChild(pre);
    }
  }

  dispose(): void {
    this.view?.dispose();
    this.view = null;
    super.dispose();
  }
}

export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true, // draws data only: no HTML or script from the payload is inserted
  mimeTypes: [MIME_TYPE],
  defaultRank: 40, // before text/html (50)
  createRenderer: options => new RegionGraphRenderer(options)
};

const extension: IRenderMime.IExtension = {
  id: 'jitlab:regions-renderer',
  description: 'Draws jitlab RVSDG region graphs as interactive, collapsible graphs.',
  rendererFactory,
  rank: 40,
  dataType: 'json'
};

export default extension;
