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

/** `\begin{gathered}…\end{gathered}` with rows joined by `\\[4pt]`, as the *-tex.ts files write it. */
const GATHERED = /^\\begin\{gathered\}([\s\S]*)\\end\{gathered\}$/;
const ROW_BREAK = String.raw`\\[4pt]`;

/** Typeset rows by their TeX (the most recent ones): a fixed row is typeset once. */
const typeset = new Map<string, string>();
const TYPESET_KEPT = 200;

function typesetRow(katex: Katex, tex: string): string {
  let html = typeset.get(tex);
  if (html === undefined) {
    html = katex.renderToString(tex, { displayMode: true, throwOnError: false });
    if (typeset.size >= TYPESET_KEPT) typeset.delete(typeset.keys().next().value as string);
    typeset.set(tex, html);
  }
  return html;
}

/**
 * A gathered block's rows, typeset one by one, else the whole formula as one row. Formulas with a
 * live row (the objective's latest test values) change every evaluation while training: typesetting
 * only the row that changed, and replacing only its DOM, keeps that update short.
 */
function typesetRows(katex: Katex, tex: string): string[] {
  const rows = GATHERED.exec(tex)?.[1]?.split(ROW_BREAK) ?? [tex];
  return rows.map((row) => typesetRow(katex, row));
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
  const rows = useMemo(() => (katex ? typesetRows(katex, tex) : null), [katex, tex]);
  return (
    // Focusable: a wide formula scrolls inside its box, and the keyboard must reach it.
    <div className={className} data-testid={testId} aria-label={text} role="math" tabIndex={0}>
      {rows !== null ? (
        <div aria-hidden="true" className="math-rows">
          {rows.map((html, i) => (
            <div key={i} className="math-row" dangerouslySetInnerHTML={{ __html: html }} />
          ))}
        </div>
      ) : (
        <p>{text}</p>
      )}
    </div>
  );
}
