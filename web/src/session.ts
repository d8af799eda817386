import { createContext, useContext } from 'react';
import type { Role, User } from './api/types';

export interface Session {
  user: User;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether the signed-in user's role reaches `role`; the hub checks again on every request. */
export function useCan(role: Role): boolean {
  return RANK[useSession().user.role] >= RANK[role];
}
