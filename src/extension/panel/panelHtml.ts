// The panel's page: no inline script or style, a fresh nonce per load, and a CSP that allows only this
// extension's own script and stylesheet. Everything shown comes in through messages as data.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'panel.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'));
  // The chart library's stylesheet, which the bundler puts beside panel.js.
  const chartStyle = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'panel.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${chartStyle}">
<link rel="stylesheet" href="${style}">
<title>Incident Analyzer</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="placeholder">Loading…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
