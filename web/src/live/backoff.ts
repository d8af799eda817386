/** Delay before reconnect attempt `attempt` (0-based): 1 s doubling to 30 s, with full jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 10));
  return Math.max(250, Math.floor(random() * ceiling));
}
