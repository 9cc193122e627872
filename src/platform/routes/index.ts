/** The local Apify API: every route module and the URL aliases resolved before routing. */
import type { RouteModule, UrlRewrite } from '../server';
import { actorRoutes } from './acts';
import { aliasRewrites, aliasRoutes } from './aliases';
import { buildRoutes } from './builds';
import { chargeRoutes } from './charges';
import { datasetRoutes } from './datasets';
import { keyValueStoreRoutes } from './keyValueStores';
import { logRoutes } from './logs';
import { requestQueueRoutes } from './requestQueues';
import { runRoutes } from './runs';
import { taskRoutes } from './tasks';
import { userRoutes } from './users';
import { webhookRoutes } from './webhooks';

export const API_ROUTES: RouteModule[] = [
  userRoutes,
  actorRoutes,
  runRoutes,
  chargeRoutes,
  webhookRoutes,
  taskRoutes,
  buildRoutes,
  logRoutes,
  aliasRoutes,
  datasetRoutes,
  keyValueStoreRoutes,
  requestQueueRoutes,
];

export const API_REWRITES: UrlRewrite[] = aliasRewrites;
