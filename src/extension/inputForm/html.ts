/** The webview's page: the bundled script and stylesheet only, under a CSP that admits nothing else. */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

export function inputFormHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file));
  // Scripts only with the nonce (so nothing a description smuggles in runs); styles from the bundle, plus the
  // constructed stylesheets vscode-elements adopts (CSP does not govern those); data: images are vscode-elements' own.
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('inputForm.css')}" nonce="${nonce}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="form" aria-live="off">Loading the input form…</div>
<script nonce="${nonce}" src="${asset('inputForm.js')}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
