import { useEffect, useMemo, useState } from 'react';
import { get, post, seg } from '../api/client';
import type { Container, History, LogLine, Server } from '../api/types';
import { Chart } from '../components/Chart';
import { Confirm, ErrorNote, Loading } from '../components/ui';
import { useAction, useLoad, useTopic } from '../hooks';
import { bytes, dateTime, percent } from '../lib/format';
import { containerCharts } from '../lib/series';
import { useCan } from '../session';

type Action = 'start' | 'stop' | 'restart';

export function ContainersTab({ server }: { server: Server }) {
  const id = server.id;
  const list = useLoad(() => get<{ reported_at: string | null; containers: Container[] }>(`/servers/${seg(id)}/containers`), [id], 30_000);
  const isOperator = useCan('operator');
  const capabilities = server.agent?.capabilities ?? [];
  // Actions need the agent there to carry them out; the list stays as it last reported.
  const canControl = isOperator && capabilities.includes('docker_control') && server.status === 'online';
  const [pending, setPending] = useState<{ container: Container; action: Action } | null>(null);
  const [logsOf, setLogsOf] = useState<string | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const action = useAction();

  useTopic(`server:${id}:containers`, (message) => {
    list.setData({ reported_at: String(message.timestamp ?? new Date().toISOString()), containers: message.containers as Container[] });
  });

  const act = async (container: Container, which: Action) => {
    const done = await action.run(() => post<{ container: Container }>(`/servers/${seg(id)}/containers/${seg(container.name)}/${which}`));
    if (done) {
      setPending(null);
      list.setData((current) => current && {
        ...current,
        containers: current.containers.map((c) => (c.id === done.container.id || c.name === done.container.name ? { ...c, ...done.container } : c)),
      });
    }
  };

  if (!capabilities.includes('docker') && server.agent) {
    return <p className="muted">This agent does not report Docker (no Docker on the server, or the agent may not use it).</p>;
  }
  const data = list.data;
  return (
    <div>
      <ErrorNote message={list.error} />
      {!data && !list.error && <Loading what="containers" />}
      {data && (
        <>
          <p className="muted small-text">
            {data.reported_at ? `As the agent reported at ${dateTime(data.reported_at)}; it reports on every change.` : 'The agent has not reported containers yet.'}
            {isOperator && !capabilities.includes('docker_control') && ' This agent allows no start, stop or restart.'}
            {isOperator && capabilities.includes('docker_control') && server.status !== 'online' && ' The agent is offline: actions return with it.'}
          </p>
          {data.containers.length === 0 ? (
            <p className="empty">No containers on this server.</p>
          ) : (
            <div className="table-wrap">
              <table className="containers">
                <thead>
                  <tr>
                    <th scope="col">Name</th><th scope="col">State</th><th scope="col">Health</th><th scope="col">CPU</th>
                    <th scope="col">Memory</th><th scope="col">Image</th><th scope="col">Ports</th><th scope="col"><span className="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  {data.containers.map((c) => (
                    <tr key={c.id} data-container={c.name}>
                      <th scope="row">{c.name}</th>
                      <td>
                        <span className={'badge state-' + c.state} data-testid="container-state">{c.state}</span>
                        <div className="muted small-text">{c.status}{c.restart_count > 0 ? `, ${c.restart_count} restarts` : ''}</div>
                      </td>
                      <td>{c.health ?? '–'}</td>
                      <td>{percent(c.cpu_percent)}</td>
                      <td>{bytes(c.memory_bytes)}</td>
                      <td className="mono">{c.image}</td>
                      <td className="mono">{c.ports.map((p) => (p.public_port ? `${p.public_port}→` : '') + `${p.private_port}/${p.type}`).join(', ') || '–'}</td>
                      <td className="row-actions">
                        <button type="button" className="small" onClick={() => setHistoryOf(historyOf === c.name ? null : c.name)} aria-expanded={historyOf === c.name}>
                          History
                        </button>
                        <button type="button" className="small" onClick={() => setLogsOf(logsOf === c.name ? null : c.name)} aria-expanded={logsOf === c.name}>
                          Logs
                        </button>
                        {canControl && c.state !== 'running' && (
                          <button type="button" className="small" disabled={action.busy} onClick={() => void act(c, 'start')}>Start</button>
                        )}
                        {canControl && c.state === 'running' && (
                          <>
                            <button type="button" className="small" onClick={() => { action.setError(null); setPending({ container: c, action: 'restart' }); }}>Restart</button>
                            <button type="button" className="small danger" onClick={() => { action.setError(null); setPending({ container: c, action: 'stop' }); }}>Stop</button>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {!pending && <ErrorNote message={action.error} />}
          {historyOf && <ContainerHistory serverId={id} container={historyOf} onClose={() => setHistoryOf(null)} />}
          {logsOf && <Logs serverId={id} container={logsOf} onClose={() => setLogsOf(null)} />}
        </>
      )}
      <Confirm
        open={pending !== null}
        question={pending ? `${pending.action === 'stop' ? 'Stop' : 'Restart'} the container ${pending.container.name} on ${server.name}?` : ''}
        confirmLabel={pending?.action === 'stop' ? 'Stop' : 'Restart'}
        busy={action.busy}
        error={action.error}
        onConfirm={() => pending && void act(pending.container, pending.action)}
        onCancel={() => setPending(null)}
      />
    </div>
  );
}

const HISTORY_RANGES = [
  { id: '1h', label: '1 h', seconds: 3600 },
  { id: '24h', label: '24 h', seconds: 24 * 3600 },
  { id: '7d', label: '7 d', seconds: 7 * 86400 },
  { id: '30d', label: '30 d', seconds: 30 * 86400 },
];

/** A container's CPU and memory over time, from the history the hub keeps of its containers reports. */
function ContainerHistory({ serverId, container, onClose }: { serverId: string; container: string; onClose: () => void }) {
  const [range, setRange] = useState(HISTORY_RANGES[0]);
  const history = useLoad(() => {
    const to = new Date();
    const from = new Date(to.getTime() - range.seconds * 1000);
    return get<History>(`/servers/${seg(serverId)}/metrics?from=${from.toISOString()}&to=${to.toISOString()}`);
  }, [serverId, range], 60_000);
  const charts = useMemo(() => history.data && containerCharts(history.data, container), [history.data, container]);
  const span = (): [number, number] => {
    const now = Date.now() / 1000;
    return [now - range.seconds, now];
  };
  return (
    <section className="container-history" aria-label={`History of ${container}`}>
      <div className="title-row">
        <h3>History of {container}</h3>
        <div className="range" role="group" aria-label="Time range">
          {HISTORY_RANGES.map((r) => (
            <button key={r.id} type="button" aria-pressed={r.id === range.id} onClick={() => setRange(r)}>{r.label}</button>
          ))}
        </div>
        <button type="button" className="small" onClick={onClose}>Close</button>
      </div>
      <ErrorNote message={history.error} />
      {!charts && !history.error && <Loading what="history" />}
      {charts && (
        <div className="charts">
          <Chart title={`CPU of ${container}`} data={charts.cpu} format={percent} span={span} />
          <Chart title={`Memory of ${container}`} data={charts.memory} format={bytes} binarySuffix="" span={span} />
        </div>
      )}
    </section>
  );
}

const TAILS = [100, 200, 500, 1000, 5000];

function Logs({ serverId, container, onClose }: { serverId: string; container: string; onClose: () => void }) {
  const [tail, setTail] = useState(200);
  const [auto, setAuto] = useState(false);
  const [search, setSearch] = useState('');
  const logs = useLoad(() => get<{ lines: LogLine[] }>(`/servers/${seg(serverId)}/containers/${seg(container)}/logs?tail=${tail}`), [serverId, container, tail]);
  useEffect(() => {
    if (!auto) return;
    const timer = setInterval(() => void logs.reload(), 5000);
    return () => clearInterval(timer);
  }, [auto, logs.reload]);
  const lines = useMemo(() => {
    const all = logs.data?.lines ?? [];
    const needle = search.toLowerCase();
    return needle ? all.filter((line) => line.text.toLowerCase().includes(needle)) : all;
  }, [logs.data, search]);
  return (
    <section className="logs" aria-label={`Logs of ${container}`}>
      <div className="title-row">
        <h3>Logs of {container}</h3>
        <label>
          Last
          <select value={tail} onChange={(e) => setTail(Number(e.target.value))}>
            {TAILS.map((t) => <option key={t} value={t}>{t} lines</option>)}
          </select>
        </label>
        <label>
          Search
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label className="inline">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> Refresh every 5 s
        </label>
        <button type="button" className="small" onClick={() => void logs.reload()}>Refresh</button>
        <button type="button" className="small" onClick={onClose}>Close</button>
      </div>
      <ErrorNote message={logs.error} />
      {!logs.data && !logs.error && <Loading what="logs" />}
      {logs.data && (
        <>
          <p className="muted small-text">{search ? `${lines.length} of ${logs.data.lines.length} lines match` : `${lines.length} lines`}</p>
          <pre className="output" tabIndex={0}>
            {lines.length === 0 && '(no lines)'}
            {lines.map((line, index) => (
              <span key={index} className={line.stream === 'stderr' ? 'stderr' : undefined}>
                {line.timestamp && <span className="muted">{dateTime(line.timestamp)} </span>}
                {line.text}
                {'\n'}
              </span>
            ))}
          </pre>
        </>
      )}
    </section>
  );
}
