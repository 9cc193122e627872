/** The local Apify platform: API v2 and events channel over the workspace's engines and storages. No `vscode` import. */
export { ApiError } from './errors';
export { RouteLatency, RouteLatencySummary } from './routeLatency';
export { createPlatformApp, MAX_REQUEST_BODY_BYTES, PlatformContext, PlatformServer, PlatformServerOptions, RouteModule, startPlatformServer } from './server';
export { newRunToken, newUserToken } from './tokens';
export { eventsChannel, runEventsPath, runEventsUrl } from './events';
export { API_ROUTES, API_REWRITES } from './routes';
export { storageLocator, StorageLocator } from './storageAccess';
export type { LocatedStorage } from './storageAccess';
