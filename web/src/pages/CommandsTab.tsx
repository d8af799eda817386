import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { get, post, seg } from '../api/client';
import type { CommandRecord, Server } from '../api/types';
import { CopyButton, ErrorNote, Loading } from '../components/ui';
import { useAction, useLoad, useTopic } from '../hooks';
import { chunksOf, outcome, recall, remember, type OutputChunk } from '../lib/console';
import { dateTime, duration } from '../lib/format';
import { useCan } from '../session';

interface Run {
  record: CommandRecord;
  chunks: OutputChunk[];
}

const recallKey = (serverId: string) => 'chatops-commands-' + serverId;

export function CommandsTab({ server }: { server: Server }) {
  const id = server.id;
  const isOperator = useCan('operator');
  const canRun = isOperator && (server.agent?.capabilities ?? []).includes('exec');
  const history = useLoad(() => get<CommandRecord[]>(`/servers/${seg(id)}/commands?limit=50`), [id]);
  const [runs, setRuns] = useState<Run[]>([]);
  const [shown, setShown] = useState<CommandRecord | null>(null);

  const reloadHistory = history.reload;
  const finished = useCallback((record: CommandRecord) => {
    setRuns((all) => all.map((run) => (run.record.id === record.id && run.record.status === 'running' ? { record, chunks: chunksOf(record) } : run)));
    void reloadHistory();
  }, [reloadHistory]);

  return (
    <div>
      {canRun ? (
        <Console serverId={id} online={server.status === 'online'} runs={runs} onStarted={(record) => setRuns((all) => [...all.slice(-19), { record, chunks: [] }])}
          onOutput={(commandId, chunk) => setRuns((all) => all.map((run) => (run.record.id === commandId ? { ...run, chunks: [...run.chunks, chunk] } : run)))}
          onFinished={finished} />
      ) : (
        <p className="muted">
          {!isOperator ? 'Your role (viewer) may read the command history but not run commands.' : 'This agent does not run commands (started with -disable-exec, or not connected yet).'}
        </p>
      )}
      <h2>History</h2>
      <ErrorNote message={history.error} />
      {!history.data && !history.error && <Loading what="command history" />}
      {history.data && history.data.length === 0 && <p className="empty">No command has been run on this server.</p>}
      {history.data && history.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr><th scope="col">Started</th><th scope="col">User</th><th scope="col">Command</th><th scope="col">Result</th><th scope="col"><span className="visually-hidden">Output</span></th></tr>
            </thead>
            <tbody>
              {history.data.map((record) => (
                <tr key={record.id}>
                  <td>{dateTime(record.started_at)}</td>
                  <td>{record.user}</td>
                  <td className="mono">{record.command}</td>
                  <td className={'result-' + record.status}>{outcome(record, duration)}</td>
                  <td><button type="button" className="small" onClick={() => setShown(shown?.id === record.id ? null : record)} aria-expanded={shown?.id === record.id}>Output</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown && (
        <section aria-label="Output of the chosen command">
          <h3 className="mono">$ {shown.command}</h3>
          <Output chunks={chunksOf(shown)} />
          <CopyButton text={shown.stdout + shown.stderr} label="Copy output" />
        </section>
      )}
    </div>
  );
}

function Console({ serverId, online, runs, onStarted, onOutput, onFinished }: {
  serverId: string;
  online: boolean;
  runs: Run[];
  onStarted: (record: CommandRecord) => void;
  onOutput: (commandId: string, chunk: OutputChunk) => void;
  onFinished: (record: CommandRecord) => void;
}) {
  const [command, setCommand] = useState('');
  const [timeout, setTimeoutSeconds] = useState(60);
  const [recalled, setRecalled] = useState<string[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(recallKey(serverId)) ?? '[]');
    } catch {
      return [];
    }
  });
  const [position, setPosition] = useState(0);
  const { busy, error, run } = useAction();
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Braces on purpose: newer browsers return a promise from scrollIntoView, and an effect may return only a cleanup.
    bottom.current?.scrollIntoView({ block: 'nearest' });
  }, [runs]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!command.trim()) return;
    const record = await run(() => post<CommandRecord>(`/servers/${seg(serverId)}/commands`, { command, timeout_seconds: timeout }));
    if (!record) return;
    const next = remember(recalled, command);
    setRecalled(next);
    localStorage.setItem(recallKey(serverId), JSON.stringify(next));
    setPosition(0);
    setCommand('');
    onStarted(record);
  };

  const keys = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    event.preventDefault();
    const state = recall(recalled, position, event.key === 'ArrowUp' ? 'up' : 'down');
    setPosition(state.position);
    setCommand(state.text);
  };

  return (
    <section className="console" aria-label="Console">
      <div className="console-runs" aria-live="polite">
        {runs.length === 0 && <p className="muted">Commands run with <code>/bin/sh -c</code> as the agent's user. ↑ and ↓ go through earlier ones.</p>}
        {runs.map((r) => (
          <RunView key={r.record.id} run={r} onOutput={onOutput} onFinished={onFinished} />
        ))}
        <div ref={bottom} />
      </div>
      <form onSubmit={(e) => void submit(e)} className="console-input">
        <label className="grow">
          <span className="visually-hidden">Command</span>
          <span aria-hidden="true" className="prompt">$</span>
          <input name="command" className="mono" value={command} onChange={(e) => setCommand(e.target.value)} onKeyDown={keys}
            placeholder="uptime" autoComplete="off" spellCheck={false} maxLength={4096} />
        </label>
        <label>
          Timeout (s)
          <input type="number" min={1} max={3600} value={timeout} onChange={(e) => setTimeoutSeconds(Number(e.target.value))} className="narrow" />
        </label>
        <button type="submit" className="primary" disabled={busy || !online}>Run</button>
      </form>
      {!online && <p className="muted" role="status">The agent is offline: commands run once it is back.</p>}
      <ErrorNote message={error} />
    </section>
  );
}

