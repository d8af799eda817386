import { describe, expect, it } from 'vitest';
import type { History, Sample } from '../api/types';
import sharedRates from '../../../testdata/counter-rates.json';
import { appendPoint, chartsFromHistory, containerCharts, counterRate, hasValues, pointFromSample } from './series';

const raw: History = {
  resolution: 'raw',
  timestamps: ['2026-11-26T10:00:00Z', '2026-11-26T10:00:05Z', '2026-11-26T10:00:10Z'],
  cpu_percent: [10, null, 30],
  memory_percent: [50, null, 52],
  disk_percent: [40, null, 40],
  load_1: [0.5, null, 0.7],
  net_sent_bytes_per_second: [null, null, 100],
  net_recv_bytes_per_second: [null, null, 200],
  per_core_percent: [
    [5, null, 25],
    [15, null, 35],
  ],
  swap_percent: [1, null, 2],
  disks: { '/': [40, null, 40], '/data': [70, null, 71] },
  interfaces: { eth0: { sent: [null, null, 100], recv: [null, null, 200] } },
};

function sample(seq: number, time: string, sent: number): Sample {
  return {
    seq,
    timestamp: time,
    interval_seconds: 5,
    cpu: { usage_percent: 12.5, per_core_percent: [10, 15], load_1: 0.4, load_5: 0.3, load_15: 0.2 },
    memory: { total_bytes: 1000, used_bytes: 250, available_bytes: 750, usage_percent: 25, swap_total_bytes: 200, swap_used_bytes: 50 },
    disks: [{ mount: '/', device: '/dev/vda1', fs_type: 'ext4', total_bytes: 100, used_bytes: 20, free_bytes: 80, usage_percent: 20 }],
    network: [{ interface: 'eth0', bytes_sent: sent, bytes_recv: 0 }],
  };
}

describe('charts from history', () => {
  it('keeps the gap as a gap and has a line per core, filesystem and interface', () => {
    const charts = chartsFromHistory(raw);

    expect(charts.cpu.times).toEqual([1795687200, 1795687205, 1795687210]);
    expect(charts.cpu.lines.map((l) => l.label)).toEqual(['total', 'core 0', 'core 1']);
    expect(charts.cpu.lines[0].values).toEqual([10, null, 30]);
    expect(charts.memory.lines.map((l) => l.label)).toEqual(['memory', 'swap']);
    expect(charts.disk.lines.map((l) => l.label)).toEqual(['/', '/data']);
    expect(charts.network.lines.map((l) => l.label)).toEqual(['eth0 sent', 'eth0 received']);
  });

  it('shows averages and maxima of a rollup tier', () => {
    const rollup = {
      ...raw,
      resolution: '1h' as const,
      per_core_percent: null,
      swap_percent: null,
      disks: {},
      interfaces: {},
      cpu_percent_max: [20, null, 90],
      memory_percent_max: [60, null, 60],
      disk_percent_max: [40, null, 41],
      load_1_max: [1, null, 2],
    } satisfies History;

    const charts = chartsFromHistory(rollup);

    expect(charts.cpu.lines.map((l) => l.label)).toEqual(['total', 'total, max']);
    expect(charts.cpu.lines[1].values).toEqual([20, null, 90]);
    expect(charts.memory.lines.map((l) => l.label)).toEqual(['memory', 'memory, max']);
    expect(charts.disk.lines.map((l) => l.label)).toEqual(['fullest filesystem', 'fullest, max']);
    expect(charts.network.lines.map((l) => l.label)).toEqual(['sent', 'received']);
  });

  it('charts disk I/O per device, each sensor, pressure and services where the host reports them', () => {
    const charts = chartsFromHistory({
      ...raw,
      disk_io: { vda: { read_bytes_per_second: [1024, null, 0], write_bytes_per_second: [2048, null, 4096], busy_percent: [1, null, 2] } },
      temperatures: { 'coretemp Package id 0': [55, null, 61] },
      pressure: { cpu_some_avg10: [1.5, null, 2], io_full_avg10: [0, null, 0.25] },
      services: { failed: [0, null, 1], activating: [0, null, 0], active: [40, null, 40] },
    });

    expect(charts.diskio.lines).toEqual([
      { label: 'vda read', values: [1024, null, 0] },
      { label: 'vda written', values: [2048, null, 4096] },
    ]);
    expect(charts.temperature.lines).toEqual([{ label: 'coretemp Package id 0', values: [55, null, 61] }]);
    expect(charts.pressure.lines.map((l) => l.label)).toEqual(['CPU, some', 'I/O, full']);
    expect(charts.services.lines.map((l) => l.label)).toEqual(['failed', 'activating']);
    const none = chartsFromHistory(raw);
    expect([none.diskio, none.temperature, none.pressure, none.services].some(hasValues)).toBe(false);
  });

  it('takes the live sample\'s disk I/O, temperatures, pressure and services into its point', () => {
    const point = pointFromSample({
      ...sample(1, '2026-11-26T10:00:00Z', 0),
      disk_io: [{ device: 'vda', mounts: ['/'], read_bytes_per_second: 10, write_bytes_per_second: 20, reads_per_second: 1, writes_per_second: 2, busy_percent: 3 }],
      temperatures: [{ sensor: 'acpitz', celsius: 27.8 }],
      pressure: { cpu_some_avg10: 4.5 },
      services: { active: 40, activating: 1, deactivating: 0, reloading: 0, inactive: 9, failed: 2, other: 0, failed_units: ['a.service', 'b.service'] },
    }, null);

    expect(point.diskio).toEqual({ 'vda read': 10, 'vda written': 20 });
    expect(point.temperature).toEqual({ acpitz: 27.8 });
    expect(point.pressure['CPU, some']).toBe(4.5);
    expect(point.pressure['I/O, full']).toBeNull();
    expect(point.services).toEqual({ failed: 2, activating: 1 });
  });

  it('knows an empty history has nothing to draw', () => {
    const empty = chartsFromHistory({ ...raw, timestamps: [], cpu_percent: [], per_core_percent: null, disks: {}, interfaces: {} });
    expect(hasValues(empty.cpu)).toBe(false);
    expect(hasValues(chartsFromHistory(raw).cpu)).toBe(true);
  });
});

