import { describe, expect, it } from 'vitest';
import { markersFromEvents } from './events';

describe('chart markers from server events', () => {
  it('says who did what and when, at the event time in seconds', () => {
    const markers = markersFromEvents(
      [
        { at: '2026-11-26T10:00:05Z', kind: 'container_restart', user: 'otto', summary: 'restart nginx', ref: 'nginx' },
        { at: '2026-11-26T10:01:00Z', kind: 'agent_disconnected', user: null, summary: 'agent disconnected: closed (1006)', ref: null },
      ],
      (at) => at.slice(11, 19),
    );
    expect(markers).toEqual([
      { time: 1795687205, kind: 'container_restart', label: 'Container restarted by otto at 10:00:05: restart nginx' },
      { time: 1795687260, kind: 'agent_disconnected', label: 'Agent disconnected at 10:01:00: agent disconnected: closed (1006)' },
    ]);
  });
});
