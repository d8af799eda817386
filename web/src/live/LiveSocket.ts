import { reconnectDelay } from './backoff';

export type LiveState = 'connecting' | 'live' | 'offline';
export type LiveMessage = { type: string; [field: string]: unknown };
type Handler = (message: LiveMessage) => void;

/**
 * The one WebSocket to the hub's /api/v1/live. Components subscribe to topics; the socket
 * reconnects by itself with backoff and subscribes again to every topic still wanted. Its state is
 * shown in the header, so a page that is not live says so.
 */
export class LiveSocket {
  private socket: WebSocket | null = null;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  state: LiveState = 'offline';

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close(1000);
    this.socket = null;
    this.setState('offline');
  }

  /** Calls `handler` with every message on `topic` until the returned function is called. */
  subscribe(topic: string, handler: Handler): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
      this.send({ type: 'subscribe', topics: [topic] });
    }
    set.add(handler);
    return () => {
      const current = this.handlers.get(topic);
      if (!current) return;
      current.delete(handler);
      if (current.size === 0) {
        this.handlers.delete(topic);
        this.send({ type: 'unsubscribe', topics: [topic] });
      }
    };
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private connect(): void {
    this.setState('connecting');
    const url = new URL('api/v1/live', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setState('live');
      if (this.handlers.size > 0) this.send({ type: 'subscribe', topics: [...this.handlers.keys()] });
    };
    socket.onmessage = (event) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      const topic = topicOf(message);
      if (topic) this.handlers.get(topic)?.forEach((handler) => handler(message));
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      this.setState('offline');
      this.timer = setTimeout(() => this.connect(), reconnectDelay(this.attempt++));
    };
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private setState(state: LiveState): void {
    this.state = state;
    this.stateListeners.forEach((listener) => listener(state));
  }
}

/** The topic a pushed message belongs to (API.md's live updates). */
export function topicOf(message: LiveMessage): string | null {
  switch (message.type) {
    case 'server_status':
      return 'servers';
    case 'metrics':
      return `server:${message.server_id}:metrics`;
    case 'containers':
      return `server:${message.server_id}:containers`;
    case 'command_output':
    case 'command_finished':
      return `command:${message.command_id}`;
    case 'alert':
      return 'alerts';
    case 'chat_message':
      return 'chat';
    default:
      return null;
  }
}

export const live = new LiveSocket();
