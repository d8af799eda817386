import { describe, expect, it } from 'vitest';
import { binaryAxis } from './axis';

const MiB = 1024 * 1024;

function evenlySpaced(ticks: number[]): boolean {
  const step = ticks[1] - ticks[0];
  return ticks.every((tick, i) => i === 0 || Math.abs(tick - ticks[i - 1] - step) < 1e-6 * step);
}

describe('binary axis', () => {
  it('labels a network chart of 6 to 9.5 MiB/s with increasing, evenly spaced round MiB/s', () => {
    const axis = binaryAxis(6.3 * MiB, 9.5 * MiB, 6, '/s');

    expect(axis.labels).toEqual(['0 MiB/s', '2 MiB/s', '4 MiB/s', '6 MiB/s', '8 MiB/s', '10 MiB/s']);
    expect(axis.ticks).toEqual([0, 2 * MiB, 4 * MiB, 6 * MiB, 8 * MiB, 10 * MiB]);
    expect(axis.min).toBe(0);
    expect(axis.max).toBeGreaterThanOrEqual(9.5 * MiB);
  });

  it.each([
    [0, 0, 5],
    [0, 1, 5],
    [0, 700, 5],
    [0, 1023, 4],
    [0, 1500, 5],
    [0, 3.7 * MiB, 5],
    [0, 900 * MiB, 6],
    [0, 5 * 1024 * MiB, 4],
    [-300, 2000, 6],
  ])('from %d to %d with at most %d ticks: increasing, evenly spaced, one unit, covering the data', (min, max, count) => {
    const axis = binaryAxis(min, max, count, '/s');

    expect(axis.ticks.length).toBeLessThanOrEqual(count);
    expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
    expect([...axis.ticks].sort((a, b) => a - b)).toEqual(axis.ticks);
    expect(evenlySpaced(axis.ticks)).toBe(true);
    expect(axis.min).toBeLessThanOrEqual(Math.min(0, min));
    expect(axis.max).toBeGreaterThanOrEqual(max);
    expect(new Set(axis.labels.map((label) => label.split(' ')[1])).size).toBe(1);
    expect(axis.labels.every((label) => label.endsWith('/s'))).toBe(true);
  });

  it('never shows fractions of a byte', () => {
    expect(binaryAxis(0, 3, 10).labels).toEqual(['0 B', '1 B', '2 B', '3 B']);
  });
});
