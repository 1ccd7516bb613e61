// Export Report: the report as Markdown and JSON into the workspace's incident-reports/ folder. Never
// overwrites: a second export of the same minute gets its own name.
import fs from 'node:fs';
import path from 'node:path';
import { renderMarkdown } from '../engine/report/markdown.js';
import type { RunModel } from './runModel.js';

export const EXPORT_DIR = 'incident-reports';

export function exportReportFiles(run: RunModel, workspace: string): { markdown: string; json: string } {
  if (!run.report) throw new Error('This analysis has no report to export.');
  const dir = path.join(workspace, EXPORT_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const stamp = (run.startedAt || new Date().toISOString()).slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const slug = run.incident.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'incident';
  let base = `${stamp}-${slug}`;
  for (let n = 2; fs.existsSync(path.join(dir, `${base}.md`)) || fs.existsSync(path.join(dir, `${base}.json`)); n++) base = `${stamp}-${slug}-${n}`;
  const markdown = path.join(dir, `${base}.md`);
  const json = path.join(dir, `${base}.json`);
  // 'wx' refuses to replace a file that appeared in the meantime
  fs.writeFileSync(markdown, renderMarkdown(run.report), { flag: 'wx' });
  fs.writeFileSync(json, `${JSON.stringify({ runId: run.runId, startedAt: run.startedAt, ...run.report }, null, 2)}\n`, { flag: 'wx' });
  return { markdown, json };
}
