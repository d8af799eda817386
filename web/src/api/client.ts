// Every call to the hub goes through here: JSON in and out, the CSRF header on changes, one error
// type whose message is the hub's own, and a signal when the session has ended.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
const signedOutListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the hub answers 401 to a signed-in page: the session expired or was ended. */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    // Relative to the page, so that the hub also works behind a proxy under a path prefix.
    response = await fetch('api/v1' + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'unreachable', 'the hub does not answer; check that it is running');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page, say: reported below with the status.
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    // Only a page that was signed in (it holds a CSRF token) has a session that can end.
    if (response.status === 401 && csrfToken !== null) signedOutListeners.forEach((listener) => listener());
    throw new ApiError(response.status, error?.code ?? 'http_' + response.status,
      error?.message ?? `the hub answered ${response.status} ${response.statusText}`);
  }
  return json as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = (path: string) => api<void>('DELETE', path);

/** Path segments from user data (ids, container names) always go through this. */
export const seg = (value: string) => encodeURIComponent(value);
