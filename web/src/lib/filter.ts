import type { Server, ServerStatus } from '../api/types';

export type SortKey = 'name' | 'status' | 'cpu' | 'memory' | 'disk' | 'load' | 'last_seen';

export interface ServerFilter {
  text: string;
  status: ServerStatus | 'all';
  tag: string;
  sort: SortKey;
  descending: boolean;
}

const STATUS_ORDER: Record<ServerStatus, number> = { offline: 0, never_connected: 1, online: 2 };

/** The servers a filter keeps, sorted; missing figures sort last whichever the direction. */
export function filterServers(servers: Server[], filter: ServerFilter): Server[] {
  const text = filter.text.trim().toLowerCase();
  const kept = servers.filter(
    (server) =>
      (filter.status === 'all' || server.status === filter.status) &&
      (filter.tag === '' || server.tags.includes(filter.tag)) &&
      (text === '' ||
        server.name.toLowerCase().includes(text) ||
        (server.agent?.hostname ?? '').toLowerCase().includes(text) ||
        server.tags.some((tag) => tag.toLowerCase().includes(text))),
  );
  const key = (server: Server): string | number | null => {
    switch (filter.sort) {
      case 'name':
        return server.name.toLowerCase();
      case 'status':
        return STATUS_ORDER[server.status];
      case 'cpu':
        return server.latest?.cpu_percent ?? null;
      case 'memory':
        return server.latest?.memory_percent ?? null;
      case 'disk':
        return server.latest?.disk_percent ?? null;
      case 'load':
        return server.latest?.load_1 ?? null;
      case 'last_seen':
        return server.last_seen ? Date.parse(server.last_seen) : null;
    }
  };
  return [...kept].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === null || y === null) return x === y ? a.name.localeCompare(b.name) : x === null ? 1 : -1;
    const order = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
    return filter.descending ? -order : order;
  });
}

export function allTags(servers: Server[]): string[] {
  return [...new Set(servers.flatMap((server) => server.tags))].sort();
}
