import { useState } from 'react';
import { get, seg } from '../api/client';
import type { ProcessList, Server } from '../api/types';
import { ErrorNote, Loading } from '../components/ui';
import { useLoad } from '../hooks';
import { bytes, dateTime, percent } from '../lib/format';

type Sort = 'cpu' | 'memory';

/** How often the list is measured again while the tab is open: each measurement costs the server a little CPU. */
const REFRESH_MILLIS = 10_000;

/** The server's busiest processes, measured by its agent when asked: what is behind a CPU or memory spike. */
export function ProcessesTab({ server }: { server: Server }) {
  const [sort, setSort] = useState<Sort>('cpu');
  const capable = server.agent?.capabilities.includes('processes') ?? false;
  const online = server.status === 'online';
  const list = useLoad(
    () => (capable && online ? get<ProcessList>(`/servers/${seg(server.id)}/processes?sort=${sort}&limit=25`) : Promise.resolve(null)),
    [server.id, sort, capable, online],
    REFRESH_MILLIS,
  );

  if (server.agent && !capable) {
    return <p className="muted">This agent does not list processes: it is older than this hub. Upgrade it to see them.</p>;
  }
  if (!online) {
    return <p className="muted">The agent is offline: processes are measured by the agent when asked, so there are none to show.</p>;
  }
  const data = list.data;
  return (
    <div>
      <div className="range" role="group" aria-label="Order">
        <button type="button" aria-pressed={sort === 'cpu'} onClick={() => setSort('cpu')}>By CPU</button>
        <button type="button" aria-pressed={sort === 'memory'} onClick={() => setSort('memory')}>By memory</button>
        <button type="button" onClick={() => void list.reload()}>Measure again</button>
      </div>
      <ErrorNote message={list.error} />
      {!data && !list.error && <Loading what="processes" />}
      {data && (
        <>
          <p className="muted small-text" data-testid="processes-taken">
            {data.total} processes at {dateTime(data.taken_at)}; CPU over the {data.window_ms} ms before (100% is one core). Measured again every {REFRESH_MILLIS / 1000} s.
          </p>
          <div className="table-wrap">
            <table className="processes">
              <thead>
                <tr><th scope="col">PID</th><th scope="col">User</th><th scope="col">CPU</th><th scope="col">Memory</th><th scope="col">Command</th></tr>
              </thead>
              <tbody>
                {data.processes.map((p) => (
                  <tr key={p.pid} data-pid={p.pid}>
                    <td>{p.pid}</td><td>{p.user}</td><td>{percent(p.cpu_percent)}</td><td>{bytes(p.memory_bytes)}</td>
                    <td className="command" title={p.command}><code>{p.command}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
