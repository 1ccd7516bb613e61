// Runs an analysis over a fixture scenario with the real bundled servers.
import fs from 'node:fs';
import path from 'node:path';
import { buildServerList } from '../../src/engine/config/serverList';
import { McpClientManager } from '../../src/engine/mcp/clientManager';
import { runAnalysis, type RunResult } from '../../src/engine/analysis/run';
import type { Analyst } from '../../src/engine/analysis/analyst';
import type { AnalysisEvent } from '../../src/engine/analysis/events';
import { fixturesDir, repoRoot } from './servers';

export interface Scenario {
  name: string;
  dir: string;
  incident: string;
  window?: { since?: string; until?: string };
  expected: { culpritCommitSubject: string | null; category: string; onset: string };
}

export function scenarios(): Scenario[] {
  return fs
    .readdirSync(fixturesDir)
    .filter((name) => fs.existsSync(path.join(fixturesDir, name, 'scenario.json')))
    .map((name) => {
      const dir = path.join(fixturesDir, name);
      return { name, dir, ...JSON.parse(fs.readFileSync(path.join(dir, 'scenario.json'), 'utf8')) };
    });
}

export function fixtureManager(dir: string): { manager: McpClientManager; skipped: Array<{ name: string; reason: string }> } {
  const { servers, skipped } = buildServerList({
    sources: { workspace: dir, repo: path.join(dir, 'repo') },
    serversDir: path.join(repoRoot, 'dist', 'servers'),
  });
  return { manager: new McpClientManager(servers), skipped };
}

export async function analyseFixture(
  scenario: Scenario,
  analyst: Analyst,
  options: { transcriptPath?: string; signal?: AbortSignal } = {},
): Promise<{ result: RunResult; events: AnalysisEvent[] }> {
  const { manager, skipped } = fixtureManager(scenario.dir);
  const events: AnalysisEvent[] = [];
  try {
    const result = await runAnalysis({
      incident: scenario.incident,
      analyst,
      manager,
      skippedServers: skipped,
      onEvent: (e) => events.push(e),
      ...options,
    });
    return { result, events };
  } finally {
    await manager.stop();
  }
}
