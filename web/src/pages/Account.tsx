import { useState, type FormEvent } from 'react';
import { del, get, post, seg } from '../api/client';
import type { ApiToken } from '../api/types';
import { Confirm, ErrorNote, Loading, ShownOnce } from '../components/ui';
import { useAction, useLoad } from '../hooks';
import { dateTime, endOfDay } from '../lib/format';
import { useSession } from '../session';

export function Account() {
  const { user } = useSession();
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Account</h1>
      <p>
        Signed in as <strong>{user.username}</strong>, role {user.role}.
      </p>
      <ChangePassword />
      <Tokens />
    </section>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run, setError } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    if (next !== repeat) {
      setError('the two new passwords differ');
      return;
    }
    if (await run(() => post('/auth/password', { current_password: current, new_password: next }).then(() => true))) {
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="card" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <label>
        Current password
        <input type="password" required autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
      </label>
      <label>
        New password <span className="muted">(at least 10 characters)</span>
        <input type="password" required autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
      </label>
      <label>
        New password again
        <input type="password" required autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
      </label>
      <ErrorNote message={error} />
      {done && <p role="status">Password changed. Your other sessions have been signed out.</p>}
      <button type="submit" className="primary" disabled={busy}>Change password</button>
    </form>
  );
}

function Tokens() {
  const tokens = useLoad(() => get<ApiToken[]>('/auth/tokens'), []);
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const create = useAction();
  const revoke = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, string> = { name: name.trim() };
    if (expires) body.expires_at = endOfDay(expires);
    const token = await create.run(() => post<{ id: string; token: string }>('/auth/tokens', body));
    if (token) {
      setCreated(token.token);
      setName('');
      setExpires('');
      void tokens.reload();
    }
  };

  const confirmRevoke = async () => {
    if (!revoking) return;
    if (await revoke.run(() => del('/auth/tokens/' + seg(revoking.id)).then(() => true))) {
      setRevoking(null);
      void tokens.reload();
    }
  };

  const active = tokens.data?.filter((t) => !t.revoked) ?? [];
  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="muted">
        For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts with your role.
      </p>
      <ErrorNote message={tokens.error} />
      {!tokens.data && !tokens.error && <Loading what="tokens" />}
      {tokens.data && active.length === 0 && <p className="empty">No tokens.</p>}
      {active.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {active.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>{dateTime(token.created_at)}</td>
                  <td>{token.last_used_at ? dateTime(token.last_used_at) : 'never'}</td>
                  <td>{token.expires_at ? dateTime(token.expires_at) : 'never'}</td>
                  <td><button type="button" className="small danger" onClick={() => { revoke.setError(null); setRevoking(token); }}>Revoke</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={(e) => void submit(e)} className="inline-form" aria-label="New token">
        <label>
          Name
          <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="backup script" maxLength={64} />
        </label>
        <label>
          Expires <span className="muted">(optional)</span>
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={create.busy}>Create token</button>
      </form>
      <ErrorNote message={create.error} />
      {created && (
        <div className="notice" role="status">
          <ShownOnce secret={created} copyLabel="Copy token" onDone={() => setCreated(null)}>
            Your new token, shown only now:
          </ShownOnce>
        </div>
      )}
      <Confirm
        open={revoking !== null}
        question={revoking ? `Revoke the token ${revoking.name}? Scripts using it stop working at once.` : ''}
        confirmLabel="Revoke"
        busy={revoke.busy}
        error={revoke.error}
        onConfirm={() => void confirmRevoke()}
        onCancel={() => setRevoking(null)}
      />
    </section>
  );
}