function RunView({ run, onOutput, onFinished }: { run: Run; onOutput: (id: string, chunk: OutputChunk) => void; onFinished: (record: CommandRecord) => void }) {
  const { record } = run;
  const running = record.status === 'running';
  const cancel = useAction();
  useTopic(running ? `command:${record.id}` : null, (message) => {
    if (message.type === 'command_output') onOutput(record.id, { stream: message.stream as OutputChunk['stream'], data: String(message.data) });
    if (message.type === 'command_finished') onFinished(message as unknown as CommandRecord);
  });
  // The stored record is the truth: read it at the end, and while running in case the live socket is down.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      get<CommandRecord>('/commands/' + seg(record.id)).then((stored) => stored.status !== 'running' && onFinished(stored), () => undefined);
    }, 1000);
    return () => clearInterval(timer);
  }, [running, record.id, onFinished]);
  return (
    <div className="run" data-command={record.id} data-status={record.status}>
      <div className="run-head">
        <span className="mono">$ {record.command}</span>
        <span className={'result-' + record.status} data-testid="run-outcome">{outcome(record, duration)}</span>
        {running && (
          <button type="button" className="small danger" disabled={cancel.busy} onClick={() => void cancel.run(() => post('/commands/' + seg(record.id) + '/cancel'))}>
            Cancel
          </button>
        )}
        {!running && <CopyButton text={run.chunks.map((c) => c.data).join('')} label="Copy output" />}
      </div>
      <Output chunks={run.chunks} />
      <ErrorNote message={cancel.error} />
    </div>
  );
}

function Output({ chunks }: { chunks: OutputChunk[] }) {
  if (chunks.length === 0) return null;
  return (
    <pre className="output" data-testid="command-output" tabIndex={0}>
      {chunks.map((chunk, index) => (
        <span key={index} className={chunk.stream === 'stderr' ? 'stderr' : undefined}>
          {chunk.data}
        </span>
      ))}
    </pre>
  );
}
