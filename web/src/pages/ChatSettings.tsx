import { useState, type FormEvent } from 'react';
import { get, put } from '../api/client';
import { ErrorNote } from '../components/ui';
import { useAction, useLoad } from '../hooks';

interface Settings {
  allow_commands: string[];
  approval_for_multi_server: boolean;
}

interface Mattermost {
  command_token: string | null;
  url: string | null;
}

interface Slack {
  signing_secret: string | null;
  bot_token: string | null;
  app_token: string | null;
  socket_mode: { state: string; detail: string | null; since: string | null };
}

/** The admin's chat settings: the allow-list of commands that need no approval, and the Slack and Mattermost secrets. */
export function ChatSettings() {
  const settings = useLoad(() => get<Settings>('/chat/settings'), []);
  const slack = useLoad(() => get<Slack>('/integrations/slack'), []);
  const mattermost = useLoad(() => get<Mattermost>('/integrations/mattermost'), []);
  const [mm, setMm] = useState({ command_token: '', url: '' });
  const act = useAction();
  const [allow, setAllow] = useState<string | null>(null);
  const [multi, setMulti] = useState<boolean | null>(null);
  const [secrets, setSecrets] = useState({ signing_secret: '', bot_token: '', app_token: '' });
  const [saved, setSaved] = useState<string | null>(null);

  const saveRules = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      allow_commands: (allow ?? settings.data?.allow_commands.join('\n') ?? '').split('\n').map((line) => line.trim()).filter(Boolean),
      approval_for_multi_server: multi ?? settings.data?.approval_for_multi_server ?? true,
    };
    if (await act.run(() => put<Settings>('/chat/settings', body))) {
      setSaved('Approval rules saved.');
      void settings.reload();
    }
  };
  const saveSlack = async (event: FormEvent) => {
    event.preventDefault();
    const body = Object.fromEntries(Object.entries(secrets).filter(([, value]) => value.trim() !== '').map(([key, value]) => [key, value.trim()]));
    if (await act.run(() => put<Slack>('/integrations/slack', body))) {
      setSecrets({ signing_secret: '', bot_token: '', app_token: '' });
      setSaved('Slack settings saved.');
      void slack.reload();
    }
  };

  const removeAppToken = async () => {
    if (await act.run(() => put<Slack>('/integrations/slack', { app_token: null }))) {
      setSaved('Socket Mode turned off.');
      void slack.reload();
    }
  };

  const saveMattermost = async (event: FormEvent) => {
    event.preventDefault();
    const body = Object.fromEntries(Object.entries(mm).filter(([, value]) => value.trim() !== '').map(([key, value]) => [key, value.trim()]));
    if (await act.run(() => put<Mattermost>('/integrations/mattermost', body))) {
      setMm({ command_token: '', url: '' });
      setSaved('Mattermost settings saved.');
      void mattermost.reload();
    }
  };

  return (
    <details className="chat-settings">
      <summary>Chat settings (admin)</summary>
      {saved && <p role="status">{saved}</p>}
      <ErrorNote message={settings.error ?? slack.error ?? mattermost.error ?? act.error} />
      {settings.data && (
        <form aria-label="Approval rules" onSubmit={saveRules}>
          <label>
            Commands a single-server run may start without approval, one per line (* matches anything)
            <textarea rows={4} value={allow ?? settings.data.allow_commands.join('\n')} onChange={(e) => setAllow(e.target.value)} />
          </label>
          <label>
            <input type="checkbox" checked={multi ?? settings.data.approval_for_multi_server} onChange={(e) => setMulti(e.target.checked)} />
            {' '}Runs on more than one server always need approval
          </label>
          <button type="submit" disabled={act.busy}>Save rules</button>
        </form>
      )}
      {slack.data && (
        <form aria-label="Slack" onSubmit={saveSlack}>
          <p className="muted small-text">
            Signing secret {slack.data.signing_secret ?? 'not set'} · bot token {slack.data.bot_token ?? 'not set'} · app token{' '}
            {slack.data.app_token ?? 'not set'}. Fill in only what changes; docs/chatops.md has the steps and the app manifest.
          </p>
          <p role="note" aria-label="Socket Mode">
            Socket Mode: {slack.data.socket_mode.state}
            {slack.data.socket_mode.detail && ` (${slack.data.socket_mode.detail})`}
            {slack.data.socket_mode.since && ` since ${new Date(slack.data.socket_mode.since).toLocaleString()}`}
            {slack.data.app_token && <> <button type="button" onClick={() => void removeAppToken()} disabled={act.busy}>Remove app token</button></>}
          </p>
          <label>Signing secret <input type="password" autoComplete="off" value={secrets.signing_secret}
            onChange={(e) => setSecrets({ ...secrets, signing_secret: e.target.value })} /></label>
          <label>Bot token (xoxb-…) <input type="password" autoComplete="off" value={secrets.bot_token}
            onChange={(e) => setSecrets({ ...secrets, bot_token: e.target.value })} /></label>
          <label>App token (xapp-…) <input type="password" autoComplete="off" value={secrets.app_token}
            onChange={(e) => setSecrets({ ...secrets, app_token: e.target.value })} /></label>
          <button type="submit" disabled={act.busy}>Save Slack settings</button>
        </form>
      )}
      {mattermost.data && (
        <form aria-label="Mattermost" onSubmit={saveMattermost}>
          <p className="muted small-text">
            Command token {mattermost.data.command_token ?? 'not set'} · server {mattermost.data.url ?? 'not set'}.
          </p>
          <label>Slash command token <input type="password" autoComplete="off" value={mm.command_token}
            onChange={(e) => setMm({ ...mm, command_token: e.target.value })} /></label>
          <label>Mattermost server <input type="url" value={mm.url} placeholder="https://mattermost.example.com"
            onChange={(e) => setMm({ ...mm, url: e.target.value })} /></label>
          <button type="submit" disabled={act.busy}>Save Mattermost settings</button>
        </form>
      )}
    </details>
  );
}
