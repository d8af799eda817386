import { describe, expect, it } from 'vitest';
import { duration } from './format';
import { outcome, recall, remember } from './console';

describe('console history', () => {
  it('goes up and down like a shell', () => {
    const history = ['uptime', 'df -h', 'echo hello'];
    let state = recall(history, 0, 'up');
    expect(state).toEqual({ position: 1, text: 'echo hello' });
    state = recall(history, state.position, 'up');
    state = recall(history, state.position, 'up');
    state = recall(history, state.position, 'up');
    expect(state).toEqual({ position: 3, text: 'uptime' });
    state = recall(history, state.position, 'down');
    expect(state.text).toBe('df -h');
    expect(recall(history, 1, 'down')).toEqual({ position: 0, text: '' });
  });

  it('remembers no blanks, no immediate repeats, and a bounded list', () => {
    expect(remember(['ls'], 'ls')).toEqual(['ls']);
    expect(remember(['ls'], '  ')).toEqual(['ls']);
    expect(remember(['a', 'b'], 'c', 2)).toEqual(['b', 'c']);
  });
});

describe('command outcome', () => {
  const base = { exit_code: 0, duration_ms: 12, error: null, truncated: false };
  it('says how each command ended', () => {
    expect(outcome({ ...base, status: 'succeeded' }, duration)).toBe('exit 0 in 12 ms');
    expect(outcome({ ...base, status: 'failed', exit_code: 2, truncated: true }, duration)).toBe('exit 2 in 12 ms (output cut at 1 MiB per stream)');
    expect(outcome({ ...base, status: 'timed_out', duration_ms: 60_000 }, duration)).toBe('timed out after 1 min, stopped');
    expect(outcome({ ...base, status: 'error', error: 'exec is disabled on this agent' }, duration)).toBe('not run: exec is disabled on this agent');
  });
});
