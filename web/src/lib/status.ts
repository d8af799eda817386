import type { Server } from '../api/types';
import { ago, duration } from './format';

/** The words a server's status is shown with; never colour alone. */
export function statusLabel(status: Server['status']): string {
  switch (status) {
    case 'online':
      return 'Online';
    case 'offline':
      return 'Offline';
    case 'never_connected':
      return 'Never connected';
  }
}

/**
 * What a server's status line says, with how long it has been so: "Online for 3 h 5 min, last
 * report just now",
 * "Offline for 12 min", "Never connected".
 */
export function statusText(server: Pick<Server, 'status' | 'last_seen' | 'online_since'>, now: number): string {
  switch (server.status) {
    case 'online':
      return server.online_since
        ? `Online for ${howLong(now - Date.parse(server.online_since))}, last report ${ago(server.last_seen, now)}`
        : 'Online, last report ' + ago(server.last_seen, now);
    case 'offline':
      if (!server.last_seen) return 'Offline';
      return 'Offline for ' + howLong(now - Date.parse(server.last_seen));
    case 'never_connected':
      return 'Never connected';
  }
}

/** A state's age in whole minutes and up: seconds would only flicker. */
function howLong(millis: number): string {
  return millis < 60_000 ? 'less than a minute' : duration(millis);
}
