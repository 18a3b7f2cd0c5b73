/**
 * A block of typeset math (KaTeX, loaded lazily on first use) with its words as the accessible
 * name; until KaTeX arrives the words are shown instead.
 */
import { useEffect, useMemo, useState } from 'react';

type Katex = typeof import('katex').default;
let katexPromise: Promise<Katex> | null = null;
function loadKatex(): Promise<Katex> {
  katexPromise ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(
    ([m]) => m.default,
  );
  return katexPromise;
}

/** KaTeX once loaded, else null. */
export function useKatex(): Katex | null {
  const [katex, setKatex] = useState<Katex | null>(null);
  useEffect(() => {
    let alive = true;
    void loadKatex().then((k) => alive && setKatex(k));
    return () => {
      alive = false;
    };
  }, []);
  return katex;
}

export function TexBlock({
  tex,
  text,
  testId,
  className = 'math',
}: {
  tex: string;
  /** The same in words: the accessible name, and what shows until KaTeX has loaded. */
  text: string;
  testId?: string;
  className?: string;
}) {
  const katex = useKatex();
  const html = useMemo(
    () => katex?.renderToString(tex, { displayMode: true, throwOnError: false }) ?? null,
    [katex, tex],
  );
  return (
    // Focusable: a wide formula scrolls inside its box, and the keyboard must reach it.
    <div className={className} data-testid={testId} aria-label={text} role="math" tabIndex={0}>
      {html !== null ? (
        <div aria-hidden="true" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <p>{text}</p>
      )}
    </div>
  );
}
