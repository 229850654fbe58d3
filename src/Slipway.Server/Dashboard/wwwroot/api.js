// The control API as the page uses it: the session cookie goes along by itself; every change carries the CSRF token.

let csrf = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, detail, problem) {
    super(detail);
    this.status = status;
    this.problem = problem;
  }
}

/** The daemon did not answer at all (stopped, restarting, or the network between). */
export class DaemonDown extends Error {}

export function useSession(session, signedOut) {
  csrf = session?.csrf ?? null;
  onSignedOut = signedOut ?? onSignedOut;
}

export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new DaemonDown('the daemon is not answering');
  }

  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = typeof data === 'object' && data?.detail ? data.detail : `${response.status} ${response.statusText}`;
    const error = new ApiError(response.status, detail, data);
    if (signsOut(error) && path !== '/api/v1/session') onSignedOut(detail);
    throw error;
  }

  return data;
}

/**
 * The session is gone: 401, or 429 from the daemon's slow-down of failed authentications (a page's calls carry only
 * the cookie, and a session the daemon knows is always admitted, so a 429 there means it knows this one no more).
 */
export const signsOut = error => error instanceof ApiError && (error.status === 401 || error.status === 429);

export const get = path => call('GET', path);
export const post = (path, body) => call('POST', path, body);
export const del = path => call('DELETE', path);

/** Encodes one path segment or query value. */
export const q = encodeURIComponent;
