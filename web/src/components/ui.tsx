import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ServerStatus } from '../api/types';
import { statusLabel } from '../lib/status';

/** A status with its word and a shape, never colour alone. */
export function StatusBadge({ status }: { status: ServerStatus }) {
  const shape = status === 'online' ? '●' : status === 'offline' ? '▲' : '○';
  return (
    <span className={'badge status-' + status} data-status={status}>
      <span aria-hidden="true">{shape}</span> {statusLabel(status)}
    </span>
  );
}

export function ErrorNote({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return <p className="muted" aria-live="polite">Loading {what}…</p>;
}

/** A button that copies `text` and says so. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without clipboard access (plain http on another host): select a hidden textarea instead.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <button type="button" className="small" onClick={() => void copy()}>
      {copied ? 'Copied' : label}
    </button>
  );
}

/** A secret the hub shows only once (an agent key, an API token), with a copy button. */
export function ShownOnce({ secret, copyLabel, children, onDone }: {
  secret: string;
  copyLabel: string;
  children: ReactNode;
  onDone?: () => void;
}) {
  return (
    <>
      <p>{children}</p>
      <p className="key-line">
        <code data-testid="new-key">{secret}</code> <CopyButton text={secret} label={copyLabel} />
      </p>
      {onDone && (
        <button type="button" className="small" onClick={onDone}>
          I have saved it
        </button>
      )}
    </>
  );
}

/** A percentage bar with its number written next to it. */
export function Meter({ value, label }: { value: number | null | undefined; label: string }) {
  const shown = value == null ? null : Math.max(0, Math.min(100, value));
  return (
    <span className="meter" title={label}>
      <span className="meter-bar" aria-hidden="true">
        <span className={'meter-fill' + (shown != null && shown >= 90 ? ' high' : '')} style={{ width: (shown ?? 0) + '%' }} />
      </span>
      <span className="meter-text">{shown == null ? '–' : shown.toFixed(shown < 10 ? 1 : 0) + '%'}</span>
    </span>
  );
}

/** A modal dialog (the platform's own <dialog>: focus is trapped and Escape closes it). */
export function Dialog({ title, open, onClose, children }: { title: string; open: boolean; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby="dialog-title">
      <h2 id="dialog-title">{title}</h2>
      {open && children}
    </dialog>
  );
}

/** Asks before an action that interrupts something; the action's own error stays in the dialog. */
export function Confirm({ question, confirmLabel, open, busy, error, onConfirm, onCancel }: {
  question: string;
  confirmLabel: string;
  open: boolean;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog title="Please confirm" open={open} onClose={onCancel}>
      <p>{question}</p>
      <ErrorNote message={error} />
      <div className="actions">
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button type="button" onClick={onCancel} autoFocus>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
