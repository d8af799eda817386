import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AlertBand } from '../lib/alerts';
import type { ChartMarker } from '../lib/events';
import type { ChartData } from '../lib/series';
import { hasValues } from '../lib/series';
import { binaryAxis } from '../lib/axis';
import { onThemeChange, themeColour } from '../theme';

const COLOURS = ['#2f7ed8', '#e4572e', '#17a673', '#a05bd5', '#f0a202', '#0fa3b1', '#d7263d', '#6c757d'];
/** Alert periods are shaded behind the lines, translucent so the lines stay readable. */
const BAND_COLOURS: Record<AlertBand['severity'], string> = {
  critical: 'rgba(215, 38, 61, 0.16)',
  warning: 'rgba(240, 162, 2, 0.18)',
  info: 'rgba(47, 126, 216, 0.14)',
};

interface Props {
  title: string;
  data: ChartData;
  /** How values read on the axis and in the legend. */
  format: (value: number | null) => string;
  /** Fixed 0–100 scale for percentages. */
  percent?: boolean;
  /** Ticks of the value axis in binary units (bytes, rates); uPlot's decimal ticks read badly as MiB. */
  binarySuffix?: string;
  /** The time span to show, in seconds, asked at every redraw (the live window moves). */
  span: () => [number, number];
  /** When alerts about this chart fired: shaded, and listed below it in words. */
  bands?: AlertBand[];
  /** What happened to the server (commands, container actions, connections, alerts): a thin line each, its words on hover. */
  markers?: ChartMarker[];
}

/**
 * A uPlot time series. uPlot draws straight from typed columns, so 100 000 points stay smooth;
 * null values break the line, which is how a gap in the agent's reports shows.
 */
/** Value-axis ticks at most this close together, in pixels. */
const TICK_SPACING = 40;
const HEIGHT = 200;

export function Chart({ title, data, format, percent, binarySuffix, span, bands = [], markers = [] }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const labels = data.lines.map((line) => line.label).join('\n');
  const spanRef = useRef(span);
  spanRef.current = span;
  const bandsRef = useRef(bands);
  bandsRef.current = bands;
  const markersRef = useRef(markers);
  markersRef.current = markers;
  const [themeVersion, setThemeVersion] = useState(0);
  useEffect(() => onThemeChange(() => setThemeVersion((v) => v + 1)), []);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const axis = { stroke: themeColour('--muted'), grid: { stroke: themeColour('--grid') }, ticks: { stroke: themeColour('--grid') } };
    const maxTicks = Math.floor(HEIGHT / TICK_SPACING) + 1;
    const binary = binarySuffix === undefined ? null : (min: number, max: number) => binaryAxis(min, max, maxTicks, binarySuffix);
    const yRange: uPlot.Scale.Range = binary
      ? (_u, min, max) => {
          const scale = binary(min ?? 0, max ?? 0);
          return [scale.min, scale.max];
        }
      : (_u, min, max) => [Math.min(0, min ?? 0), Math.max(max ?? 1, 1e-9)];
    const yAxis: uPlot.Axis = binary
      ? {
          ...axis,
          size: 80,
          splits: (_u, _axis, min, max) => binary(min, max).ticks,
          values: (u) => binary(u.scales.y.min ?? 0, u.scales.y.max ?? 0).labels,
        }
      : { ...axis, size: 70, values: (_u, ticks) => ticks.map((tick) => format(tick)) };
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: HEIGHT,
      series: [
        {},
        ...data.lines.map((line, index) => ({
          label: line.label,
          stroke: COLOURS[index % COLOURS.length],
          width: line.label.startsWith('total') || index === 0 ? 2 : 1,
          dash: line.label.endsWith('max') ? [4, 4] : undefined,
          value: (_: uPlot, value: number | null) => format(value),
          spanGaps: false,
        })),
      ],
      // The x axis is the chosen range, not just where data happens to be: a gap at either end shows.
      scales: { x: { time: true, range: () => spanRef.current() }, y: percent ? { range: [0, 100] } : { range: yRange } },
      axes: [axis, yAxis],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      hooks: { drawClear: [(u) => shade(u, bandsRef.current)], draw: [(u) => placeMarkers(u, markersRef.current)] },
    };
    const instance = new uPlot(options, [data.times, ...data.lines.map((line) => line.values)] as uPlot.AlignedData, element);
    plot.current = instance;
    const resize = new ResizeObserver(() => instance.setSize({ width: Math.max(200, element.clientWidth), height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      instance.destroy();
      plot.current = null;
    };
    // A new set of lines needs a new plot; new points only new data (below).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labels, percent, binarySuffix, themeVersion]);

  useEffect(() => {
    plot.current?.setData([data.times, ...data.lines.map((line) => line.values)] as uPlot.AlignedData);
  }, [data]);

  const bandKey = bands.map((band) => `${band.from}-${band.to}-${band.severity}`).join();
  const markerKey = markers.map((marker) => `${marker.time}-${marker.kind}`).join();
  useEffect(() => {
    plot.current?.redraw(false);
  }, [bandKey, markerKey]);

  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      {!hasValues(data) && <p className="chart-empty">No data in this range.</p>}
      <div ref={container} className="chart-plot" data-points={data.times.length} data-alert-bands={bands.length} data-markers={markers.length} />
      {bands.length > 0 && (
        <ul className="chart-alerts" aria-label={`Alerts on ${title}`}>
          {bands.map((band) => (
            <li key={`${band.from}-${band.label}`} data-severity={band.severity}>{band.open ? '▲ Firing: ' : '△ Fired: '}{band.label}</li>
          ))}
        </ul>
      )}
    </figure>
  );
}

/** Paints each alert period as a full-height band inside the plot area (canvas pixels). */
function shade(u: uPlot, bands: AlertBand[]) {
  if (bands.length === 0) return;
  const { left, top, width, height } = u.bbox;
  const ctx = u.ctx;
  ctx.save();
  for (const band of bands) {
    const x0 = Math.max(left, u.valToPos(band.from, 'x', true));
    const x1 = Math.min(left + width, u.valToPos(band.to, 'x', true));
    if (x1 < left || x0 > left + width) continue;
    ctx.fillStyle = BAND_COLOURS[band.severity];
    ctx.fillRect(x0, top, Math.max(2, x1 - x0), height);
  }
  ctx.restore();
}

/**
 * Puts one element per event over the plot at its time: a line the eye can follow down to the
 * series, with who, what and when as its tooltip (and its accessible name).
 */
function placeMarkers(u: uPlot, markers: ChartMarker[]) {
  u.over.querySelectorAll('.chart-marker').forEach((element) => element.remove());
  const [from, to] = [u.scales.x.min ?? 0, u.scales.x.max ?? 0];
  for (const marker of markers) {
    if (marker.time < from || marker.time > to) continue;
    const element = document.createElement('div');
    element.className = 'chart-marker';
    element.dataset.kind = marker.kind;
    element.title = marker.label;
    element.setAttribute('role', 'img');
    element.setAttribute('aria-label', marker.label);
    element.style.left = `${u.valToPos(marker.time, 'x')}px`;
    u.over.appendChild(element);
  }
}
