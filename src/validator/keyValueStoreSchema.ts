/** Key-value store schema: the published meta-schema with clearer wording for collections. */
import { Codes } from './codes';
import { quote } from './messages';
import { keyValueStoreMetaSchema } from './metaSchemas';
import { Report, Site } from './report';
import { checkMetaSchema } from './schemaErrors';


export function checkKeyValueStoreSchema(site: Site, report: Report, schema: unknown): void {
  checkMetaSchema('keyValueStore', schema, {
    site, report, codes: Codes.keyValueStoreSchema, data: schema,
    knownKeys: (objectPath) => (objectPath.length === 0 ? Object.keys(keyValueStoreMetaSchema.properties) : []),
    phrase: (error, path) => {
      const inCollection = path.length === 2 && path[0] === 'collections';
      if (inCollection && error.keyword === 'oneOf') {
        return { path, part: 'key', code: Codes.keyValueStoreSchema.keyOrPrefix, message: `Collection ${quote(path[1])} needs exactly one of "key" or "keyPrefix".` };
      }
      if (path.length === 3 && path[0] === 'collections' && path[2] === 'contentTypes' && error.keyword === 'const') {
        return { path, part: 'value', code: Codes.keyValueStoreSchema.jsonSchemaContentType, message: `Collection ${quote(path[1])} has a "jsonSchema", so "contentTypes" must be exactly ["application/json"].` };
      }
      return undefined;
    },
  });
}
