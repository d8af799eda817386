import { useEffect, useMemo, useRef, useState } from 'react';
import { get, seg } from '../api/client';
import type { Alert, AlertRule, History, LatestSample, Sample, Server, ServerEvent } from '../api/types';
import { Chart } from '../components/Chart';
import { ErrorNote, Loading } from '../components/ui';
import { useLoad, useTopic } from '../hooks';
import { alertBands, type ChartName } from '../lib/alerts';
import { live } from '../live/LiveSocket';
import { markersFromEvents } from '../lib/events';
import { bytes, celsius, dateTime, decimal, duration, percent, rate } from '../lib/format';
import { appendToCharts, chartsFromHistory, hasValues, pointFromSample, type Charts, type Point } from '../lib/series';

const RANGES = [
  { id: '15m', label: 'Live 15 min', seconds: 15 * 60 },
  { id: '1h', label: '1 h', seconds: 3600 },
  { id: '6h', label: '6 h', seconds: 6 * 3600 },
  { id: '24h', label: '24 h', seconds: 24 * 3600 },
  { id: '7d', label: '7 d', seconds: 7 * 86400 },
  { id: '30d', label: '30 d', seconds: 30 * 86400 },
];

const ROLLUP_REFRESH_MILLIS = 60_000;
const CHECK_MILLIS = 10_000;

