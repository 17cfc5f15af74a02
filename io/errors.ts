// Input errors: what can be wrong with a file before the engine ever sees it. Their texts (Vietnamese for
// officers, English for developers and logs) are rows of the one error catalogue, contracts/errors.ts.
// The server returns these as `{ error: { code, message, messageEn, where } }`; the CLI prints both lines.
import { errorEntry, fillErrorText as fill, type InputErrorCode } from '../contracts/errors.js';

export interface InputWhere {
  /** The file name as given by the user. */
  file?: string;
  sheet?: string;
  cell?: string;
  row?: number;
  /** Name of the zip entry concerned. */
  entry?: string;
}

export { INPUT_ERROR_CODES, type InputErrorCode } from '../contracts/errors.js';

/** A problem with the input file itself; never a bug. Carries both languages and where it is. */
export class InputError extends Error {
  readonly code: InputErrorCode;
  /** Vietnamese message (`message` is the Vietnamese one too, so generic handlers show Vietnamese). */
  readonly messageVi: string;
  readonly messageEn: string;
  readonly hint: string;
  readonly hintEn: string;
  readonly where?: InputWhere;
  readonly params: Record<string, unknown>;

  constructor(code: InputErrorCode, params: Record<string, unknown> = {}, where?: InputWhere) {
    const entry = errorEntry(code);
    const all: Record<string, unknown> = { ...where, file: where?.file ?? 'tệp', ...params };
    const vi = fill(entry.vi, all);
    super(vi);
    this.name = 'InputError';
    this.code = code;
    this.messageVi = vi;
    // A param "detailEn" fills {detail} in the English texts.
    const allEn: Record<string, unknown> = { ...all, file: where?.file ?? 'file' };
    for (const [k, v] of Object.entries(params)) if (k.endsWith('En')) allEn[k.slice(0, -2)] = v;
    this.messageEn = fill(entry.en, allEn);
    this.hint = fill(entry.hint ?? '', all);
    this.hintEn = fill(entry.hintEn ?? '', allEn);
    this.params = params;
    if (where) this.where = where;
  }

  /** The API error body: `{ code, message, messageEn, hint, where }`. */
  toJSON(): { code: string; message: string; messageEn: string; hint: string; where?: InputWhere } {
    const out: { code: string; message: string; messageEn: string; hint: string; where?: InputWhere } = {
      code: this.code,
      message: this.messageVi,
      messageEn: this.messageEn,
      hint: this.hint,
    };
    if (this.where) out.where = this.where;
    return out;
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
