import { useEffect, useState } from 'react';

/** Pages live in the URL's fragment (#/servers/abc/metrics), so the hub serves one index.html. */
export function currentPath(): string {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/servers';
}

export function navigate(path: string): void {
  window.location.hash = path;
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return path;
}

/** The parts of a path, decoded: "/servers/a%20b/metrics" → ["servers", "a b", "metrics"]. */
export function segments(path: string): string[] {
  return path.split('?')[0].split('/').filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
}