export function MetricsTab({ server }: { server: Server }) {
  const [range, setRange] = useState(RANGES[0]);
  const [charts, setCharts] = useState<Charts | null>(null);
  const [resolution, setResolution] = useState<History['resolution'] | null>(null);
  const [latest, setLatest] = useState<LatestSample | null>(null);
  const [error, setError] = useState<string | null>(null);
  const previous = useRef<Sample | null>(null);
  const resolutionRef = useRef(resolution);
  resolutionRef.current = resolution;
  const id = server.id;

  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      const to = new Date();
      const from = new Date(to.getTime() - range.seconds * 1000);
      try {
        const [history, last] = await Promise.all([
          get<History>(`/servers/${seg(id)}/metrics?from=${from.toISOString()}&to=${to.toISOString()}`),
          get<LatestSample>(`/servers/${seg(id)}/metrics/latest`).catch(() => null),
        ]);
        if (cancelled) return;
        previous.current = last;
        setLatest(last);
        setCharts(chartsFromHistory(history));
        setResolution(history.resolution);
        setError(null);
      } catch (e) {
        if (!cancelled) setError(e instanceof Error ? e.message : String(e));
      }
    };
    setCharts(null);
    void load();
    // Rollup tiers move by the minute: read them again. The raw tier moves with every live sample,
    // and is read again only while the live socket is down.
    let loadedAt = Date.now();
    const timer = setInterval(() => {
      const raw = resolutionRef.current === 'raw';
      if ((!raw && Date.now() - loadedAt >= ROLLUP_REFRESH_MILLIS) || (raw && live.state !== 'live')) {
        loadedAt = Date.now();
        void load();
      }
    }, CHECK_MILLIS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [id, range]);

  useTopic(`server:${id}:metrics`, (message) => {
    const sample = message as unknown as Sample;
    const before = previous.current;
    if (before && sample.seq <= before.seq) return;
    previous.current = sample;
    // One point per sample: its rates feed both the network table and the charts.
    const point = pointFromSample(sample, before);
    setLatest((old) => ({ ...sample, network_rates: before ? ratesOf(sample, point) : old?.network_rates ?? [] }));
    if (resolutionRef.current !== 'raw') return;
    const interval = sample.interval_seconds || 5;
    setCharts((current) => current && appendToCharts(current, point, interval * 2.5, range.seconds));
  });

  const span = (): [number, number] => {
    const now = Date.now() / 1000;
    return [now - range.seconds, now];
  };

  // When alerts fired, shaded on the charts they are about; read again on each change of this server's alerts.
  const alerts = useLoad(() => get<Alert[]>(`/alerts?state=all&server_id=${seg(id)}&limit=500`), [id], 60_000);
  const rules = useLoad(() => get<AlertRule[]>('/alert-rules'), [], 60_000);
  useTopic('alerts', (message) => {
    if (message.server_id === id) void alerts.reload();
  });
  const bands = (chart: ChartName) => {
    const [from, to] = span();
    return alertBands(alerts.data ?? [], rules.data ?? [], chart, from, to);
  };

  // Commands, container actions, agent connections and alerts, drawn on every chart: a spike beside the restart that caused it.
  const events = useLoad(() => {
    const to = new Date();
    const from = new Date(to.getTime() - range.seconds * 1000);
    return get<ServerEvent[]>(`/servers/${seg(id)}/events?from=${from.toISOString()}&to=${to.toISOString()}`);
  }, [id, range], 30_000);
  const markers = useMemo(() => markersFromEvents(events.data ?? [], dateTime), [events.data]);

  return (
    <div>
      <div className="range" role="group" aria-label="Time range">
        {RANGES.map((r) => (
          <button key={r.id} type="button" aria-pressed={r.id === range.id} onClick={() => setRange(r)}>
            {r.label}
          </button>
        ))}
        {resolution && (
          <span className="muted small-text" data-testid="resolution">
            {resolution === 'raw' ? 'every sample, updating live' : `${resolution === '1m' ? 'minute' : 'hour'} averages and maxima, updating every minute`}
          </span>
        )}
      </div>
      <ErrorNote message={error} />
      <Figures sample={latest} online={server.status === 'online'} />
      {!charts && !error && <Loading what="history" />}
      {charts && (
        <div className="charts">
          <Chart title="CPU" data={charts.cpu} bands={bands('cpu')} format={percent} percent span={span} markers={markers} />
          <Chart title="Memory and swap" data={charts.memory} bands={bands('memory')} format={percent} percent span={span} markers={markers} />
          <Chart title="Disk usage" data={charts.disk} bands={bands('disk')} format={percent} percent span={span} markers={markers} />
          <Chart title="Network" data={charts.network} bands={bands('network')} format={rate} binarySuffix="/s" span={span} markers={markers} />
          <Chart title="Load" data={charts.load} bands={bands('load')} format={(v) => decimal(v)} span={span} markers={markers} />
          {/* What only some hosts report (sensors, pressure information, systemd) is charted where there is something to draw. */}
          {hasValues(charts.diskio) && <Chart title="Disk I/O" data={charts.diskio} bands={bands('diskio')} format={rate} binarySuffix="/s" span={span} markers={markers} />}
          {hasValues(charts.temperature) && <Chart title="Temperatures" data={charts.temperature} bands={bands('temperature')} format={celsius} span={span} markers={markers} />}
          {hasValues(charts.pressure) && <Chart title="Pressure (share of time stalled)" data={charts.pressure} bands={bands('pressure')} format={percent} percent span={span} markers={markers} />}
          {hasValues(charts.services) && <Chart title="Services" data={charts.services} bands={bands('services')} format={(v) => decimal(v, 0)} span={span} markers={markers} />}
        </div>
      )}
      {latest && <Breakdown sample={latest} />}
    </div>
  );
}

function ratesOf(sample: Sample, point: Point): LatestSample['network_rates'] {
  return sample.network.map((n) => ({
    interface: n.interface,
    sent_bytes_per_second: point.network[n.interface + ' sent'],
    recv_bytes_per_second: point.network[n.interface + ' received'],
  }));
}

