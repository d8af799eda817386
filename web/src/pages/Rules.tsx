import { useState, type FormEvent } from 'react';
import { del, get, patch, post, seg } from '../api/client';
import type { AlertRule, Channel, Server, Severity } from '../api/types';
import { ErrorNote, Loading } from '../components/ui';
import { useAction, useLoad } from '../hooks';
import { METRICS, ruleCondition, ruleScope, seconds, tagList } from '../lib/alerts';
import { useCan } from '../session';

export function Rules() {
  const rules = useLoad(() => get<AlertRule[]>('/alert-rules'), []);
  const servers = useLoad(() => get<Server[]>('/servers'), []);
  const channels = useLoad(() => get<Channel[]>('/notification-channels'), []);
  const canEdit = useCan('operator');
  const change = useAction();
  const names = new Map((servers.data ?? []).map((s) => [s.id, s.name]));
  const channelNames = new Map((channels.data ?? []).map((c) => [c.id, c.name]));

  const toggle = async (rule: AlertRule) => {
    if (await change.run(() => patch('/alert-rules/' + seg(rule.id), { enabled: !rule.enabled }).then(() => true))) void rules.reload();
  };
  const remove = async (rule: AlertRule) => {
    if (await change.run(() => del('/alert-rules/' + seg(rule.id)).then(() => true))) void rules.reload();
  };

  return (
    <>
      <ErrorNote message={rules.error ?? change.error} />
      {!rules.data && !rules.error && <Loading what="rules" />}
      {rules.data && rules.data.length === 0 && <p className="empty">No rules yet.</p>}
      {rules.data && rules.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr><th scope="col">Rule</th><th scope="col">When</th><th scope="col">Servers</th><th scope="col">Severity</th><th scope="col">Tells</th><th scope="col">State</th><th scope="col" /></tr>
            </thead>
            <tbody>
              {rules.data.map((rule) => (
                <tr key={rule.id} data-rule={rule.name}>
                  <td>{rule.name}</td>
                  <td>{ruleCondition(rule)}</td>
                  <td>{ruleScope(rule, names)}</td>
                  <td>{rule.severity}</td>
                  <td>
                    {rule.channel_ids.map((id) => channelNames.get(id) ?? id).join(', ') || '–'}
                    {rule.repeat_seconds > 0 && <div className="muted small-text">again every {seconds(rule.repeat_seconds)}</div>}
                  </td>
                  <td>{rule.enabled ? 'Enabled' : 'Disabled'}</td>
                  <td>
                    {canEdit && (
                      <>
                        <button type="button" className="small" disabled={change.busy} onClick={() => void toggle(rule)}>
                          {rule.enabled ? 'Disable' : 'Enable'}
                        </button>{' '}
                        <button type="button" className="small" disabled={change.busy} onClick={() => void remove(rule)}>Delete</button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && <NewRule channels={channels.data ?? []} onCreated={() => void rules.reload()} />}
    </>
  );
}

function NewRule({ channels, onCreated }: { channels: Channel[]; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<AlertRule['kind']>('metric');
  const [metric, setMetric] = useState('disk_percent');
  const [op, setOp] = useState('>');
  const [threshold, setThreshold] = useState('90');
  const [container, setContainer] = useState('');
  const [forSeconds, setForSeconds] = useState('300');
  const [severity, setSeverity] = useState<Severity>('warning');
  const [tags, setTags] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const create = useAction();
  const previewing = useAction();
  const [preview, setPreview] = useState<Preview | null>(null);

  const rule = () => {
    const body: Record<string, unknown> = {
      name: name.trim() || undefined, kind, severity, for_seconds: Number(forSeconds || 0), scope: { tags: tagList(tags) }, channel_ids: chosen,
    };
    if (kind === 'metric') Object.assign(body, { metric, op, threshold: threshold.trim() === '' ? null : Number(threshold) });
    if (kind === 'container') body.container = container.trim();
    return body;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await create.run(() => post('/alert-rules', rule()).then(() => true))) {
      setName('');
      setPreview(null);
      onCreated();
    }
  };

  const showPreview = async () => {
    const result = await previewing.run(() => post<Preview>('/alert-rules/preview', rule()));
    setPreview(result ?? null);
  };

  return (
    <form className="inline-form" aria-label="New alert rule" onSubmit={submit}>
      <label>Name <input required maxLength={128} value={name} onChange={(e) => setName(e.target.value)} /></label>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value as AlertRule['kind'])}>
          <option value="metric">metric</option>
          <option value="offline">server offline</option>
          <option value="container">container</option>
        </select>
      </label>
      {kind === 'metric' && (
        <>
          <label>
            Metric
            <select value={metric} onChange={(e) => setMetric(e.target.value)}>
              {METRICS.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
            </select>
          </label>
          <label>
            Is
            <select value={op} onChange={(e) => setOp(e.target.value)}>
              {['>', '>=', '<', '<='].map((o) => <option key={o}>{o}</option>)}
            </select>
          </label>
          <label>Threshold <input type="number" step="any" value={threshold} onChange={(e) => setThreshold(e.target.value)} /></label>
        </>
      )}
      {kind === 'container' && (
        <label>Container (name or glob) <input required value={container} placeholder="web-*" onChange={(e) => setContainer(e.target.value)} /></label>
      )}
      <label>For seconds <input type="number" min={0} value={forSeconds} onChange={(e) => setForSeconds(e.target.value)} /></label>
      <label>
        Severity
        <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
          {['info', 'warning', 'critical'].map((s) => <option key={s}>{s}</option>)}
        </select>
      </label>
      <label>Tags (empty: every server) <input value={tags} placeholder="prod, db" onChange={(e) => setTags(e.target.value)} /></label>
      {channels.length > 0 && (
        <fieldset>
          <legend>Tell</legend>
          {channels.map((c) => (
            <label key={c.id}>
              <input type="checkbox" checked={chosen.includes(c.id)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, c.id] : chosen.filter((id) => id !== c.id))} /> {c.name}
            </label>
          ))}
        </fieldset>
      )}
      <button type="button" disabled={previewing.busy} onClick={() => void showPreview()}>Preview</button>
      <button type="submit" disabled={create.busy}>Add rule</button>
      <ErrorNote message={create.error ?? previewing.error} />
      {preview && <PreviewNote preview={preview} />}
    </form>
  );
}

interface Preview {
  servers_covered: number;
  servers: { server_id: string; server_name: string; subjects: { subject: string | null; value: number | null; breaks: boolean }[] }[];
}

/** What the rule would cover now, and what already breaks it. */
function PreviewNote({ preview }: { preview: Preview }) {
  const breaking = preview.servers.flatMap((server) => server.subjects.filter((s) => s.breaks)
    .map((s) => server.server_name + (s.subject ? ' ' + s.subject : '') + (s.value != null ? ` (${s.value.toFixed(1)})` : '')));
  return (
    <p role="status" data-testid="rule-preview">
      Covers {preview.servers_covered} {preview.servers_covered === 1 ? 'server' : 'servers'}.{' '}
      {breaking.length ? `Breaks it now: ${breaking.join(', ')}.` : 'Nothing breaks it now.'}
    </p>
  );
}
