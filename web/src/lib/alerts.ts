import type { Alert, AlertRule, Severity } from '../api/types';

export const METRICS: { id: string; label: string }[] = [
  { id: 'cpu_percent', label: 'CPU %' },
  { id: 'memory_percent', label: 'Memory %' },
  { id: 'swap_percent', label: 'Swap %' },
  { id: 'disk_percent', label: 'Disk % (each filesystem)' },
  { id: 'load_1', label: 'Load (1 min)' },
  { id: 'load_1_per_core', label: 'Load per core (1 min)' },
  { id: 'net_recv_bytes_per_second', label: 'Received B/s (each interface)' },
  { id: 'net_sent_bytes_per_second', label: 'Sent B/s (each interface)' },
  { id: 'disk_io_busy_percent', label: 'Disk busy % (each device)' },
  { id: 'temperature_celsius', label: 'Temperature °C (each sensor)' },
  { id: 'service_failed', label: 'Service failed (each systemd service; 1 while failed)' },
];

/** A duration in seconds as people say it: "at once", "5 min", "1 h 30 min", "45 s". */
export function seconds(value: number): string {
  if (value <= 0) return 'at once';
  const h = Math.floor(value / 3600);
  const m = Math.floor((value % 3600) / 60);
  const s = value % 60;
  return [h ? h + ' h' : '', m ? m + ' min' : '', s ? s + ' s' : ''].filter(Boolean).join(' ');
}

/** What a rule watches, in one line: "Disk % (each filesystem) > 90 for 5 min". */
export function ruleCondition(rule: AlertRule): string {
  const held = rule.for_seconds > 0 ? ' for ' + seconds(rule.for_seconds) : '';
  switch (rule.kind) {
    case 'offline':
      return 'server offline' + held;
    case 'container':
      return `container ${rule.container} not running or unhealthy${held}`;
    default: {
      const label = METRICS.find((m) => m.id === rule.metric)?.label ?? rule.metric;
      return `${label} ${rule.op} ${rule.threshold}${held}`;
    }
  }
}

/** Which servers a rule covers, in one line. */
export function ruleScope(rule: AlertRule, serverNames: Map<string, string>): string {
  const parts = [
    ...rule.scope.server_ids.map((id) => serverNames.get(id) ?? id),
    ...rule.scope.tags.map((tag) => 'tag ' + tag),
  ];
  return parts.length ? parts.join(', ') : 'every server';
}

/** "prod, eu-west" → ["prod", "eu-west"]: blanks and repeats dropped. */
export function tagList(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim()).filter(Boolean))];
}

/** The charts of a server's metrics page. */
export type ChartName = 'cpu' | 'memory' | 'disk' | 'network' | 'load' | 'diskio' | 'temperature' | 'pressure' | 'services';

/** A period an alert fired, to shade on a chart: times in Unix seconds. */
export interface AlertBand {
  from: number;
  to: number;
  severity: Severity;
  /** Still firing at `to` (now). */
  open: boolean;
  label: string;
}

const CHART_OF_METRIC: Record<string, ChartName> = {
  cpu_percent: 'cpu',
  memory_percent: 'memory',
  swap_percent: 'memory',
  disk_percent: 'disk',
  net_recv_bytes_per_second: 'network',
  net_sent_bytes_per_second: 'network',
  load_1: 'load',
  load_1_per_core: 'load',
  disk_io_busy_percent: 'diskio',
  temperature_celsius: 'temperature',
  service_failed: 'services',
};

/**
 * The periods in [from, to] (Unix seconds) when alerts of the chart's metric fired, oldest first:
 * a metric rule's alerts go on its metric's chart, an offline alert on every chart (it explains the
 * gap in each), container alerts on none. Alerts that never fired (pending, then resolved) have no period.
 */
export function alertBands(alerts: Alert[], rules: AlertRule[], chart: ChartName, from: number, to: number): AlertBand[] {
  const rulesById = new Map(rules.map((rule) => [rule.id, rule]));
  const bands: AlertBand[] = [];
  for (const alert of alerts) {
    const rule = rulesById.get(alert.rule_id);
    if (!rule || !alert.firing_at) continue;
    const belongs = rule.kind === 'offline' || (rule.kind === 'metric' && rule.metric && CHART_OF_METRIC[rule.metric] === chart);
    if (!belongs) continue;
    const start = Date.parse(alert.firing_at) / 1000;
    const end = alert.resolved_at ? Date.parse(alert.resolved_at) / 1000 : to;
    if (end < from || start > to) continue;
    const what = alert.subject ? `${alert.rule_name} (${alert.subject})` : alert.rule_name;
    const when = alert.resolved_at ? `${clock(start)}–${clock(end)}` : `since ${clock(start)}`;
    bands.push({ from: Math.max(start, from), to: Math.min(end, to), severity: alert.severity, open: !alert.resolved_at, label: `${what}, ${alert.severity}, ${when}` });
  }
  return bands.sort((a, b) => a.from - b.from);
}

function clock(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
