import { useState } from 'react';
import { get } from '../api/client';
import type { Alert, Server } from '../api/types';
import { ErrorNote, Loading, Meter, StatusBadge } from '../components/ui';
import { useLoad, useNow, useTopic } from '../hooks';
import { allTags, filterServers, type ServerFilter, type SortKey } from '../lib/filter';
import { decimal } from '../lib/format';
import { statusText } from '../lib/status';
import { useCan } from '../session';
import { AddServer } from './AddServer';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'status', label: 'Status' },
  { key: 'cpu', label: 'CPU' },
  { key: 'memory', label: 'Memory' },
  { key: 'disk', label: 'Disk' },
  { key: 'load', label: 'Load' },
  { key: 'last_seen', label: 'Last seen' },
];

export function Servers() {
  // The list carries each server's latest figures; it is read again every 5 s, as often as agents report.
  const servers = useLoad(() => get<Server[]>('/servers'), [], 5000);
  const firing = useLoad(() => get<Alert[]>('/alerts?state=firing&limit=1000'), [], 10_000);
  useTopic('alerts', () => void firing.reload());
  const firingBy = new Map<string, number>();
  (firing.data ?? []).forEach((alert) => firingBy.set(alert.server_id, (firingBy.get(alert.server_id) ?? 0) + 1));
  const now = useNow();
  const isAdmin = useCan('admin');
  const [adding, setAdding] = useState(false);
  const [filter, setFilter] = useState<ServerFilter>({ text: '', status: 'all', tag: '', sort: 'name', descending: false });

  // A status change arrives at once over the live socket: read the list again for the whole truth.
  useTopic('servers', (message) => {
    if (message.type === 'server_status') void servers.reload();
  });

  const list = servers.data;
  const shown = list ? filterServers(list, filter) : [];
  const sortBy = (key: SortKey) =>
    setFilter((f) => ({ ...f, sort: key, descending: f.sort === key ? !f.descending : key !== 'name' && key !== 'status' }));

  return (
    <section aria-labelledby="servers-title">
      <div className="title-row">
        <h1 id="servers-title">Servers</h1>
        {isAdmin && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add server
          </button>
        )}
      </div>
      <div className="filters" role="search">
        <label>
          Search
          <input type="search" placeholder="name, host or tag" value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} />
        </label>
        <label>
          Status
          <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value as ServerFilter['status'] })}>
            <option value="all">All</option>
            <option value="online">Online</option>
            <option value="offline">Offline</option>
            <option value="never_connected">Never connected</option>
          </select>
        </label>
        <label>
          Tag
          <select value={filter.tag} onChange={(e) => setFilter({ ...filter, tag: e.target.value })}>
            <option value="">All</option>
            {list && allTags(list).map((tag) => <option key={tag}>{tag}</option>)}
          </select>
        </label>
      </div>
      <ErrorNote message={servers.error} />
      {!list && !servers.error && <Loading what="servers" />}
      {list && list.length === 0 && (
        <p className="empty">No servers yet. {isAdmin ? 'Add one: it takes one command on the server.' : 'An admin adds them.'}</p>
      )}
      {list && list.length > 0 && (
        <div className="table-wrap">
          <table className="servers">
            <caption className="visually-hidden">
              {shown.length} of {list.length} servers
            </caption>
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th key={column.key} scope="col" aria-sort={filter.sort === column.key ? (filter.descending ? 'descending' : 'ascending') : 'none'}>
                    <button type="button" className="sort" onClick={() => sortBy(column.key)}>
                      {column.label}
                      <span aria-hidden="true">{filter.sort === column.key ? (filter.descending ? ' ▼' : ' ▲') : ''}</span>
                    </button>
                  </th>
                ))}
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((server) => (
                <tr key={server.id} data-server={server.name}>
                  <th scope="row">
                    <a href={'#/servers/' + encodeURIComponent(server.id)}>{server.name}</a>
                    {server.agent && <div className="muted small-text">{server.agent.hostname}</div>}
                  </th>
                  <td>
                    <StatusBadge status={server.status} />
                    {firingBy.get(server.id) ? (
                      <a className="badge alert-firing" href="#/alerts" data-firing={firingBy.get(server.id)}>
                        <span aria-hidden="true">▲</span> {firingBy.get(server.id)} firing
                      </a>
                    ) : null}
                    <div className="muted small-text">{statusText(server, now)}</div>
                  </td>
                  <td><Meter value={server.status === 'online' ? server.latest?.cpu_percent : null} label="CPU" /></td>
                  <td><Meter value={server.status === 'online' ? server.latest?.memory_percent : null} label="Memory" /></td>
                  <td><Meter value={server.latest?.disk_percent} label="Fullest filesystem" /></td>
                  <td>{server.status === 'online' ? decimal(server.latest?.load_1) : '–'}</td>
                  <td>{server.last_seen ? new Date(server.last_seen).toLocaleString() : 'never'}</td>
                  <td>{server.tags.map((tag) => <span className="tag" key={tag}>{tag}</span>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length === 0 && <p className="empty">No server matches these filters.</p>}
        </div>
      )}
      {adding && <AddServer onClose={() => { setAdding(false); void servers.reload(); }} />}
    </section>
  );
}
