// Command-line mistakes: a typed error with both languages, like io's InputError; texts from the one catalogue.
import { fillError, type UsageErrorCode } from '../contracts/errors.js';

export class UsageError extends Error {
  readonly code: UsageErrorCode;
  readonly messageVi: string;
  readonly messageEn: string;
  constructor(code: UsageErrorCode, params: Record<string, unknown> = {}) {
    const text = fillError(code, params);
    super(text.message);
    this.name = 'UsageError';
    this.code = code;
    this.messageVi = text.message;
    this.messageEn = text.messageEn;
  }
}
