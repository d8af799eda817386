import { useState, type FormEvent } from 'react';
import { del, get, post, seg } from '../api/client';
import type { Channel, Delivery } from '../api/types';
import { ErrorNote, Loading, ShownOnce } from '../components/ui';
import { useAction, useLoad } from '../hooks';
import { dateTime } from '../lib/format';
import { useCan } from '../session';

export function Channels() {
  const channels = useLoad(() => get<Channel[]>('/notification-channels'), []);
  const deliveries = useLoad(() => get<Delivery[]>('/notifications?limit=50'), [], 10_000);
  const canEdit = useCan('operator');
  const act = useAction();
  const [tested, setTested] = useState<string | null>(null);
  const names = new Map((channels.data ?? []).map((c) => [c.id, c.name]));

  const test = async (channel: Channel) => {
    setTested(null);
    if (await act.run(() => post('/notification-channels/' + seg(channel.id) + '/test').then(() => true))) {
      setTested(`The test reached ${channel.name}.`);
    }
  };
  const remove = async (channel: Channel) => {
    if (await act.run(() => del('/notification-channels/' + seg(channel.id)).then(() => true))) void channels.reload();
  };

  return (
    <>
      <ErrorNote message={channels.error ?? act.error} />
      {tested && <p role="status">{tested}</p>}
      {!channels.data && !channels.error && <Loading what="channels" />}
      {channels.data && channels.data.length === 0 && <p className="empty">No channels yet: alerts are only shown here.</p>}
      {channels.data && channels.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Channel</th><th scope="col">Type</th><th scope="col">Goes to</th><th scope="col">State</th><th scope="col" /></tr></thead>
            <tbody>
              {channels.data.map((channel) => (
                <tr key={channel.id} data-channel={channel.name}>
                  <td>{channel.name}</td>
                  <td>{channel.type}</td>
                  <td className="mono">{goesTo(channel)}</td>
                  <td>{channel.enabled ? 'Enabled' : 'Disabled'}</td>
                  <td>
                    {canEdit && (
                      <>
                        <button type="button" className="small" disabled={act.busy} onClick={() => void test(channel)}>Send test</button>{' '}
                        <button type="button" className="small" disabled={act.busy} onClick={() => void remove(channel)}>Delete</button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && <NewChannel onCreated={() => void channels.reload()} />}
      <h2>Recent deliveries</h2>
      <ErrorNote message={deliveries.error} />
      {deliveries.data && deliveries.data.length === 0 && <p className="empty">Nothing sent yet.</p>}
      {deliveries.data && deliveries.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Time</th><th scope="col">Channel</th><th scope="col">Event</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Last error</th></tr></thead>
            <tbody>
              {deliveries.data.map((d) => (
                <tr key={d.id} data-delivery-state={d.state}>
                  <td>{dateTime(d.created_at)}</td>
                  <td>{names.get(d.channel_id) ?? d.channel_id}</td>
                  <td>{d.event}</td>
                  <td>{d.state}{d.state === 'pending' && d.next_attempt_at ? ` (next ${dateTime(d.next_attempt_at)})` : ''}</td>
                  <td>{d.attempts}</td>
                  <td className="mono detail">{d.last_error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Where a channel's notifications go, as far as the masked config tells. */
function goesTo(channel: Channel): string {
  const config = channel.config;
  if (channel.type === 'email') return (Array.isArray(config.to) ? config.to.join(', ') : '') + ` via ${String(config.smtp_host)}`;
  return String(config.url ?? config.webhook_url ?? '');
}

const noMail = { host: '', port: '', tls: 'starttls', username: '', password: '', from: '', to: '' };

/** The config the API expects of a channel of this type, from the form's fields. */
function configOf(type: Channel['type'], url: string, mail: typeof noMail): Record<string, unknown> {
  switch (type) {
    case 'webhook':
    case 'alertmanager':
      return { url: url.trim() };
    case 'slack':
    case 'mattermost':
      return { webhook_url: url.trim() };
    case 'email':
      return {
        smtp_host: mail.host.trim(),
        ...(mail.port.trim() ? { smtp_port: Number(mail.port) } : {}),
        tls: mail.tls,
        username: mail.username.trim() || null,
        password: mail.password || null,
        from: mail.from.trim(),
        to: mail.to.split(/[,\s]+/).filter(Boolean),
      };
  }
}

function NewChannel({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<Channel['type']>('webhook');
  const [url, setUrl] = useState('');
  const [mail, setMail] = useState(noMail);
  const [secret, setSecret] = useState<string | null>(null);
  const create = useAction();
  const field = (key: keyof typeof noMail) => (e: { target: { value: string } }) => setMail({ ...mail, [key]: e.target.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await create.run(() => post<Channel>('/notification-channels', { name: name.trim(), type, config: configOf(type, url, mail) }));
    if (created) {
      setName('');
      setUrl('');
      setMail(noMail);
      setSecret(typeof created.config.secret === 'string' ? created.config.secret : null);
      onCreated();
    }
  };

  return (
    <>
      <form className="inline-form" aria-label="New channel" onSubmit={submit}>
        <label>Name <input required maxLength={128} value={name} onChange={(e) => setName(e.target.value)} /></label>
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value as Channel['type'])}>
            <option value="webhook">webhook (signed)</option>
            <option value="slack">Slack incoming webhook</option>
            <option value="mattermost">Mattermost incoming webhook</option>
            <option value="email">e-mail (SMTP)</option>
            <option value="alertmanager">Prometheus Alertmanager</option>
          </select>
        </label>
        {type !== 'email' && (
          <label>
            URL
            <input required type="url" value={url} placeholder={type === 'alertmanager' ? 'http://alertmanager:9093' : 'https://…'}
              onChange={(e) => setUrl(e.target.value)} />
          </label>
        )}
        {type === 'email' && (
          <>
            <label>SMTP server <input required value={mail.host} placeholder="smtp.example.com" onChange={field('host')} /></label>
            <label>
              Security
              <select value={mail.tls} onChange={field('tls')}>
                <option value="starttls">STARTTLS (port 587)</option>
                <option value="tls">TLS (port 465)</option>
                <option value="none">none (port 25)</option>
              </select>
            </label>
            <label>Port <input inputMode="numeric" pattern="[0-9]*" size={6} value={mail.port} placeholder="default" onChange={field('port')} /></label>
            <label>User <input value={mail.username} autoComplete="off" onChange={field('username')} /></label>
            <label>Password <input type="password" value={mail.password} autoComplete="new-password" onChange={field('password')} /></label>
            <label>From <input required value={mail.from} placeholder="ChatOps <hub@example.com>" onChange={field('from')} /></label>
            <label>To <input required value={mail.to} placeholder="ops@example.com, oncall@example.com" onChange={field('to')} /></label>
          </>
        )}
        <button type="submit" disabled={create.busy}>Add channel</button>
        <ErrorNote message={create.error} />
      </form>
      {secret && (
        <ShownOnce secret={secret} copyLabel="Copy secret" onDone={() => setSecret(null)}>
          The signing secret of the new webhook: receivers check each request's signature with it. It is not shown again.
        </ShownOnce>
      )}
    </>
  );
}
