import { useState } from 'react';
import { get, post, seg } from '../api/client';
import type { Alert, AlertState } from '../api/types';
import { ErrorNote, Loading } from '../components/ui';
import { useAction, useLoad, useTopic } from '../hooks';
import { dateTime } from '../lib/format';
import { useCan } from '../session';
import { Channels } from './Channels';
import { Rules } from './Rules';

const REREAD_MILLIS = 10_000;

const VIEWS = [
  { id: 'open', label: 'Firing and pending', query: 'firing,pending' },
  { id: 'resolved', label: 'Resolved', query: 'resolved' },
  { id: 'all', label: 'All', query: 'all' },
];

/** Alerts, their rules and the channels they go to, under one page with three tabs. */
export function Alerts({ tab }: { tab: string }) {
  const current = ['rules', 'channels'].includes(tab) ? tab : 'alerts';
  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">Alerts</h1>
      <nav className="tabs" aria-label="Alert sections">
        {[['alerts', 'Alerts'], ['rules', 'Rules'], ['channels', 'Channels']].map(([id, label]) => (
          <a key={id} href={'#/alerts/' + id} aria-current={current === id ? 'page' : undefined}>{label}</a>
        ))}
      </nav>
      <div className="tab-panel">
        {current === 'alerts' && <AlertList />}
        {current === 'rules' && <Rules />}
        {current === 'channels' && <Channels />}
      </div>
    </section>
  );
}

function AlertList() {
  const [view, setView] = useState('open');
  const query = VIEWS.find((v) => v.id === view)?.query ?? 'firing,pending';
  // Live changes reload the list; the periodic read also covers a change made between the first
  // read and the subscription taking effect.
  const alerts = useLoad(() => get<Alert[]>('/alerts?limit=500&state=' + query), [query], REREAD_MILLIS);
  const canAct = useCan('operator');
  const ack = useAction();
  useTopic('alerts', () => void alerts.reload());

  const acknowledge = async (alert: Alert) => {
    if (await ack.run(() => post<Alert>('/alerts/' + seg(alert.id) + '/ack', {}).then(() => true))) void alerts.reload();
  };

  return (
    <>
      <div className="filters" role="group" aria-label="Which alerts">
        {VIEWS.map((v) => (
          <button key={v.id} type="button" className={view === v.id ? 'primary' : undefined} aria-pressed={view === v.id}
            onClick={() => setView(v.id)}>{v.label}</button>
        ))}
      </div>
      <ErrorNote message={alerts.error ?? ack.error} />
      {!alerts.data && !alerts.error && <Loading what="alerts" />}
      {alerts.data && alerts.data.length === 0 && <p className="empty">{view === 'open' ? 'Nothing is firing.' : 'No alerts.'}</p>}
      {alerts.data && alerts.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr><th scope="col">State</th><th scope="col">Severity</th><th scope="col">Alert</th><th scope="col">Since</th><th scope="col">Acknowledged</th><th scope="col" /></tr>
            </thead>
            <tbody>
              {alerts.data.map((alert) => (
                <tr key={alert.id} data-alert={alert.id} data-state={alert.state}>
                  <td><AlertStateBadge state={alert.state} />{alert.silenced_until && <span className="muted"> silenced</span>}</td>
                  <td>{alert.severity}</td>
                  <td>
                    <a href={'#/servers/' + encodeURIComponent(alert.server_id)}>{alert.server_name ?? alert.server_id}</a>
                    {': '}{alert.summary}
                    <div className="muted small-text">{alert.rule_name}</div>
                  </td>
                  <td>{dateTime(alert.resolved_at ?? alert.firing_at ?? alert.started_at)}</td>
                  <td>{alert.acknowledged_by ? `${alert.acknowledged_by}, ${dateTime(alert.acknowledged_at)}` : '–'}</td>
                  <td>
                    {canAct && alert.state !== 'resolved' && !alert.acknowledged_by && (
                      <button type="button" className="small" disabled={ack.busy} onClick={() => void acknowledge(alert)}>Acknowledge</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** A state with its word and a shape, never colour alone. */
export function AlertStateBadge({ state }: { state: AlertState }) {
  const shape = state === 'firing' ? '▲' : state === 'pending' ? '◆' : '●';
  return (
    <span className={'badge alert-' + state} data-alert-state={state}>
      <span aria-hidden="true">{shape}</span> {state[0].toUpperCase() + state.slice(1)}
    </span>
  );
}
