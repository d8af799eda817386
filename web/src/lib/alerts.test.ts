import { describe, expect, it } from 'vitest';
import type { Alert, AlertRule } from '../api/types';
import { alertBands, ruleCondition, ruleScope, seconds, tagList } from './alerts';

const base: AlertRule = {
  id: 'r1', name: 'Disk', enabled: true, severity: 'warning', kind: 'metric', metric: 'disk_percent', op: '>', threshold: 90,
  for_seconds: 300, scope: { server_ids: [], tags: [] }, channel_ids: [], repeat_seconds: 0, created_at: '', created_by: 'ada',
};

describe('alert rules in words', () => {
  it('says what a rule watches', () => {
    expect(ruleCondition(base)).toBe('Disk % (each filesystem) > 90 for 5 min');
    expect(ruleCondition({ ...base, kind: 'offline', for_seconds: 90 })).toBe('server offline for 1 min 30 s');
    expect(ruleCondition({ ...base, kind: 'container', container: 'web-*', for_seconds: 0 })).toBe('container web-* not running or unhealthy');
  });

  it('says which servers it covers', () => {
    expect(ruleScope(base, new Map())).toBe('every server');
    expect(ruleScope({ ...base, scope: { server_ids: ['s1'], tags: ['prod'] } }, new Map([['s1', 'web-01']]))).toBe('web-01, tag prod');
  });

  it('reads durations and tag lists as people write them', () => {
    expect(seconds(0)).toBe('at once');
    expect(seconds(3600)).toBe('1 h');
    expect(tagList(' prod, ,eu-west,prod ')).toEqual(['prod', 'eu-west']);
  });
});

describe('alert periods on charts', () => {
  const cpu: AlertRule = { ...base, id: 'cpu', name: 'CPU busy', metric: 'cpu_percent', severity: 'critical' };
  const offline: AlertRule = { ...base, id: 'off', name: 'Offline', kind: 'offline' };
  const alert = (rule: AlertRule, firing: string | null, resolved: string | null): Alert => ({
    id: rule.id + firing, rule_id: rule.id, rule_name: rule.name, severity: rule.severity, server_id: 's1', server_name: 'web-01',
    subject: null, state: resolved ? 'resolved' : firing ? 'firing' : 'pending', value: 95, threshold: 90,
    started_at: firing ?? '2026-01-01T10:00:00Z', firing_at: firing, resolved_at: resolved, acknowledged_by: null,
    acknowledged_at: null, silenced_until: null, summary: '',
  });
  const from = Date.parse('2026-01-01T10:00:00Z') / 1000;
  const to = from + 3600;

  it('shades a metric alert on its own chart, clipped to the range, and an offline alert on every chart', () => {
    const alerts = [
      alert(cpu, '2026-01-01T09:50:00Z', '2026-01-01T10:10:00Z'),
      alert(offline, '2026-01-01T10:30:00Z', null),
    ];
    const onCpu = alertBands(alerts, [cpu, offline], 'cpu', from, to);
    expect(onCpu.map((b) => [b.from - from, b.to - from, b.open])).toEqual([[0, 600, false], [1800, 3600, true]]);
    expect(onCpu[0].label).toMatch(/^CPU busy, critical, .+–.+$/);
    expect(onCpu[1].label).toMatch(/^Offline, warning, since .+$/);
    expect(alertBands(alerts, [cpu, offline], 'disk', from, to)).toHaveLength(1);
  });

  it('leaves out alerts outside the range, that never fired, or of rules since deleted', () => {
    const alerts = [
      alert(cpu, '2026-01-01T08:00:00Z', '2026-01-01T08:30:00Z'),
      alert(cpu, null, '2026-01-01T10:05:00Z'),
      alert({ ...cpu, id: 'gone' }, '2026-01-01T10:05:00Z', null),
    ];
    expect(alertBands(alerts, [cpu], 'cpu', from, to)).toEqual([]);
  });
});
