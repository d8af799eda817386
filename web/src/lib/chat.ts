import type { ChatMessage } from '../api/types';

/** A piece of a chat message: prose, or a ``` block shown as code. */
export interface TextPart {
  code: boolean;
  text: string;
}

/** Splits a message at its ``` fences; an unclosed fence runs to the end. */
export function textParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  const pieces = text.split('```');
  pieces.forEach((piece, index) => {
    const code = index % 2 === 1;
    const body = code ? piece.replace(/^[a-z]*\n/, '').replace(/\n$/, '') : piece.replace(/^\n|\n$/g, '');
    if (body.length > 0) parts.push({ code, text: body });
  });
  return parts;
}

/** The room with `message` added, or put in place of its earlier version (a job's answer is rewritten), oldest first. */
export function mergeMessage(room: ChatMessage[], message: ChatMessage): ChatMessage[] {
  const others = room.filter((m) => m.id !== message.id);
  return [...others, message].sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Older messages before the room, without any it has already. */
export function prepend(room: ChatMessage[], older: ChatMessage[]): ChatMessage[] {
  const known = new Set(room.map((m) => m.id));
  return [...older.filter((m) => !known.has(m.id)), ...room];
}
