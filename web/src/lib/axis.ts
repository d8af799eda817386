// Ticks for a chart's value axis in binary units, so that labels read as round numbers of
// B/s, KiB/s or MiB/s, increase from bottom to top and are evenly spaced.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
/** Steps tried within a unit, smallest first: each a round number of that unit. */
const STEPS = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500];

export interface Axis {
  /** The scale's range: from the lowest tick to the highest, which covers the data's maximum. */
  min: number;
  max: number;
  ticks: number[];
  labels: string[];
}

function unitOf(value: number): number {
  let unit = 0;
  while (unit < UNITS.length - 1 && Math.abs(value) >= 1024 ** (unit + 1)) unit++;
  return unit;
}

/**
 * An axis from 0 (or the data's minimum when it is negative) up to a round value at or above
 * `dataMax`, with at most `maxTicks` ticks, every label in the one unit of the largest value
 * followed by `suffix` ("/s" for rates).
 */
export function binaryAxis(dataMin: number, dataMax: number, maxTicks: number, suffix = ''): Axis {
  const low = Math.min(0, Number.isFinite(dataMin) ? dataMin : 0);
  const high = Math.max(Number.isFinite(dataMax) ? dataMax : 0, low + 1);
  const unit = unitOf(Math.max(Math.abs(low), Math.abs(high)));
  const scale = 1024 ** unit;
  const wanted = Math.max(2, maxTicks);
  let step = STEPS[STEPS.length - 1] * scale;
  for (const candidate of STEPS) {
    const size = candidate * scale;
    if (unit === 0 && candidate < 1) continue; // no fractions of a byte
    if (Math.ceil(high / size) - Math.floor(low / size) + 1 <= wanted) {
      step = size;
      break;
    }
  }
  const first = Math.floor(low / step);
  const last = Math.ceil(high / step);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(i * step);
  const decimals = step / scale >= 1 ? 0 : step / scale === 0.25 ? 2 : 1;
  const labels = ticks.map((tick) => (tick === 0 ? '0' : (tick / scale).toFixed(decimals)) + ' ' + UNITS[unit] + suffix);
  return { min: ticks[0], max: ticks[ticks.length - 1], ticks, labels };
}
