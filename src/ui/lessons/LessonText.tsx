/** A lesson step's text: paragraphs with inline and displayed TeX, typeset by the lazy KaTeX. */
import { useMemo } from 'react';
import { useKatex } from '../tex/TexBlock';
import { splitLessonText, type TexPiece } from './tex-text';

function Piece({ piece, katex }: { piece: TexPiece; katex: ReturnType<typeof useKatex> }) {
  if (piece.kind === 'text') return <>{piece.value}</>;
  const display = piece.kind === 'display';
  if (!katex) return <code className={display ? 'tex-display' : undefined}>{piece.value}</code>;
  const html = katex.renderToString(piece.value, { displayMode: display, throwOnError: false });
  return display ? (
    // Focusable: a wide formula scrolls sideways, and the keyboard must reach it.
    <span className="tex-display" tabIndex={0} dangerouslySetInnerHTML={{ __html: html }} />
  ) : (
    <span dangerouslySetInnerHTML={{ __html: html }} />
  );
}

export function LessonText({ text }: { text: string }) {
  const katex = useKatex();
  const paragraphs = useMemo(() => splitLessonText(text), [text]);
  return (
    <div className="lesson-text">
      {paragraphs.map((pieces, i) => (
        <p key={i}>
          {pieces.map((piece, j) => (
            <Piece key={j} piece={piece} katex={katex} />
          ))}
        </p>
      ))}
    </div>
  );
}
