import type { History, PressureFigure, Sample } from '../api/types';

/** One chart's data: times in seconds (as uPlot wants) and one array per line, null for a gap. */
export interface ChartData {
  times: number[];
  lines: { label: string; values: (number | null)[] }[];
}

export type ChartKey = 'cpu' | 'memory' | 'disk' | 'network' | 'load' | 'diskio' | 'temperature' | 'pressure' | 'services';

export type Charts = Record<ChartKey, ChartData>;

/** A point for several charts at once: the value of each line, by chart and label. */
export type Point = { time: number } & Record<ChartKey, Record<string, number | null>>;

const seconds = (time: string) => Date.parse(time) / 1000;

function chart(times: number[], lines: Record<string, (number | null)[] | undefined>): ChartData {
  return {
    times,
    lines: Object.entries(lines)
      .filter((entry): entry is [string, (number | null)[]] => Array.isArray(entry[1]))
      .map(([label, values]) => ({ label, values })),
  };
}

/**
 * The charts of a history answer. The raw tier has lines per core, filesystem and interface;
 * rollups have the fleet-level figures with their maxima.
 */
export function chartsFromHistory(history: History): Charts {
  const times = history.timestamps.map(seconds);
  const cores: Record<string, (number | null)[]> = {};
  history.per_core_percent?.forEach((values, core) => (cores['core ' + core] = values));
  const network: Record<string, (number | null)[]> = {};
  const interfaces = Object.entries(history.interfaces ?? {});
  if (interfaces.length > 0) {
    for (const [name, pair] of interfaces) {
      network[name + ' sent'] = pair.sent;
      network[name + ' received'] = pair.recv;
    }
  } else {
    network['sent'] = history.net_sent_bytes_per_second;
    network['received'] = history.net_recv_bytes_per_second;
  }
  const disks = Object.keys(history.disks ?? {}).length > 0 ? history.disks : { 'fullest filesystem': history.disk_percent, 'fullest, max': history.disk_percent_max };
  const diskIo: Record<string, (number | null)[] | undefined> = {};
  for (const [device, figures] of Object.entries(history.disk_io ?? {})) {
    diskIo[device + ' read'] = figures.read_bytes_per_second;
    diskIo[device + ' written'] = figures.write_bytes_per_second;
  }
  const pressure: Record<string, (number | null)[] | undefined> = {};
  for (const [figure, label] of Object.entries(PRESSURE_LABELS)) pressure[label] = history.pressure?.[figure];
  return {
    cpu: chart(times, { total: history.cpu_percent, 'total, max': history.cpu_percent_max, ...cores }),
    memory: chart(times, { memory: history.memory_percent, 'memory, max': history.memory_percent_max, swap: history.swap_percent ?? undefined }),
    disk: chart(times, disks),
    network: chart(times, network),
    load: chart(times, { 'load 1 min': history.load_1, 'load 1 min, max': history.load_1_max }),
    diskio: chart(times, diskIo),
    temperature: chart(times, { ...history.temperatures }),
    pressure: chart(times, pressure),
    services: chart(times, { failed: history.services?.failed, 'failed, max': history.services_max?.failed, activating: history.services?.activating }),
  };
}

/** The pressure figures as the chart's lines are labelled. */
const PRESSURE_LABELS: Record<PressureFigure, string> = {
  cpu_some_avg10: 'CPU, some',
  memory_some_avg10: 'memory, some',
  memory_full_avg10: 'memory, full',
  io_some_avg10: 'I/O, some',
  io_full_avg10: 'I/O, full',
};

/**
 * A counter's rate per second between two samples, by the hub's rule: a counter that went down was
 * reset and counts again from zero (never a negative rate). Null without a previous reading or time
 * between them. The cases in testdata/counter-rates.json hold both sides to it.
 */
export function counterRate(before: number | undefined, after: number, elapsedSeconds: number): number | null {
  if (before === undefined || elapsedSeconds <= 0) return null;
  const counted = after >= before ? after - before : after;
  return counted / elapsedSeconds;
}

