// Imports a dependency-free TypeScript module from Node 20 (no type stripping there) by
// transpiling it with the project's TypeScript. Used so scripts share src/ code, e.g. the IDX parser.
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

/** @param {URL} url of a .ts file with no imports */
export async function importTs(url) {
  const source = await readFile(url, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  return import('data:text/javascript,' + encodeURIComponent(outputText));
}
