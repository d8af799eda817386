import { useState } from 'react';
import { post, seg } from '../api/client';
import { ErrorNote } from '../components/ui';
import { useAction } from '../hooks';
import { useSession } from '../session';

interface Linked {
  platform: string;
  team_id: string;
  user_id: string;
}

/** Opened from the one-time link that `link` gives in Slack or Mattermost: binds that identity to whoever is signed in here. */
export function ChatLink({ nonce }: { nonce: string }) {
  const { user } = useSession();
  const act = useAction();
  const [linked, setLinked] = useState<Linked | null>(null);
  const confirm = async () => {
    const done = await act.run(() => post<Linked>('/chat/links/' + seg(nonce)));
    if (done) setLinked(done);
  };
  return (
    <section aria-labelledby="link-title">
      <h1 id="link-title">Link a chat identity</h1>
      {linked ? (
        <p role="status">Linked: {linked.platform} user {linked.user_id} (team {linked.team_id}) now acts as {user.username}, with your role.</p>
      ) : (
        <>
          <p>
            Someone asked to act in chat as <strong>{user.username}</strong> ({user.role}). Link only if it was you: every command
            they type will run with your role and appear in the audit log under your name.
          </p>
          <button type="button" disabled={act.busy} onClick={() => void confirm()}>Link to {user.username}</button>
          <ErrorNote message={act.error} />
        </>
      )}
    </section>
  );
}
