/** The test implementation of the engine's PlatformLink: runs at home on a platform server the test started. */
import type { PlatformLink } from '../../src/engine/platformLink';
import { runEventsUrl } from '../../src/platform/events';
import type { PlatformServer } from '../../src/platform/server';

export const TEST_USER_ID = 'greenroomTestUser';

/** Runs reach `server` at `containerHost` (the Docker bridge gateway); the host at the server's first (loopback) host. */
export function serverPlatformLink(server: PlatformServer, containerHost: string): PlatformLink {
  return {
    forRun: async ({ runId, runToken }) => ({
      atHome: true,
      platform: {
        apiBaseUrl: server.baseUrl(containerHost),
        publicBaseUrl: server.baseUrl(server.hosts[0]),
        eventsWebsocketUrl: runEventsUrl(server.baseUrl(containerHost), runId, runToken),
        userId: TEST_USER_ID,
      },
    }),
  };
}

/** A link that keeps every run in local mode, saying why (as a server that could not start would). */
export function refusingPlatformLink(reason: string): PlatformLink {
  return { forRun: async () => ({ atHome: false, reason }) };
}