/** The point a live sample adds to the raw-tier charts; rates come from the previous sample. */
export function pointFromSample(sample: Sample, previous: Sample | null): Point {
  const time = seconds(sample.timestamp);
  const elapsed = previous ? time - seconds(previous.timestamp) : 0;
  const cpu: Record<string, number | null> = { total: sample.cpu?.usage_percent ?? null };
  sample.cpu?.per_core_percent.forEach((value, core) => (cpu['core ' + core] = value));
  const memory = sample.memory;
  const disk: Record<string, number | null> = {};
  sample.disks.forEach((d) => (disk[d.mount] = d.usage_percent));
  const network: Record<string, number | null> = {};
  for (const counters of sample.network) {
    const before = previous?.network.find((c) => c.interface === counters.interface);
    network[counters.interface + ' sent'] = counterRate(before?.bytes_sent, counters.bytes_sent, elapsed);
    network[counters.interface + ' received'] = counterRate(before?.bytes_recv, counters.bytes_recv, elapsed);
  }
  return {
    time,
    cpu,
    memory: {
      memory: memory?.usage_percent ?? null,
      swap: memory && memory.swap_total_bytes > 0 ? (100 * memory.swap_used_bytes) / memory.swap_total_bytes : null,
    },
    disk,
    network,
    load: { 'load 1 min': sample.cpu?.load_1 ?? null },
    diskio: Object.fromEntries((sample.disk_io ?? []).flatMap((io) => [[io.device + ' read', io.read_bytes_per_second], [io.device + ' written', io.write_bytes_per_second]])),
    temperature: Object.fromEntries((sample.temperatures ?? []).map((t) => [t.sensor, t.celsius])),
    pressure: Object.fromEntries(Object.entries(PRESSURE_LABELS).map(([figure, label]) => [label, sample.pressure?.[figure as PressureFigure] ?? null])),
    services: sample.services ? { failed: sample.services.failed, activating: sample.services.activating } : {},
  };
}

/**
 * The chart with `values` added at `time`: a line it did not have starts with nulls, a line the
 * point lacks gets a null, a silence longer than `gapSeconds` gets a null point (so the line
 * breaks), and points older than `keepSeconds` before it fall off. Earlier or repeated times are
 * ignored.
 */
export function appendPoint(data: ChartData, time: number, values: Record<string, number | null>, gapSeconds: number, keepSeconds: number): ChartData {
  const last = data.times[data.times.length - 1];
  if (last !== undefined && time <= last) return data;
  const times = [...data.times];
  const lines = data.lines.map((line) => ({ label: line.label, values: [...line.values] }));
  for (const label of Object.keys(values)) {
    if (!lines.some((line) => line.label === label)) lines.push({ label, values: times.map(() => null) });
  }
  if (last !== undefined && time - last > gapSeconds) {
    times.push(last + gapSeconds / 2);
    lines.forEach((line) => line.values.push(null));
  }
  times.push(time);
  lines.forEach((line) => line.values.push(values[line.label] ?? null));
  let drop = 0;
  while (drop < times.length && times[drop] < time - keepSeconds) drop++;
  return {
    times: times.slice(drop),
    lines: lines.map((line) => ({ label: line.label, values: line.values.slice(drop) })),
  };
}

export function appendToCharts(charts: Charts, point: Point, gapSeconds: number, keepSeconds: number): Charts {
  const next = {} as Charts;
  for (const key of Object.keys(charts) as ChartKey[]) {
    next[key] = appendPoint(charts[key], point.time, point[key], gapSeconds, keepSeconds);
  }
  return next;
}

/** Whether a chart has anything to draw (a line with at least one value). */
export function hasValues(data: ChartData): boolean {
  return data.lines.some((line) => line.values.some((value) => value != null));
}

/** One container's CPU and memory charts from a history answer (with their maxima in the rollup tiers). */
export function containerCharts(history: History, name: string): { cpu: ChartData; memory: ChartData } {
  const times = history.timestamps.map(seconds);
  const avg = history.containers?.[name];
  const max = history.containers_max?.[name];
  return {
    cpu: chart(times, { cpu: avg?.cpu_percent, 'cpu, max': max?.cpu_percent }),
    memory: chart(times, { memory: avg?.memory_bytes, 'memory, max': max?.memory_bytes }),
  };
}
