import { describe, expect, it } from 'vitest';
import { topicOf } from './LiveSocket';
import { reconnectDelay } from './backoff';

describe('reconnect backoff', () => {
  it('doubles from a second to at most thirty, with jitter below the ceiling', () => {
    const top = () => 0.999999;
    expect(reconnectDelay(0, top)).toBe(999);
    expect(reconnectDelay(1, top)).toBe(1999);
    expect(reconnectDelay(4, top)).toBe(15999);
    expect(reconnectDelay(5, top)).toBe(29999);
    expect(reconnectDelay(50, top)).toBe(29999);
  });

  it('never hammers the hub, however the dice fall', () => {
    expect(reconnectDelay(3, () => 0)).toBe(250);
  });
});

describe('live topics', () => {
  it('routes each pushed message to its topic', () => {
    expect(topicOf({ type: 'server_status', server_id: 'a' })).toBe('servers');
    expect(topicOf({ type: 'metrics', server_id: 'a' })).toBe('server:a:metrics');
    expect(topicOf({ type: 'alert', id: 'x', server_id: 'a' })).toBe('alerts');
    expect(topicOf({ type: 'chat_message', id: 'm-1' })).toBe('chat');
    expect(topicOf({ type: 'containers', server_id: 'a' })).toBe('server:a:containers');
    expect(topicOf({ type: 'command_finished', command_id: 'c-1' })).toBe('command:c-1');
    expect(topicOf({ type: 'subscribed' })).toBeNull();
  });
});
