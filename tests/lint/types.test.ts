// Each layer is type-checked with only the globals of the hosts it runs in (its tsconfig.json, checked by
// `npm run typecheck`): these probes prove the borders bite. A probe file is checked alone with the options of
// the layer's own tsconfig.json, so that a test needs no build of the whole project.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Library and @types files parsed once for all probes (the layers share the target, so the same trees). */
const parsedFiles = new Map<string, ts.SourceFile | undefined>();

/** The type errors of `code` as a file of `layer`, with that layer's compiler options. */
function typeErrors(layer: string, code: string): string[] {
  const configFile = join(root, layer, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  // The probe alone: no project file list, nothing written.
  const options = { ...parsed.options, composite: false, declaration: false, emitDeclarationOnly: false, noEmit: true };
  const probe = join(root, layer, 'type-probe.ts');
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, ...rest) => {
    if (file === probe) return ts.createSourceFile(file, code, lang);
    if (!parsedFiles.has(file)) parsedFiles.set(file, getSourceFile(file, lang, ...rest));
    return parsedFiles.get(file);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === probe || fileExists(file);
  const program = ts.createProgram({ rootNames: [probe], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === probe)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const DOM = 'export const title = document.title;\n';
const NODE = 'export const home = process.env.HOME;\n';
const OFFICE = 'export const host = Office.context.host;\n';
const APPS_SCRIPT = 'export const book = SpreadsheetApp.getActiveSpreadsheet();\n';

describe('per-layer type borders (tsconfig.json of each layer)', () => {
  it('the engine has the ES2023 library and no DOM, Node, Office or Apps Script globals', () => {
    expect(typeErrors('engine', 'export const last = [1, 2, 3].findLast((n) => n < 3);\n')).toEqual([]);
    for (const code of [DOM, NODE, OFFICE, APPS_SCRIPT, 'export const b = Buffer.from("x");\n']) {
      expect(typeErrors('engine', code), code).toEqual([
        expect.stringMatching(/^Cannot find name '(document|process|Office|SpreadsheetApp|Buffer)'/),
      ]);
    }
  });

  it('contracts and the shared client code have no host globals either', () => {
    for (const layer of ['contracts', 'clients']) {
      expect(typeErrors(layer, NODE), layer).toEqual([expect.stringMatching(/^Cannot find name 'process'/)]);
      expect(typeErrors(layer, DOM), layer).toEqual([expect.stringMatching(/^Cannot find name 'document'/)]);
    }
  });

  it('io, the server and the CLI have Node and no DOM', () => {
    for (const layer of ['io', 'server', 'cli']) {
      expect(typeErrors(layer, NODE), layer).toEqual([]);
      expect(typeErrors(layer, DOM), layer).toEqual([expect.stringMatching(/^Cannot find name 'document'/)]);
    }
  });

  it('the task pane has the DOM and Office but not Node; the dashboard the DOM alone', () => {
    expect(typeErrors('addin', DOM + OFFICE)).toEqual([]);
    expect(typeErrors('addin', NODE)).toEqual([expect.stringMatching(/^Cannot find name 'process'/)]);
    expect(typeErrors(join('server', 'dashboard'), DOM)).toEqual([]);
    expect(typeErrors(join('server', 'dashboard'), NODE)).toEqual([
      expect.stringMatching(/^Cannot find name 'process'/),
    ]);
  });

  it('the Sheets add-on has Apps Script and no DOM', () => {
    expect(typeErrors('sheets', APPS_SCRIPT)).toEqual([]);
    expect(typeErrors('sheets', DOM)).toEqual([expect.stringMatching(/^Cannot find name 'document'/)]);
  });

  it('every layer project is listed in the top-level tsconfig.json that `tsc -b` builds', () => {
    const top = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config as {
      references: { path: string }[];
    };
    const listed = top.references.map((r) => r.path).sort();
    const layers = ts.sys
      .readDirectory(root, ['.json'], ['node_modules', 'dist', 'test-output', '.data'], ['**/tsconfig.json'])
      .map((f) => dirname(f).slice(root.length).replace(/^\//, ''))
      .filter((d) => d !== '')
      .sort();
    expect(listed).toEqual(layers);
  });
});
