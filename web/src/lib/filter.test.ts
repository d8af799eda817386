import { describe, expect, it } from 'vitest';
import type { Server } from '../api/types';
import { allTags, filterServers, type ServerFilter } from './filter';

function server(name: string, status: Server['status'], cpu: number | null, tags: string[] = []): Server {
  return {
    id: name,
    name,
    tags,
    status,
    last_seen: null,
    agent: null,
    latest: cpu === null ? null : { cpu_percent: cpu, memory_percent: 10, disk_percent: 20, load_1: 0.1 },
  };
}

const fleet = [server('web-02', 'online', 50, ['prod']), server('db-01', 'offline', 10, ['prod', 'db']),
  server('web-01', 'online', 90), server('new', 'never_connected', null)];
const all: ServerFilter = { text: '', status: 'all', tag: '', sort: 'name', descending: false };

describe('server list filters', () => {
  it('sorts by name and by busiest CPU, missing figures last', () => {
    expect(filterServers(fleet, all).map((s) => s.name)).toEqual(['db-01', 'new', 'web-01', 'web-02']);
    expect(filterServers(fleet, { ...all, sort: 'cpu', descending: true }).map((s) => s.name)).toEqual(['web-01', 'web-02', 'db-01', 'new']);
    expect(filterServers(fleet, { ...all, sort: 'cpu' }).map((s) => s.name)).toEqual(['db-01', 'web-02', 'web-01', 'new']);
  });

  it('filters by text, status and tag together', () => {
    expect(filterServers(fleet, { ...all, text: 'WEB' }).map((s) => s.name)).toEqual(['web-01', 'web-02']);
    expect(filterServers(fleet, { ...all, status: 'offline' }).map((s) => s.name)).toEqual(['db-01']);
    expect(filterServers(fleet, { ...all, tag: 'prod', text: 'web' }).map((s) => s.name)).toEqual(['web-02']);
    expect(filterServers(fleet, { ...all, text: 'db' }).map((s) => s.name)).toEqual(['db-01']);
  });

  it('offers each tag once', () => {
    expect(allTags(fleet)).toEqual(['db', 'prod']);
  });
});
