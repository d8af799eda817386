import { describe, expect, it } from 'vitest';
import { ago, bytes, duration, MISSING, percent, rate } from './format';

describe('bytes and rates', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.50 KiB'],
    [10 * 1024 * 1024 + 1, '10.0 MiB'],
    [512 * 1024 ** 3, '512 GiB'],
    [-2048, '-2.00 KiB'],
  ])('%d bytes read as %s', (value, text) => {
    expect(bytes(value)).toBe(text);
  });

  it('a rate is bytes per second', () => {
    expect(rate(1_268_000)).toBe('1.21 MiB/s');
  });

  it('a missing figure is a dash, never zero', () => {
    expect(bytes(null)).toBe(MISSING);
    expect(rate(undefined)).toBe(MISSING);
    expect(percent(null)).toBe(MISSING);
    expect(percent(Number.NaN)).toBe(MISSING);
  });
});

describe('percent', () => {
  it('keeps one decimal below ten', () => {
    expect(percent(0)).toBe('0%');
    expect(percent(3.14159)).toBe('3.1%');
    expect(percent(42.6)).toBe('43%');
  });
});

describe('durations', () => {
  it.each([
    [850, '850 ms'],
    [1234, '1.23 s'],
    [12_345, '12.3 s'],
    [4 * 60_000 + 59_000, '4 min'],
    [3 * 3_600_000 + 5 * 60_000, '3 h 5 min'],
    [2 * 86_400_000 + 4 * 3_600_000, '2 d 4 h'],
  ])('%d ms read as %s', (millis, text) => {
    expect(duration(millis)).toBe(text);
  });

  it('says how long ago', () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    expect(ago('2026-11-26T09:59:58Z', now)).toBe('just now');
    expect(ago('2026-11-26T09:59:18Z', now)).toBe('42 s ago');
    expect(ago('2026-11-26T09:55:00Z', now)).toBe('5 min ago');
    expect(ago(null, now)).toBe('never');
  });
});
