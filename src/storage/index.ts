/**
 * The storage library: the on-disk layout of datasets, key-value stores and request queues in both SDK dialects,
 * reading and writing them, item counts, dataset views and exports. The engine, the extension's trees and viewer and
 * the CLI use it; nothing else opens files under a storage root. No `vscode` import, no Docker.
 */
export { formatSize, MAX_IN_MEMORY_BYTES, StorageFileError, StorageFolder } from './files';
export { DatasetItemCache, datasetFolder, datasetItemCount, datasetPage, isItemFile, itemFile, readDatasetItem } from './datasetPages';
export type { DatasetItemFile } from './datasetPages';
export { fastItemCount, positionalItemCount } from './itemCount';
export { appendDatasetItems, knownItemCount } from './datasetWriter';
export { KeyValueStoreFiles } from './keyValueStore';
export { contentTypeOfFile, MAX_PREVIEW_BYTES, recordFileName, recordPreview } from './records';
export type { RecordPreview } from './records';
export { readListedRequest, requestFileNames, requestQueueCounts, requestQueuePage } from './requestListing';
export type { ListedRequest, RequestQueueCounts } from './requestListing';
export { checkRequest, requestIdOf, RequestQueueError, RequestQueueFiles } from './requestQueue';
export type { AddResult, QueueErrorKind, QueueHeadItem, QueueRequest } from './requestQueue';
export { newUrlSigningSecretKey, readStorageMetadata, STORAGE_METADATA_FILE, storageTimes, writeStorageMetadata } from './storageMetadata';
export type { StorageMetadata } from './storageMetadata';
export {
  checkKey,
  createStorages,
  deleteStorage,
  deleteStorages,
  isValidRecordKey,
  isValidStorageId,
  purgeDefaultStorages,
  readJsonRecordText,
  STORAGE_KINDS,
  storageOf,
  StorageReader,
  storeRecordFile,
  writeJsonRecord,
  writeJsonRecordText,
} from './storages';
export type { DefaultStorageIds, KeyValueRecord, StorageKind, StorageSummary } from './storages';
