import { useState, type FormEvent } from 'react';
import { del, get, patch, post, seg } from '../api/client';
import type { Role, User } from '../api/types';
import { Confirm, ErrorNote, Loading } from '../components/ui';
import { useAction, useLoad } from '../hooks';
import { dateTime } from '../lib/format';
import { useSession } from '../session';

const ROLES: Role[] = ['viewer', 'operator', 'admin'];

export function Users() {
  const users = useLoad(() => get<User[]>('/users'), []);
  const me = useSession().user;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [deleting, setDeleting] = useState<User | null>(null);
  const create = useAction();
  const change = useAction();
  const remove = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await create.run(() => post<User>('/users', { username: username.trim(), password, role }))) {
      setUsername('');
      setPassword('');
      void users.reload();
    }
  };

  const setUserRole = async (user: User, next: Role) => {
    if (await change.run(() => patch<User>('/users/' + seg(user.id), { role: next }).then(() => true))) void users.reload();
  };

  const confirmDelete = async () => {
    if (!deleting) return;
    if (await remove.run(() => del('/users/' + seg(deleting.id)).then(() => true))) {
      setDeleting(null);
      void users.reload();
    }
  };

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <p className="muted">Viewers read; operators also run commands and Docker actions; admins also manage users, servers and keys.</p>
      <ErrorNote message={users.error ?? change.error} />
      {!users.data && !users.error && <Loading what="users" />}
      {users.data && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {users.data.map((user) => (
                <tr key={user.id} data-user={user.username}>
                  <th scope="row">{user.username}{user.id === me.id && <span className="muted"> (you)</span>}</th>
                  <td>
                    <label>
                      <span className="visually-hidden">Role of {user.username}</span>
                      <select value={user.role} disabled={change.busy} onChange={(e) => void setUserRole(user, e.target.value as Role)}>
                        {ROLES.map((r) => <option key={r}>{r}</option>)}
                      </select>
                    </label>
                  </td>
                  <td>{dateTime(user.created_at)}</td>
                  <td>
                    {user.id !== me.id && (
                      <button type="button" className="small danger" onClick={() => { remove.setError(null); setDeleting(user); }}>Delete</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>New user</h2>
      <form onSubmit={(e) => void submit(e)} className="inline-form">
        <label>
          Username
          <input required value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" maxLength={64} />
        </label>
        <label>
          Password <span className="muted">(at least 10 characters)</span>
          <input required type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => <option key={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit" className="primary" disabled={create.busy}>Create user</button>
      </form>
      <ErrorNote message={create.error} />
      <Confirm
        open={deleting !== null}
        question={deleting ? `Delete the user ${deleting.username}? Their sessions and tokens end at once.` : ''}
        confirmLabel="Delete"
        busy={remove.busy}
        error={remove.error}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      />
    </section>
  );
}
