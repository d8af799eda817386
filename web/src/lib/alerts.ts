import type { AlertRule } from '../api/types';

export const METRICS: { id: string; label: string }[] = [
  { id: 'cpu_percent', label: 'CPU %' },
  { id: 'memory_percent', label: 'Memory %' },
  { id: 'swap_percent', label: 'Swap %' },
  { id: 'disk_percent', label: 'Disk % (each filesystem)' },
  { id: 'load_1', label: 'Load (1 min)' },
  { id: 'load_1_per_core', label: 'Load per core (1 min)' },
  { id: 'net_recv_bytes_per_second', label: 'Received B/s (each interface)' },
  { id: 'net_sent_bytes_per_second', label: 'Sent B/s (each interface)' },
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
