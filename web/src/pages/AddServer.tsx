import { useEffect, useState, type FormEvent } from 'react';
import { get, post, seg } from '../api/client';
import type { NewApiKey, Server } from '../api/types';
import { CopyButton, Dialog, ErrorNote, ShownOnce, StatusBadge } from '../components/ui';
import { useAction, useTopic } from '../hooks';
import { debCommands, hubUrl, quickStartCommands, systemdCommands } from '../lib/install';

/** Creates a server, shows its key once with the commands to run, and waits live for the agent. */
export function AddServer({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [tags, setTags] = useState('');
  const [created, setCreated] = useState<{ server: Server; api_key: NewApiKey } | null>(null);
  const [status, setStatus] = useState<Server['status']>('never_connected');
  const { busy, error, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const tagList = tags.split(',').map((tag) => tag.trim()).filter(Boolean);
    const answer = await run(() => post<{ server: Server; api_key: NewApiKey }>('/servers', { name: name.trim(), tags: tagList }));
    if (answer) setCreated(answer);
  };

  const serverId = created?.server.id;
  useTopic(serverId ? 'servers' : null, (message) => {
    if (message.server_id === serverId && message.type === 'server_status') setStatus(message.status as Server['status']);
  });
  // The live socket may be reconnecting just then: ask the API too, every few seconds.
  useEffect(() => {
    if (!serverId || status === 'online') return;
    const timer = setInterval(() => {
      get<Server>('/servers/' + seg(serverId)).then((server) => setStatus(server.status), () => undefined);
    }, 3000);
    return () => clearInterval(timer);
  }, [serverId, status]);

  const url = hubUrl(window.location);
  const quickStart = created ? quickStartCommands(url, created.api_key.key) : '';
  const systemd = created ? systemdCommands(url, created.api_key.key) : '';
  const deb = created ? debCommands(url, created.api_key.key) : '';
  return (
    <Dialog title={created ? 'Connect ' + created.server.name : 'Add a server'} open onClose={onClose}>
      {!created ? (
        <form onSubmit={(e) => void submit(e)}>
          <label>
            Name
            <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="web-01" autoFocus />
          </label>
          <label>
            Tags <span className="muted">(comma separated, optional)</span>
            <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="production, eu" />
          </label>
          <ErrorNote message={error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Adding…' : 'Add server'}
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="add-server">
          <ShownOnce secret={created.api_key.key} copyLabel="Copy key">
            This is the agent's API key. <strong>It is shown only now</strong>; the hub keeps only a hash of it.
          </ShownOnce>
          <h3>Try it: run on the server</h3>
          <pre className="commands" data-testid="quick-start">{quickStart}</pre>
          <CopyButton text={quickStart} label="Copy commands" />
          <p className="muted">The single-file agent needs Java 17 or newer on the server. The package and the tarball below bring their own.</p>
          <h3>Install as a service: Debian or Ubuntu</h3>
          <pre className="commands" data-testid="deb-install">{deb}</pre>
          <CopyButton text={deb} label="Copy commands" />
          <details>
            <summary>Install as a systemd service from the tarball (other distributions)</summary>
            <pre className="commands">{systemd}</pre>
            <CopyButton text={systemd} label="Copy commands" />
          </details>
          <p aria-live="polite" className="waiting" data-testid="agent-status">
            <StatusBadge status={status} />{' '}
            {status === 'online' ? 'The agent is connected. ' : 'Waiting for the agent to connect…'}
            {status === 'online' && <a href={'#/servers/' + encodeURIComponent(created.server.id)} onClick={onClose}>Open the server</a>}
          </p>
          <div className="actions">
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
