import { useState } from 'react';
import { get } from '../api/client';
import type { AuditEntry, Server } from '../api/types';
import { ErrorNote, Loading } from '../components/ui';
import { useLoad } from '../hooks';
import { dateTime } from '../lib/format';

const ACTIONS = ['login', 'logout', 'password_change', 'token_create', 'token_revoke', 'user_create', 'user_role', 'user_password',
  'user_delete', 'server_create', 'server_update', 'server_delete', 'api_key_create', 'api_key_revoke', 'command', 'command_cancel',
  'docker_start', 'docker_stop', 'docker_restart', 'alert_rule_create', 'alert_rule_update', 'alert_rule_delete', 'alert_ack',
  'silence_create', 'silence_delete', 'channel_create', 'channel_update', 'channel_delete', 'channel_test'];

export function Audit() {
  const [user, setUser] = useState('');
  const [action, setAction] = useState('');
  const [serverId, setServerId] = useState('');
  const [limit, setLimit] = useState(200);
  const [applied, setApplied] = useState({ user: '', action: '', serverId: '', limit: 200 });
  const servers = useLoad(() => get<Server[]>('/servers'), []);
  const names = new Map((servers.data ?? []).map((s) => [s.id, s.name]));
  const query = new URLSearchParams();
  if (applied.serverId) query.set('server_id', applied.serverId);
  if (applied.user) query.set('user', applied.user);
  if (applied.action) query.set('action', applied.action);
  query.set('limit', String(applied.limit));
  const entries = useLoad(() => get<AuditEntry[]>('/audit?' + query), [query.toString()]);

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <form className="filters" role="search" onSubmit={(e) => { e.preventDefault(); setApplied({ user: user.trim(), action, serverId, limit }); }}>
        <label>
          User
          <input value={user} onChange={(e) => setUser(e.target.value)} />
        </label>
        <label>
          Server
          <select value={serverId} onChange={(e) => setServerId(e.target.value)}>
            <option value="">All</option>
            {(servers.data ?? []).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </label>
        <label>
          Action
          <select value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">All</option>
            {ACTIONS.map((a) => <option key={a}>{a}</option>)}
          </select>
        </label>
        <label>
          Show
          <select value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {[50, 200, 1000].map((n) => <option key={n} value={n}>{n} newest</option>)}
          </select>
        </label>
        <button type="submit">Filter</button>
        <button type="button" onClick={() => void entries.reload()}>Refresh</button>
      </form>
      <ErrorNote message={entries.error} />
      {!entries.data && !entries.error && <Loading what="the audit log" />}
      {entries.data && entries.data.length === 0 && <p className="empty">Nothing matches.</p>}
      {entries.data && entries.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr><th scope="col">Time</th><th scope="col">User</th><th scope="col">From</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Outcome</th><th scope="col">Detail</th></tr>
            </thead>
            <tbody>
              {entries.data.map((entry, index) => (
                <tr key={index}>
                  <td>{dateTime(entry.time)}</td>
                  <td>{entry.user ?? '–'}</td>
                  <td className="mono">{entry.source_ip ?? '–'}</td>
                  <td>{entry.action}</td>
                  <td className="mono">{describeTarget(entry.target, names)}</td>
                  <td>{entry.outcome}</td>
                  <td className="mono detail">{entry.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** "server:<id>" reads as the server's name where it still exists. */
function describeTarget(target: string | null, names: Map<string, string>): string {
  if (!target) return '–';
  const name = target.startsWith('server:') ? names.get(target.slice('server:'.length)) : undefined;
  return name ? `server ${name}` : target;
}
