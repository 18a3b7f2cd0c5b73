// The headers the service worker adds (src/core/cross-origin-isolation.ts): set on a rebuilt
// response that keeps its status, other headers and body; a status-0 response passes as it is.
import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, withIsolationHeaders } from '../../src/core/cross-origin-isolation';

describe('withIsolationHeaders', () => {
  it('adds COOP same-origin and COEP require-corp, keeping the rest', async () => {
    const original = new Response('body bytes', {
      status: 203,
      statusText: 'Non-Authoritative',
      headers: { 'Content-Type': 'text/javascript', 'Cross-Origin-Embedder-Policy': 'unsafe-none' },
    });
    const r = withIsolationHeaders(original);
    expect(r.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(r.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(r.headers.get('Content-Type')).toBe('text/javascript');
    expect(r.status).toBe(203);
    expect(r.statusText).toBe('Non-Authoritative');
    expect(await r.text()).toBe('body bytes');
    expect(Object.keys(ISOLATION_HEADERS)).toHaveLength(2);
  });
  it('leaves a status-0 response (opaque or error) alone', () => {
    const err = Response.error();
    expect(withIsolationHeaders(err)).toBe(err);
  });
});
