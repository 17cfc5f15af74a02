// Command-line mistakes: a typed error with both languages, like io's InputError.
import { USAGE_ERRORS, fillText, type UsageErrorCode } from './texts.js';

export class UsageError extends Error {
  readonly code: UsageErrorCode;
  readonly messageVi: string;
  readonly messageEn: string;
  constructor(code: UsageErrorCode, params: Record<string, unknown> = {}) {
    const vi = fillText(USAGE_ERRORS[code].vi, params);
    super(vi);
    this.name = 'UsageError';
    this.code = code;
    this.messageVi = vi;
    this.messageEn = fillText(USAGE_ERRORS[code].en, params);
  }
}
