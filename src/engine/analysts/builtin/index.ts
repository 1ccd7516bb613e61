// The built-in analyst: a deterministic investigation through the same MCP tools a model would use, so it
// works on a machine with no model and its every step is visible.
import type { Analyst, AnalystContext } from '../../analysis/analyst.js';
import type { DraftReport } from '../../report/schema.js';
import { chooseWindow } from './analysisWindow.js';
import { conclude } from './conclusion.js';
import { dataOverview } from './dataOverview.js';
import { errorSitesOf } from './errorSites.js';
import { incidentTemplates } from './logChanges.js';
import { findOnset } from './onset.js';
import { findCandidates } from './suspects.js';

export class BuiltinAnalyst implements Analyst {
  readonly name = 'builtin' as const;
  readonly label = 'built-in';
  readonly plannedSteps = 4;

  async investigate(ctx: AnalystContext): Promise<DraftReport> {
    ctx.step('Finding the onset in metrics and logs…');
    const overview = await dataOverview(ctx.tools);
    const { window, anchorMs, notes } = chooseWindow(overview, ctx.incident, ctx.window ?? {});
    for (const message of notes) ctx.emit({ type: 'note', message });
    const onset = await findOnset(ctx.tools, window, anchorMs, overview.errorMetrics ?? true);
    ctx.emit({ type: 'note', message: onset.onset ? `onset ${onset.onset} (from ${onset.source === 'metric' ? onset.metricChange?.name : 'error lines in the logs'})` : 'no onset found: nothing rose above its baseline' });
    if (onset.zoom) {
      const z = onset.zoom;
      ctx.emit({
        type: 'note',
        message: `metrics were read at ${z.coarseResolutionSeconds} s steps (onset ${z.coarseOnset}); looked again at ${z.since} .. ${z.until} at ${z.resolutionSeconds ?? 60} s`,
      });
    }
    ctx.signal.throwIfAborted();

    ctx.step('Comparing log templates before and after the onset…');
    const templates = await incidentTemplates(ctx.tools, onset.onset, window, overview.logFiles);
    ctx.emit({ type: 'note', message: `${templates.length} new or spiking warning/error pattern(s)` });
    const sites = await errorSitesOf(ctx.tools, templates);
    if (sites.frames.length || sites.libraries.length) {
      const own = sites.frames.filter((f) => !f.library).map((f) => f.path);
      ctx.emit({ type: 'note', message: `the errors' stack frames name ${own.length} code location(s)${sites.libraries.length ? ` and the libraries ${sites.libraries.join(', ')}` : ''}` });
    }
    ctx.signal.throwIfAborted();

    ctx.step('Reading the deployments and commits shipped before the onset…');
    const suspects = await findCandidates(ctx.tools, onset.onset, window);
    ctx.emit({ type: 'note', message: `${suspects.candidates.length} candidate commit(s) from ${Math.min(suspects.deployments.length, 2)} deployment(s)` });
    ctx.signal.throwIfAborted();

    ctx.step('Ranking suspect commits and deciding the cause…');
    return conclude({ onset, templates, suspects, sites });
  }
}
