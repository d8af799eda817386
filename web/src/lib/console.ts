import type { CommandRecord } from '../api/types';

export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  data: string;
}

/** Up/down through earlier commands as a shell does; `position` counts back from the newest. */
export function recall(history: string[], position: number, direction: 'up' | 'down'): { position: number; text: string } {
  const next = direction === 'up' ? Math.min(position + 1, history.length) : Math.max(position - 1, 0);
  return { position: next, text: next === 0 ? '' : history[history.length - next] };
}

/** Adds a command to the recall list: no blank ones, no repeat of the one before, at most `limit`. */
export function remember(history: string[], command: string, limit = 100): string[] {
  const text = command.trim();
  if (!text || history[history.length - 1] === text) return history;
  return [...history, text].slice(-limit);
}

/** The output of a finished command as stored by the hub, in the order a terminal shows it. */
export function chunksOf(record: CommandRecord): OutputChunk[] {
  const chunks: OutputChunk[] = [];
  if (record.stdout) chunks.push({ stream: 'stdout', data: record.stdout });
  if (record.stderr) chunks.push({ stream: 'stderr', data: record.stderr });
  return chunks;
}

/** One line on how a command ended: "exit 0 in 12 ms", "timed out after 60 s", … */
export function outcome(record: Pick<CommandRecord, 'status' | 'exit_code' | 'duration_ms' | 'error' | 'truncated'>, formatDuration: (ms: number | null) => string): string {
  const took = formatDuration(record.duration_ms);
  const cut = record.truncated ? ' (output cut at 1 MiB per stream)' : '';
  switch (record.status) {
    case 'running':
      return 'running…';
    case 'succeeded':
      return `exit 0 in ${took}${cut}`;
    case 'failed':
      return `exit ${record.exit_code} in ${took}${cut}`;
    case 'timed_out':
      return `timed out after ${took}, stopped${cut}`;
    case 'cancelled':
      return `cancelled after ${took}${cut}`;
    case 'error':
      return 'not run: ' + (record.error ?? 'the agent refused it');
  }
}
