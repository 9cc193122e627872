import * as assert from 'assert';
import type { NetworkInterfaceInfo } from 'node:os';
import { bridgeGatewayOf, firstSubnetHosts, isAddressOfThisMachine } from '../../../src/platform/bridgeGateway';

const docker0 = (address: string): NetworkInterfaceInfo => ({ address, family: 'IPv4', netmask: '255.255.0.0', mac: '02:42:00:00:00:00', internal: false, cidr: `${address}/16` });
const ipv6 = { address: 'fe80::1', family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', mac: '02:42:00:00:00:00', internal: false, cidr: 'fe80::1/64', scopeid: 5 } as NetworkInterfaceInfo;
const bridgeOptions = { 'com.docker.network.bridge.name': 'docker0' };

describe('platform: the Docker bridge gateway', () => {
  it('takes the gateway the engine lists', () => {
    const network = { IPAM: { Driver: 'default', Config: [{ Subnet: 'fd00::/64', Gateway: 'fd00::1' }, { Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }] }, Options: bridgeOptions };
    assert.strictEqual(bridgeGatewayOf(network, {}), '172.17.0.1');
  });

  it("on a daemon's first start (no Gateway listed), takes the bridge interface's IPv4 address inside the subnet", () => {
    const network = { IPAM: { Driver: 'default', Config: [{ Subnet: '172.17.0.0/16' }] }, Options: bridgeOptions };
    assert.strictEqual(bridgeGatewayOf(network, { docker0: [ipv6, docker0('172.17.0.1')] }), '172.17.0.1');
  });

  it('finds none when the bridge interface is missing or its address lies outside the subnet', () => {
    const network = { IPAM: { Driver: 'default', Config: [{ Subnet: '172.17.0.0/16' }] }, Options: bridgeOptions };
    assert.strictEqual(bridgeGatewayOf(network, { eth0: [docker0('172.17.0.1')] }), undefined);
    assert.strictEqual(bridgeGatewayOf(network, { docker0: [docker0('10.0.0.1')] }), undefined);
    assert.strictEqual(bridgeGatewayOf({ IPAM: { Driver: 'default', Config: [] }, Options: bridgeOptions }, { docker0: [docker0('172.17.0.1')] }), undefined);
  });

  it("with the bridge's interface down (no container running, so Node does not list it), takes the subnet's first host address if it is this machine's", async () => {
    assert.deepStrictEqual(firstSubnetHosts({ IPAM: { Driver: 'default', Config: [{ Subnet: 'fd00::/64' }, { Subnet: '172.17.0.0/16' }, { Subnet: '10.1.2.128/25' }, { Subnet: 'bogus' }] } }), ['172.17.0.1', '10.1.2.129']);
    assert.strictEqual(await isAddressOfThisMachine('127.0.0.1'), true);
    assert.strictEqual(await isAddressOfThisMachine('192.0.2.1'), false, 'TEST-NET-1 is no address of this machine');
  });
});
