/**
 * Where a container reaches the host: the gateway of Docker's default `bridge` network (172.17.0.1 on most
 * machines), read from the engine (`docker network inspect bridge`), never guessed. Only a local engine's gateway
 * is an address of this machine; a remote engine's containers cannot reach this host there.
 */
import type { NetworkInspectInfo } from 'dockerode';
import { BlockList } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { DockerClient } from '../engine/dockerClient';
import type { DockerEndpointOptions } from '../engine/endpoint';
import { webServerBinding } from '../engine/webServerPort';

export type GatewayAnswer = { gateway: string } | { reason: string };

/** The gateway of the engine the endpoint options name (the engines' Docker setting). */
export async function dockerBridgeGatewayAt(endpoint: DockerEndpointOptions | undefined): Promise<GatewayAnswer> {
  let docker: DockerClient;
  try {
    docker = new DockerClient(endpoint);
  } catch (error) {
    return { reason: `the Docker endpoint cannot be used (${(error as Error).message})` };
  }
  return dockerBridgeGateway(docker);
}

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
  const gateway = bridgeGatewayOf(network, networkInterfaces());
  return gateway ? { gateway } : { reason: 'the Docker bridge network has no IPv4 gateway' };
}

/**
 * The IPv4 gateway every container on the default bridge has a route to. A daemon's first start leaves it out of
 * the inspected IPAM config (moby/moby#26799, until the daemon restarts): it is then the IPv4 address of the bridge's
 * interface on this machine (`com.docker.network.bridge.name`, docker0), as long as that lies in the bridge's subnet.
 */
export function bridgeGatewayOf(network: Pick<NetworkInspectInfo, 'IPAM' | 'Options'>, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string | undefined {
  const configs = network.IPAM?.Config ?? [];
  const listed = configs.map((config) => config.Gateway).find((address) => address && !address.includes(':'));
  if (listed) return listed;
  const bridge = network.Options?.['com.docker.network.bridge.name'] ?? 'docker0';
  const subnets = new BlockList();
  for (const { Subnet } of configs) {
    const [prefix, length] = Subnet?.split('/') ?? [];
    if (prefix && !prefix.includes(':') && length) subnets.addSubnet(prefix, Number(length), 'ipv4');
  }
  return interfaces[bridge]?.find((address) => address.family === 'IPv4' && subnets.check(address.address, 'ipv4'))?.address;
}