describe('counter rates', () => {
  it.each(sharedRates.cases)('$name', ({ previous, current, seconds, rate }) => {
    expect(counterRate(previous, current, seconds)).toBe(rate);
  });
});

describe('live points', () => {
  it('derives rates from the previous sample, counting from zero after a counter reset as the hub does', () => {
    const first = sample(1, '2026-11-26T10:00:00Z', 1000);
    const second = sample(2, '2026-11-26T10:00:05Z', 6000);
    const reset = sample(3, '2026-11-26T10:00:10Z', 10);

    expect(pointFromSample(first, null).network['eth0 sent']).toBeNull();
    expect(pointFromSample(second, first).network['eth0 sent']).toBe(1000);
    expect(pointFromSample(reset, second).network['eth0 sent']).toBe(2);
    expect(pointFromSample(second, first).memory).toEqual({ memory: 25, swap: 25 });
    expect(counterRate(100, 100, 0)).toBeNull();
  });

  it('appends, breaks the line after a silence, adds new lines and drops old points', () => {
    let data = { times: [100, 105], lines: [{ label: 'total', values: [1, 2] as (number | null)[] }] };

    data = appendPoint(data, 110, { total: 3, 'core 0': 4 }, 12.5, 60);
    expect(data.times).toEqual([100, 105, 110]);
    expect(data.lines[1]).toEqual({ label: 'core 0', values: [null, null, 4] });

    data = appendPoint(data, 150, { total: 5 }, 12.5, 60);
    expect(data.times).toEqual([100, 105, 110, 116.25, 150]);
    expect(data.lines[0].values).toEqual([1, 2, 3, null, 5]);

    data = appendPoint(data, 170, { total: 6 }, 50, 60);
    expect(data.times).toEqual([110, 116.25, 150, 170]);

    expect(appendPoint(data, 170, { total: 7 }, 50, 60)).toBe(data);
  });
});

describe('container charts', () => {
  it("has the container's CPU and memory, and their maxima in a rollup tier", () => {
    const hourly: History = {
      ...raw,
      resolution: '1h',
      containers: { db: { cpu_percent: [5, null, 7], memory_bytes: [100, null, 120] } },
      containers_max: { db: { cpu_percent: [9, null, 8], memory_bytes: [110, null, 130] } },
    };
    const charts = containerCharts(hourly, 'db');
    expect(charts.cpu.lines).toEqual([
      { label: 'cpu', values: [5, null, 7] },
      { label: 'cpu, max', values: [9, null, 8] },
    ]);
    expect(charts.memory.lines.map((line) => line.label)).toEqual(['memory', 'memory, max']);
    expect(hasValues(containerCharts(hourly, 'gone').cpu)).toBe(false);
  });
});
