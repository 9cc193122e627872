// exceljs's streaming workbook writer on its own: the package's entry point also brings in the workbook reader, CSV and
// jszip, which would double the xlsx bundle. Typed as the same class the package exports.
declare module 'exceljs/lib/stream/xlsx/workbook-writer' {
  import type { stream } from 'exceljs';
  const WorkbookWriter: typeof stream.xlsx.WorkbookWriter;
  export = WorkbookWriter;
}
