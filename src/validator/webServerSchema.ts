/** Web server schema: an OpenAPI document. The platform only needs a JSON object with an `openapi` key. */
import { isPlainObject } from './json';
import { Codes } from './codes';
import { describeType } from './messages';
import { Report, Site } from './report';

export function checkWebServerSchema(site: Site, report: Report, schema: unknown): void {
  if (!isPlainObject(schema)) {
    report.error(site, [], Codes.webServerSchema.notObject, `The web server schema must be an OpenAPI JSON object, not ${describeType(schema)}.`);
  } else if (!('openapi' in schema)) {
    report.error(site, [], Codes.webServerSchema.missingOpenapi, 'The web server schema must be an OpenAPI v3 document: add "openapi": "3.0.0" (or later).');
  }
}
