import { describe, expect, it } from 'vitest';
import { statusLabel, statusText } from './status';

const now = Date.parse('2026-11-26T10:00:00Z');

describe('status text', () => {
  it('says how long a server has been offline', () => {
    expect(statusText({ status: 'offline', last_seen: '2026-11-26T09:48:00Z' }, now)).toBe('Offline for 12 min');
    expect(statusText({ status: 'offline', last_seen: '2026-11-24T08:00:00Z' }, now)).toBe('Offline for 2 d 2 h');
    expect(statusText({ status: 'offline', last_seen: '2026-11-26T09:59:30Z' }, now)).toBe('Offline for less than a minute');
  });

  it('says how long an online server has been connected and when it last reported', () => {
    expect(statusText({ status: 'online', last_seen: '2026-11-26T09:59:57Z', online_since: '2026-11-26T06:55:00Z' }, now))
      .toBe('Online for 3 h 5 min, last report just now');
    expect(statusText({ status: 'online', last_seen: '2026-11-26T09:59:20Z', online_since: '2026-11-26T09:59:15Z' }, now))
      .toBe('Online for less than a minute, last report 40 s ago');
  });

  it('tells a server that never connected from one that went away', () => {
    expect(statusText({ status: 'never_connected', last_seen: null }, now)).toBe('Never connected');
    expect(statusLabel('never_connected')).toBe('Never connected');
    expect(statusLabel('offline')).toBe('Offline');
  });
});
