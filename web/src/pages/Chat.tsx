import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { get, post } from '../api/client';
import type { ChatMessage } from '../api/types';
import { ErrorNote, Loading } from '../components/ui';
import { useAction, useTopic } from '../hooks';
import { mergeMessage, prepend, textParts } from '../lib/chat';
import { dateTime } from '../lib/format';
import { useCan } from '../session';
import { ChatSettings } from './ChatSettings';

const PAGE = 50;

/** The chat room: everyone signed in reads it; commands typed here are answered by the hub's bot. */
export function Chat() {
  const [messages, setMessages] = useState<ChatMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [text, setText] = useState('');
  const send = useAction();
  const end = useRef<HTMLDivElement>(null);
  const isAdmin = useCan('admin');

  useEffect(() => {
    get<ChatMessage[]>(`/chat/messages?limit=${PAGE}`)
      .then((page) => {
        setMessages(page);
        setMore(page.length === PAGE);
      })
      .catch((e) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  useTopic('chat', (message) => setMessages((room) => mergeMessage(room ?? [], message as unknown as ChatMessage)));
  const count = messages?.length ?? 0;
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [count]);

  const say = async (line: string) => {
    const sent = await send.run(() => post<ChatMessage>('/chat/messages', { text: line }));
    if (sent) setMessages((room) => mergeMessage(room ?? [], sent));
    return sent;
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    if (await say(text)) setText('');
  };
  const keys = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit(event);
    }
  };
  const older = async () => {
    if (!messages || messages.length === 0) return;
    const page = await get<ChatMessage[]>(`/chat/messages?limit=${PAGE}&before=${encodeURIComponent(messages[0].id)}`);
    setMessages((room) => prepend(room ?? [], page));
    setMore(page.length === PAGE);
  };

  return (
    <section aria-labelledby="chat-title" className="chat">
      <h1 id="chat-title">Chat</h1>
      <p className="muted small-text">Commands for the fleet, answered here for everyone: type <code>help</code>. Runs on more than one server and
        commands not on the allow-list wait for a second operator's approval.</p>
      {isAdmin && <ChatSettings />}
      <ErrorNote message={error} />
      {!messages && !error && <Loading what="messages" />}
      {more && <button type="button" className="small" onClick={() => void older()}>Older messages</button>}
      <ol className="chat-log" aria-label="Messages" aria-live="polite">
        {messages?.map((message) => (
          <li key={message.id} data-author={message.author.kind} data-job={message.job_id ?? undefined}
            data-approval={message.approval_id ?? undefined}>
            <div className="chat-meta">
              <strong>{message.author.name}</strong> <span className="muted">{dateTime(message.created_at)}{message.updated_at ? ' (updated)' : ''}</span>
            </div>
            {textParts(message.text).map((part, index) => part.code
              ? <pre key={index} className="chat-code">{part.text}</pre>
              : <p key={index} className="chat-text">{part.text}</p>)}
            {message.buttons.length > 0 && (
              <div className="chat-buttons">
                {message.buttons.map((button) => (
                  <button key={button.command} type="button" className={button.danger ? 'small danger' : 'small'} disabled={send.busy}
                    onClick={() => void say(button.command)}>{button.label}</button>
                ))}
              </div>
            )}
          </li>
        ))}
      </ol>
      <div ref={end} />
      <form className="chat-form" aria-label="Send a message" onSubmit={submit}>
        <label className="visually-hidden" htmlFor="chat-input">Message</label>
        <textarea id="chat-input" rows={2} value={text} maxLength={20000} placeholder="status · run web-01 -- df -h · help"
          onChange={(e) => setText(e.target.value)} onKeyDown={keys} />
        <button type="submit" disabled={send.busy}>Send</button>
        <ErrorNote message={send.error} />
      </form>
    </section>
  );
}
