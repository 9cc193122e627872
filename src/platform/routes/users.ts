/** `GET /v2/users/me`: the one local user (the SDKs and apify-client ask for it, e.g. for the username). */
import { data } from '../envelope';
import type { RouteModule } from '../server';

export const LOCAL_USER = { id: 'greenroomLocalUser', username: 'local' } as const;

export const userRoutes: RouteModule = (app) => {
  app.get('/v2/users/me', async () => data({ ...LOCAL_USER, profile: {}, plan: { id: 'LOCAL' } }));
};
