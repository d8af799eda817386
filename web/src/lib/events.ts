import type { ServerEvent } from '../api/types';

/** An event as a chart draws it: a thin line at its time, its words on hover. */
export interface ChartMarker {
  time: number;
  kind: ServerEvent['kind'];
  label: string;
}

const KIND_LABELS: Record<ServerEvent['kind'], string> = {
  command: 'Command',
  container_start: 'Container started',
  container_stop: 'Container stopped',
  container_restart: 'Container restarted',
  agent_connected: 'Agent connected',
  agent_disconnected: 'Agent disconnected',
  alert_firing: 'Alert firing',
  alert_resolved: 'Alert resolved',
};

/** Who did what, when: "Command by otto at 10:42:05: df -h — succeeded (exit 0)". */
export function markersFromEvents(events: ServerEvent[], formatTime: (at: string) => string): ChartMarker[] {
  return events.map((event) => ({
    time: Date.parse(event.at) / 1000,
    kind: event.kind,
    label: `${KIND_LABELS[event.kind] ?? event.kind}${event.user ? ' by ' + event.user : ''} at ${formatTime(event.at)}: ${event.summary}`,
  }));
}
