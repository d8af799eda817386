import { useState } from 'react';
import type { LiveState } from '../live/LiveSocket';
import { useCan, useSession } from '../session';
import { applyTheme, initialTheme } from '../theme';

const LIVE_TEXT: Record<LiveState, string> = {
  live: 'Live',
  connecting: 'Connecting…',
  offline: 'Not live — reconnecting',
};

export function Header({ section, liveState }: { section: string; liveState: LiveState }) {
  const { user, signOut } = useSession();
  const isAdmin = useCan('admin');
  const [theme, setTheme] = useState(initialTheme);
  const toggleTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    applyTheme(next);
    setTheme(next);
  };
  const link = (name: string, label: string) => (
    <a href={'#/' + name} aria-current={section === name ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <header className="top">
      <a className="brand" href="#/servers">
        ChatOps
      </a>
      <nav aria-label="Main">
        {link('servers', 'Servers')}
        {link('alerts', 'Alerts')}
        {link('chat', 'Chat')}
        {isAdmin && link('audit', 'Audit')}
        {isAdmin && link('users', 'Users')}
        {link('account', 'Account')}
      </nav>
      <span className={'live live-' + liveState} role="status" data-live={liveState}>
        <span aria-hidden="true">{liveState === 'live' ? '●' : '○'}</span> {LIVE_TEXT[liveState]}
      </span>
      <button type="button" className="small" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
        {theme === 'dark' ? 'Light' : 'Dark'}
      </button>
      <span className="muted user">
        {user.username} ({user.role})
      </span>
      <button type="button" className="small" onClick={() => void signOut()}>
        Sign out
      </button>
    </header>
  );
}
