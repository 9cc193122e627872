/**
 * Where a container reaches the host: the gateway of Docker's default `bridge` network (172.17.0.1 on most
 * machines), read from the engine (`docker network inspect bridge`), never guessed. Only a local engine's gateway
 * is an address of this machine; a remote engine's containers cannot reach this host there.
 */
import type { NetworkInspectInfo } from 'dockerode';
import type { DockerClient } from '../engine/dockerClient';
import { webServerBinding } from '../engine/webServerPort';

export type GatewayAnswer = { gateway: string } | { reason: string };

export async function dockerBridgeGateway(docker: DockerClient): Promise<GatewayAnswer> {
  if (webServerBinding(docker.endpoint.modemOptions).kind !== 'local') {
    return { reason: `the Docker engine ${docker.endpoint.description} is remote: its containers cannot reach the local API on this machine` };
  }
  let network: NetworkInspectInfo;
  try {
    const bridge = docker.docker.getNetwork('bridge');
    // dockerode takes an abortSignal here too; its typings offer no options.
    const inspect = bridge.inspect.bind(bridge) as unknown as (options: { abortSignal: AbortSignal }) => Promise<NetworkInspectInfo>;
    network = await docker.call('inspect the bridge network', (abortSignal) => inspect({ abortSignal }));
  } catch (error) {
    return { reason: `the Docker bridge network could not be read (${(error as Error).message})` };
  }
  // The IPv4 gateway: the one every container on the default bridge has a route to.
  const gateway = (network.IPAM?.Config ?? []).map((config) => config.Gateway).find((address) => address && !address.includes(':'));
  return gateway ? { gateway } : { reason: 'the Docker bridge network has no IPv4 gateway' };
}
