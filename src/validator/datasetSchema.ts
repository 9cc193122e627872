/** Dataset schema: the published meta-schema, plus warnings about views that cannot show what they name. */
import { Codes } from './codes';
import { isPlainObject } from './json';
import { quote } from './messages';
import { datasetMetaSchema } from './metaSchemas';
import { Report, Site } from './report';
import { checkMetaSchema } from './schemaErrors';


export function checkDatasetSchema(site: Site, report: Report, schema: unknown): void {
  checkMetaSchema('dataset', schema, {
    site, report, codes: Codes.datasetSchema, data: schema,
    knownKeys: (objectPath) => (objectPath.length === 0 ? Object.keys(datasetMetaSchema.properties) : []),
    phrase: (error, path) => {
      if (path.length === 0 && error.keyword === 'anyOf') {
        return { path, part: 'value', code: Codes.datasetSchema.missingProperty, message: 'A dataset schema needs "actorSpecification": 1 and at least one of "fields" or "views".' };
      }
      if (path.length === 2 && path[0] === 'views' && error.keyword === 'anyOf') {
        return { path, part: 'key', code: Codes.datasetSchema.incompleteView, message: `View ${quote(path[1])} needs a "title" and a "transformation" or "display".` };
      }
      return undefined;
    },
  });
  if (isPlainObject(schema)) checkViews(site, report, schema);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

function checkViews(site: Site, report: Report, schema: Record<string, unknown>): void {
  if (!isPlainObject(schema.views)) return;
  const fieldProperties = isPlainObject(schema.fields) && isPlainObject(schema.fields.properties) ? Object.keys(schema.fields.properties) : undefined;
  for (const [viewId, view] of Object.entries(schema.views)) {
    if (!isPlainObject(view)) continue;
    const transformation = isPlainObject(view.transformation) ? view.transformation : {};
    const selected = stringList(transformation.fields);
    const flattened = stringList(transformation.flatten) ?? [];
    if (selected && fieldProperties && !fieldProperties.includes('*')) {
      selected.forEach((name, index) => {
        if (!fieldProperties.includes(name.split('.')[0])) {
          report.warning(site, ['views', viewId, 'transformation', 'fields', index], Codes.datasetSchema.unknownTransformationField,
            `View ${quote(viewId)} selects ${quote(name)}, which is not among the properties in "fields". Check the spelling or describe the field.`);
        }
      });
    }
    const display = isPlainObject(view.display) && isPlainObject(view.display.properties) ? view.display.properties : undefined;
    if (!display || !selected) continue;
    for (const property of Object.keys(display)) {
      const produced = selected.includes(property) || flattened.some((flat) => property.startsWith(`${flat}.`) && selected.includes(flat));
      if (!produced) {
        report.warning(site, ['views', viewId, 'display', 'properties', property], Codes.datasetSchema.displayPropertyNotProduced,
          `View ${quote(viewId)} displays ${quote(property)}, but its transformation does not produce it (add it to "transformation.fields"${property.includes('.') ? ' and flatten its parent' : ''}).`, { part: 'key' });
      }
    }
  }
}
