// Read-only documents of incident journals (incident-analyzer-incident:/INC-3.txt), fetched from the incidents
// server when opened and refreshed after each change made here, so the same view works for the file store and
// for PostgreSQL.
import * as vscode from 'vscode';
import { journalText } from './journalText.js';
import type { Incident } from './incidentsClient.js';

export const JOURNAL_SCHEME = 'incident-analyzer-incident';

export function journalUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: JOURNAL_SCHEME, path: `/${id}.txt` });
}

export function incidentIdOf(uri: vscode.Uri): string {
  return uri.path.replace(/^\//, '').replace(/\.txt$/, '');
}

export class JournalDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly fetch: (id: string) => Promise<Incident>) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = incidentIdOf(uri);
    try {
      return journalText(await this.fetch(id));
    } catch (err) {
      return `${id}: ${(err as Error).message}\n`;
    }
  }

  /** Tells VS Code to read the journals that are open again. */
  refresh(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === JOURNAL_SCHEME) this.changed.fire(doc.uri);
  }
}
