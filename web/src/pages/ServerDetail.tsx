import { useState, type FormEvent } from 'react';
import { get, patch, seg } from '../api/client';
import type { Alert, Server } from '../api/types';
import { ErrorNote, Loading, StatusBadge } from '../components/ui';
import { useAction, useLoad, useNow, useTopic } from '../hooks';
import { statusText } from '../lib/status';
import { useCan } from '../session';
import { CommandsTab } from './CommandsTab';
import { ContainersTab } from './ContainersTab';
import { KeysTab } from './KeysTab';
import { MetricsTab } from './MetricsTab';
import { ProcessesTab } from './ProcessesTab';

const TABS = [
  { id: 'metrics', label: 'Metrics' },
  { id: 'processes', label: 'Processes' },
  { id: 'containers', label: 'Containers' },
  { id: 'commands', label: 'Commands' },
  { id: 'keys', label: 'API keys', role: 'admin' as const },
];

export function ServerDetail({ id, tab }: { id: string; tab: string }) {
  const server = useLoad(() => get<Server>('/servers/' + seg(id)), [id], 5000);
  const now = useNow();
  const isAdmin = useCan('admin');
  useTopic('servers', (message) => {
    if (message.server_id === id && message.type === 'server_status') void server.reload();
  });

  const s = server.data;
  if (!s) return server.error ? <ErrorNote message={server.error} /> : <Loading what="the server" />;
  const tabs = TABS.filter((t) => !t.role || isAdmin);
  const current = tabs.some((t) => t.id === tab) ? tab : 'metrics';
  return (
    <section aria-labelledby="server-title">
      <p>
        <a href="#/servers">← Servers</a>
      </p>
      <div className="title-row">
        <h1 id="server-title">{s.name}</h1>
        <StatusBadge status={s.status} />
        <span className="muted" data-testid="status-text">{statusText(s, now)}</span>
      </div>
      <FiringAlerts serverId={id} />
      <Inventory server={s} />
      <SampleInterval server={s} editable={isAdmin} onChanged={() => void server.reload()} />
      <nav className="tabs" aria-label="Server sections">
        {tabs.map((t) => (
          <a key={t.id} href={`#/servers/${encodeURIComponent(id)}/${t.id}`} aria-current={current === t.id ? 'page' : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      <div className="tab-panel">
        {current === 'metrics' && <MetricsTab server={s} />}
        {current === 'processes' && <ProcessesTab server={s} />}
        {current === 'containers' && <ContainersTab server={s} />}
        {current === 'commands' && <CommandsTab server={s} />}
        {current === 'keys' && <KeysTab server={s} />}
      </div>
    </section>
  );
}

function Inventory({ server }: { server: Server }) {
  const agent = server.agent;
  if (!agent) return <p className="muted">No agent has connected yet, so there is no inventory.</p>;
  const facts: [string, string][] = [
    ['Hostname', agent.hostname],
    ['OS', agent.os],
    ['Kernel', agent.kernel],
    ['Architecture', agent.arch],
    ['CPU cores', String(agent.cpu_cores)],
    ['Agent', agent.version],
    ['Capabilities', agent.capabilities.length ? agent.capabilities.join(', ') : 'none'],
    ['Tags', server.tags.length ? server.tags.join(', ') : 'none'],
  ];
  return (
    <dl className="inventory">
      {facts.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** How often the agent samples, and for admins a way to give this server its own interval. */
function SampleInterval({ server, editable, onChanged }: { server: Server; editable: boolean; onChanged: () => void }) {
  const own = server.metrics_interval_seconds ?? null;
  const [seconds, setSeconds] = useState(own === null ? '' : String(own));
  const save = useAction();
  const effective = server.effective_metrics_interval_seconds;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = seconds.trim() === '' ? null : Number(seconds);
    if (await save.run(() => patch<Server>('/servers/' + seg(server.id), { metrics_interval_seconds: value }).then(() => true))) onChanged();
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Sample interval">
      <span data-testid="sample-interval">
        A sample every {effective ?? '–'} s{own === null ? " (the hub's default)" : ' (this server’s own)'}
      </span>
      {editable && (
        <>
          <label>
            Own interval, seconds{' '}
            <input type="number" min={1} max={3600} step={1} value={seconds} placeholder="hub default"
              onChange={(event) => setSeconds(event.target.value)} />
          </label>
          <button type="submit" disabled={save.busy}>Save</button>
        </>
      )}
      <ErrorNote message={save.error} />
    </form>
  );
}

/** The server's firing and pending alerts, at the top where they are seen first. */
function FiringAlerts({ serverId }: { serverId: string }) {
  const alerts = useLoad(() => get<Alert[]>('/alerts?state=firing,pending&server_id=' + seg(serverId)), [serverId], 10_000);
  useTopic('alerts', (message) => {
    if (message.server_id === serverId) void alerts.reload();
  });
  if (!alerts.data || alerts.data.length === 0) return null;
  return (
    <ul className="server-alerts" aria-label="Alerts of this server">
      {alerts.data.map((alert) => (
        <li key={alert.id} data-alert-state={alert.state}>
          <a href="#/alerts">{alert.state === 'firing' ? '▲ Firing' : '◆ Pending'}</a> {alert.severity}: {alert.summary}
        </li>
      ))}
    </ul>
  );
}
