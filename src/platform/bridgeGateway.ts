/**
 * Where a container reaches the host: the gateway of Docker's default `bridge` network (172.17.0.1 on most
 * machines), read from the engine (`docker network inspect bridge`), never guessed. Only a local engine's gateway
 * is an address of this machine; a remote engine's containers cannot reach this host there.
 */
import type { NetworkInspectInfo } from 'dockerode';
import { BlockList, createServer } from 'node:net';
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
  const gateway = bridgeGatewayOf(network, networkInterfaces()) ?? (await firstSubnetHostOfThisMachine(network));
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

/**
 * The bridge's address while its interface is down: with no container running, docker0 has no carrier and Node lists
 * only running interfaces, so a daemon's first start (no Gateway listed) leaves `bridgeGatewayOf` nothing to read.
 * Docker gives the bridge the first host address of its subnet unless `bip` says otherwise: that address is taken
 * when it is one of this machine's, which a socket bound to it proves.
 */
async function firstSubnetHostOfThisMachine(network: Pick<NetworkInspectInfo, 'IPAM'>): Promise<string | undefined> {
  for (const address of firstSubnetHosts(network)) if (await isAddressOfThisMachine(address)) return address;
  return undefined;
}

/** The first host address (network address + 1) of each IPv4 subnet of the network. */
export function firstSubnetHosts(network: Pick<NetworkInspectInfo, 'IPAM'>): string[] {
  const hosts: string[] = [];
  for (const { Subnet } of network.IPAM?.Config ?? []) {
    const [prefix, length] = Subnet?.split('/') ?? [];
    const octets = prefix?.split('.').map(Number);
    if (!octets || octets.length !== 4 || octets.some((octet) => !(octet >= 0 && octet <= 255)) || !(Number(length) <= 30)) continue;
    const mask = Number(length) === 0 ? 0 : (0xffffffff << (32 - Number(length))) >>> 0;
    const first = ((((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) & mask) >>> 0) + 1;
    hosts.push([first >>> 24, (first >>> 16) & 255, (first >>> 8) & 255, first & 255].join('.'));
  }
  return hosts;
}

/** Whether a socket can listen on the address: it is one of this machine's, whether its interface is up or not. */
export function isAddressOfThisMachine(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: address, port: 0, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