/** The newest sample's figures, above the charts. */
function Figures({ sample, online }: { sample: LatestSample | null; online: boolean }) {
  if (!sample) return <p className="muted">No sample has arrived from this server yet.</p>;
  const memory = sample.memory;
  return (
    <div className="current" aria-label="Latest sample">
      {!online && <p className="muted" role="status">Offline: these are the last figures it sent, at {new Date(sample.timestamp).toLocaleString()}.</p>}
      <dl className="figures">
        <div><dt>CPU</dt><dd data-testid="current-cpu">{percent(sample.cpu?.usage_percent)}</dd></div>
        <div><dt>Load 1 / 5 / 15</dt><dd>{sample.cpu ? `${decimal(sample.cpu.load_1)} / ${decimal(sample.cpu.load_5)} / ${decimal(sample.cpu.load_15)}` : '–'}</dd></div>
        <div><dt>Memory</dt><dd>{memory ? `${bytes(memory.used_bytes)} of ${bytes(memory.total_bytes)} (${percent(memory.usage_percent)})` : '–'}</dd></div>
        <div><dt>Swap</dt><dd>{memory ? (memory.swap_total_bytes > 0 ? `${bytes(memory.swap_used_bytes)} of ${bytes(memory.swap_total_bytes)}` : 'none') : '–'}</dd></div>
        <div><dt>Uptime</dt><dd>{sample.uptime_seconds != null ? duration(sample.uptime_seconds * 1000) : '–'}</dd></div>
        {sample.pressure?.cpu_some_avg10 != null && (
          <div><dt>Waiting for CPU</dt><dd title="Share of the last 10 s in which some task waited for a CPU">{percent(sample.pressure.cpu_some_avg10)}</dd></div>
        )}
        {sample.tcp && <div><dt>TCP connections</dt><dd data-testid="current-tcp">{sample.tcp.established} established, {sample.tcp.time_wait} closing</dd></div>}
        {sample.services && (
          <div><dt>Services</dt><dd data-testid="current-services">{sample.services.active} running, {sample.services.failed} failed</dd></div>
        )}
      </dl>
      {sample.services && sample.services.failed_units.length > 0 && (
        <p className="warnings" role="status">Failed services: {sample.services.failed_units.join(', ')}</p>
      )}
      {sample.errors && sample.errors.length > 0 && (
        <ul className="warnings">
          {sample.errors.map((e, i) => <li key={i}>{e.collector}: {e.message}</li>)}
        </ul>
      )}
    </div>
  );
}

/** The newest sample per filesystem and interface, below the charts. */
function Breakdown({ sample }: { sample: LatestSample }) {
  return (
    <div className="breakdown">
      <div className="table-wrap">
        <table>
          <caption>Filesystems</caption>
          <thead><tr><th scope="col">Mount</th><th scope="col">Device</th><th scope="col">Type</th><th scope="col">Used</th><th scope="col">Size</th><th scope="col">Use</th></tr></thead>
          <tbody>
            {sample.disks.map((d) => (
              <tr key={d.mount}><td>{d.mount}</td><td>{d.device}</td><td>{d.fs_type}</td><td>{bytes(d.used_bytes)}</td><td>{bytes(d.total_bytes)}</td><td>{percent(d.usage_percent)}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-wrap">
        <table>
          <caption>Network</caption>
          <thead><tr><th scope="col">Interface</th><th scope="col">Sending</th><th scope="col">Receiving</th></tr></thead>
          <tbody>
            {sample.network_rates.map((n) => (
              <tr key={n.interface}><td>{n.interface}</td><td>{rate(n.sent_bytes_per_second)}</td><td>{rate(n.recv_bytes_per_second)}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      {sample.disk_io && sample.disk_io.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption>Block devices</caption>
            <thead><tr><th scope="col">Device</th><th scope="col">Filesystems</th><th scope="col">Reading</th><th scope="col">Writing</th><th scope="col">Operations</th><th scope="col">Busy</th></tr></thead>
            <tbody>
              {sample.disk_io.map((io) => (
                <tr key={io.device}>
                  <td>{io.device}</td><td>{io.mounts.join(', ') || '–'}</td><td>{rate(io.read_bytes_per_second)}</td><td>{rate(io.write_bytes_per_second)}</td>
                  <td>{decimal(io.reads_per_second, 1)} read/s, {decimal(io.writes_per_second, 1)} write/s</td><td>{percent(io.busy_percent)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {sample.temperatures && sample.temperatures.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption>Temperatures</caption>
            <thead><tr><th scope="col">Sensor</th><th scope="col">Now</th><th scope="col">High</th><th scope="col">Critical</th></tr></thead>
            <tbody>
              {sample.temperatures.map((t) => (
                <tr key={t.sensor}><td>{t.sensor}</td><td>{celsius(t.celsius)}</td><td>{celsius(t.high_celsius)}</td><td>{celsius(t.critical_celsius)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
