import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../api/types';
import { ruleCondition, ruleScope, seconds, tagList } from './alerts';

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
