import { useState, type FormEvent } from 'react';
import { post } from '../api/client';
import type { User } from '../api/types';
import { ErrorNote } from '../components/ui';
import { useAction } from '../hooks';

export function SignIn({ expired, onSignedIn }: { expired: boolean; onSignedIn: (user: User, csrf: string) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await run(() => post<{ user: User; csrf_token: string }>('/auth/login', { username, password }));
    if (answer) onSignedIn(answer.user, answer.csrf_token);
  };

  return (
    <main className="sign-in" id="main">
      <h1>ChatOps</h1>
      <form onSubmit={(e) => void submit(e)} className="card" aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        {expired && <p role="status">Your session has ended. Sign in again to go back to where you were.</p>}
        <label>
          Username
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password}
            onChange={(e) => setPassword(e.target.value)} />
        </label>
        <ErrorNote message={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <details className="hint">
          <summary>First time here?</summary>
          <p>
            On a fresh install the hub creates the user <code>admin</code> with a random password. It prints it once in its log and
            keeps it in <code>data/initial-admin-password</code> (beside the hub, readable by its user only). There is no
            self-registration: an admin creates the other accounts under Users.
          </p>
        </details>
      </form>
    </main>
  );
}
