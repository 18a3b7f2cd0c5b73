/**
 * The two response headers that make a page cross-origin isolated (SharedArrayBuffer, and with
 * it the two-thread wasm GEMM). `vite` and `vite preview` send them (vite.config.ts); on a static
 * host that cannot, our service worker (src/sw/sw.ts) adds them to the responses it serves.
 * require-corp blocks only cross-origin no-cors subresources, which the app has none of.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * `response` with the isolation headers set (its body, status and other headers kept). Opaque
 * responses (status 0: a cross-origin no-cors fetch or a redirect) cannot be rebuilt and pass
 * through unchanged.
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
