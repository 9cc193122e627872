/** The export formats, in a module of their own (no imports) so that the dataset viewer's webview can list them too. */
export const EXPORT_FORMATS = ['json', 'jsonl', 'csv', 'xml', 'html', 'rss', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}
