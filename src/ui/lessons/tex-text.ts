/**
 * A lesson text split for rendering: paragraphs (blank lines between), each a run of plain text,
 * inline TeX (`$…$`) and displayed TeX (`$$…$$`). Pure; LessonText renders it with KaTeX.
 */
export type TexPiece =
  | { kind: 'text'; value: string }
  | { kind: 'inline'; value: string }
  | { kind: 'display'; value: string };

const MATH = /\$\$([\s\S]+?)\$\$|\$([^$]+?)\$/g;

export function splitParagraph(paragraph: string): TexPiece[] {
  const out: TexPiece[] = [];
  let at = 0;
  for (const m of paragraph.matchAll(MATH)) {
    if (m.index > at) out.push({ kind: 'text', value: paragraph.slice(at, m.index) });
    if (m[1] !== undefined) out.push({ kind: 'display', value: m[1].trim() });
    else out.push({ kind: 'inline', value: (m[2] ?? '').trim() });
    at = m.index + m[0].length;
  }
  if (at < paragraph.length) out.push({ kind: 'text', value: paragraph.slice(at) });
  return out;
}

export function splitLessonText(text: string): TexPiece[][] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map(splitParagraph);
}
