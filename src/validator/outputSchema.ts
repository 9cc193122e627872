/** Output schema: the published meta-schema, plus a gentle check of template variables. */
import { Codes } from './codes';
import { isPlainObject } from './json';
import { quote, suggestSpelling } from './messages';
import { outputMetaSchema } from './metaSchemas';
import { Report, Site } from './report';
import { checkMetaSchema } from './schemaErrors';
import { QuickFix } from './types';

const LINKS = ['publicRunUrl', 'consoleRunUrl', 'apiRunUrl', 'apiDefaultDatasetUrl', 'apiDefaultKeyValueStoreUrl', 'containerRunUrl'];
const KNOWN_VARIABLES = [
  new RegExp(`^links\\.(${LINKS.join('|')})$`),
  /^run\.[A-Za-z]+$/,
  /^storages\.(datasets|keyValueStores)\.[A-Za-z][A-Za-z0-9_]*\.apiUrl$/,
];

/** The template variables that can be written out in full, to suggest the intended one for a misspelt variable. */
function spelledOutVariables(datasetAliases: readonly string[]): string[] {
  return [
    ...LINKS.map((link) => `links.${link}`),
    ...datasetAliases.map((alias) => `storages.datasets.${alias}.apiUrl`),
    'storages.keyValueStores.default.apiUrl',
  ];
}

/** Template variables in `{{ … }}`. */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((match) => match[1]);
}

/** `datasetAliases`: aliases declared in actor.json, to flag `storages.datasets.<unknown>`. */
export function checkOutputSchema(site: Site, report: Report, schema: unknown, datasetAliases: readonly string[] = ['default']): void {
  checkMetaSchema('output', schema, {
    site, report, codes: Codes.outputSchema, data: schema,
    knownKeys: (objectPath) => {
      if (objectPath.length === 0) return Object.keys(outputMetaSchema.properties);
      if (objectPath.length === 2 && objectPath[0] === 'properties') return ['type', 'title', 'description', 'template'];
      return [];
    },
  });
  if (!isPlainObject(schema) || !isPlainObject(schema.properties)) return;
  for (const [name, property] of Object.entries(schema.properties)) {
    if (!isPlainObject(property) || typeof property.template !== 'string') continue;
    for (const variable of templateVariables(property.template)) {
      const alias = /^storages\.datasets\.([^.]+)\./.exec(variable)?.[1];
      if (!KNOWN_VARIABLES.some((pattern) => pattern.test(variable))) {
        const template = property.template;
        const suggestion = suggestSpelling(variable, spelledOutVariables(datasetAliases));
        const fixes: QuickFix[] | undefined = suggestion
          ? [{ title: `Use {{${suggestion}}}`, changes: [site.replaceValue(['properties', name, 'template'], template.replace(variable, suggestion))], preferred: true }]
          : undefined;
        report.warning(site, ['properties', name, 'template'], Codes.outputSchema.unknownTemplateVariable,
          `Output ${quote(name)} uses {{${variable}}}, which is not a known template variable${suggestion ? `. Did you mean {{${suggestion}}}?` : ' (links.*, run.*, storages.datasets.<alias>.apiUrl, storages.keyValueStores.<alias>.apiUrl).'}`, { fixes });
      } else if (alias && !datasetAliases.includes(alias)) {
        report.warning(site, ['properties', name, 'template'], Codes.outputSchema.unknownDatasetAlias,
          `Output ${quote(name)} refers to dataset alias ${quote(alias)}, which actor.json does not declare in "storages.datasets".`);
      }
    }
  }
}
