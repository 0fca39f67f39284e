/** Pure placement rules; the create service feeds them what the database says. */

export interface NodeCapacity {
  id: string;
  name: string;
  memoryMb: number;
  /** Memory already promised to the servers on this node. */
  allocatedMb: number;
}

/** The online node with the most free memory that fits the request, or null. */
export function chooseNode(nodes: NodeCapacity[], requestedMb: number): NodeCapacity | null {
  let best: NodeCapacity | null = null;
  for (const node of nodes) {
    const free = node.memoryMb - node.allocatedMb;
    if (free < requestedMb) continue;
    if (!best || free > best.memoryMb - best.allocatedMb) best = node;
  }
  return best;
}

/** The lowest `count` ports in [start, end] not in `used`, or null when the range is exhausted. */
export function allocatePorts(
  range: { start: number; end: number },
  used: ReadonlySet<number>,
  count: number,
): number[] | null {
  const ports: number[] = [];
  for (let port = range.start; port <= range.end && ports.length < count; port++) {
    if (!used.has(port)) ports.push(port);
  }
  return ports.length === count ? ports : null;
}
