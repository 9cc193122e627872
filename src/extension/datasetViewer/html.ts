/** The viewer's page: the bundled script and stylesheet only; scripts need the nonce, images may come from the web. */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

export function datasetViewerHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file));
  // Items are untrusted: nothing they hold can run (script-src is nonce-only and the page never parses their text as
  // HTML), but image fields are shown as thumbnails, so img-src admits http(s) and data: URLs.
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} https: http: data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('datasetViewer.css')}" nonce="${nonce}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="viewer">Loading the dataset…</div>
<script nonce="${nonce}" src="${asset('datasetViewer.js')}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
