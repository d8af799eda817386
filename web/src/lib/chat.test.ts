import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../api/types';
import { mergeMessage, prepend, textParts } from './chat';

const message = (id: string, created: string, text = id): ChatMessage => ({
  id, author: { kind: 'bot', name: 'chatops' }, text, buttons: [], reply_to: null, job_id: null, approval_id: null,
  created_at: created, updated_at: null,
});

describe('chat messages', () => {
  it('splits prose from code blocks', () => {
    expect(textParts('@vera 2 servers:\n```\nweb-01  online\nweb-02  offline\n```\nmore')).toEqual([
      { code: false, text: '@vera 2 servers:' },
      { code: true, text: 'web-01  online\nweb-02  offline' },
      { code: false, text: 'more' },
    ]);
    expect(textParts('no code')).toEqual([{ code: false, text: 'no code' }]);
    expect(textParts('open ```\nstill code')).toEqual([{ code: false, text: 'open ' }, { code: true, text: 'still code' }]);
  });

  it('puts a rewritten answer in place of the old one and keeps time order', () => {
    const room = [message('a', '2026-01-01T10:00:00.001Z'), message('b', '2026-01-01T10:00:00.002Z', 'running')];
    const merged = mergeMessage(room, message('b', '2026-01-01T10:00:00.002Z', 'done'));
    expect(merged.map((m) => m.text)).toEqual(['a', 'done']);
    expect(mergeMessage(room, message('c', '2026-01-01T10:00:00.000Z')).map((m) => m.id)).toEqual(['c', 'a', 'b']);
  });

  it('adds older pages in front without repeats', () => {
    const room = [message('b', '2026-01-01T10:00:02Z')];
    expect(prepend(room, [message('a', '2026-01-01T10:00:01Z'), message('b', '2026-01-01T10:00:02Z')]).map((m) => m.id)).toEqual(['a', 'b']);
  });
});
