import { useCallback, useEffect, useState } from 'react';
import { get, onSignedOut, post, setCsrfToken } from './api/client';
import { Header } from './components/Header';
import type { User } from './api/types';
import { useLiveState } from './hooks';
import { live } from './live/LiveSocket';
import { Account } from './pages/Account';
import { Alerts } from './pages/Alerts';
import { Audit } from './pages/Audit';
import { Chat } from './pages/Chat';
import { ChatLink } from './pages/ChatLink';
import { ServerDetail } from './pages/ServerDetail';
import { Servers } from './pages/Servers';
import { SignIn } from './pages/SignIn';
import { Users } from './pages/Users';
import { currentPath, navigate, segments, usePath } from './router';
import { SessionContext } from './session';

type Me = User & { csrf_token?: string };

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [returnTo, setReturnTo] = useState<string | null>(null);

  const signedIn = useCallback((me: Me, csrf?: string) => {
    setCsrfToken(csrf ?? me.csrf_token ?? null);
    setUser(me);
    setExpired(false);
    live.start();
  }, []);

  useEffect(() => {
    get<Me>('/auth/me')
      .then((me) => signedIn(me))
      .catch(() => setUser(null));
  }, [signedIn]);

  useEffect(
    () =>
      onSignedOut(() => {
        // The session ended under us: back to sign-in, then to this very page.
        setReturnTo(currentPath());
        setExpired(true);
        setCsrfToken(null);
        live.stop();
        setUser(null);
      }),
    [],
  );

  const signOut = useCallback(async () => {
    try {
      await post('/auth/logout');
    } finally {
      live.stop();
      setCsrfToken(null);
      setReturnTo(null);
      setUser(null);
    }
  }, []);

  if (user === undefined) return <p className="muted center">Loading…</p>;
  if (user === null) {
    return (
      <SignIn
        expired={expired}
        onSignedIn={(me, csrf) => {
          signedIn(me, csrf);
          if (returnTo) navigate(returnTo);
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={{ user, signOut }}>
      <Shell />
    </SessionContext.Provider>
  );
}

function Shell() {
  const path = usePath();
  const parts = segments(path);
  const liveState = useLiveState();
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <Header section={parts[0] ?? 'servers'} liveState={liveState} />
      <main id="main" tabIndex={-1}>
        <Page parts={parts} />
      </main>
    </>
  );
}

function Page({ parts }: { parts: string[] }) {
  switch (parts[0]) {
    case 'servers':
      return parts[1] ? <ServerDetail id={parts[1]} tab={parts[2] ?? 'metrics'} /> : <Servers />;
    case 'alerts':
      return <Alerts tab={parts[1] ?? 'alerts'} />;
    case 'chat':
      return parts[1] === 'link' && parts[2] ? <ChatLink nonce={parts[2]} /> : <Chat />;
    case 'audit':
      return <Audit />;
    case 'users':
      return <Users />;
    case 'account':
      return <Account />;
    default:
      return <Servers />;
  }
}
