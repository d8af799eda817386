import { useState, type FormEvent } from 'react';
import { del, get, post, seg } from '../api/client';
import type { ApiKey, NewApiKey, Server } from '../api/types';
import { Confirm, ErrorNote, Loading, ShownOnce } from '../components/ui';
import { useAction, useLoad } from '../hooks';
import { dateTime, endOfDay } from '../lib/format';

export function KeysTab({ server }: { server: Server }) {
  const keys = useLoad(() => get<ApiKey[]>(`/servers/${seg(server.id)}/api-keys`), [server.id]);
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const create = useAction();
  const revoke = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, string> = {};
    if (name.trim()) body.name = name.trim();
    if (expires) body.expires_at = endOfDay(expires);
    const key = await create.run(() => post<NewApiKey>(`/servers/${seg(server.id)}/api-keys`, body));
    if (key) {
      setCreated(key);
      setName('');
      setExpires('');
      void keys.reload();
    }
  };

  const confirmRevoke = async () => {
    if (!revoking) return;
    const done = await revoke.run(async () => {
      await del('/api-keys/' + seg(revoking.id));
      return true;
    });
    if (done) {
      setRevoking(null);
      void keys.reload();
    }
  };

  return (
    <div>
      <p className="muted">
        An agent signs in with one of these keys. Revoking a key disconnects an agent using it within a second. The hub stores
        only a hash: a key is shown once, when it is made.
      </p>
      <ErrorNote message={keys.error} />
      {!keys.data && !keys.error && <Loading what="keys" />}
      {keys.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">State</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id} data-key={key.name}>
                  <td>{key.name}</td>
                  <td className="mono">{key.prefix}…</td>
                  <td>{dateTime(key.created_at)}</td>
                  <td>{key.last_used_at ? dateTime(key.last_used_at) : 'never'}</td>
                  <td>{key.expires_at ? dateTime(key.expires_at) : 'never'}</td>
                  <td data-testid="key-state">{key.revoked ? 'Revoked' : key.expires_at && Date.parse(key.expires_at) < Date.now() ? 'Expired' : 'Active'}</td>
                  <td>
                    {!key.revoked && (
                      <button type="button" className="small danger" onClick={() => { revoke.setError(null); setRevoking(key); }}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={(e) => void submit(e)} className="inline-form" aria-label="New API key">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="agent" maxLength={100} />
        </label>
        <label>
          Expires <span className="muted">(optional)</span>
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={create.busy}>Create key</button>
      </form>
      <ErrorNote message={create.error} />
      {created && (
        <div className="notice" role="status">
          <ShownOnce secret={created.key} copyLabel="Copy key" onDone={() => setCreated(null)}>
            New key <strong>{created.name}</strong>, shown only now:
          </ShownOnce>
        </div>
      )}
      <Confirm
        open={revoking !== null}
        question={revoking ? `Revoke the key ${revoking.name} (${revoking.prefix}…)? An agent using it is disconnected at once.` : ''}
        confirmLabel="Revoke"
        busy={revoke.busy}
        error={revoke.error}
        onConfirm={() => void confirmRevoke()}
        onCancel={() => setRevoking(null)}
      />
    </div>
  );
}
