// Path → Grid[] for the CLI and scripts: the file-system edge of readFileToGrids.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Grid } from '../engine/index.js';
import { InputError } from './errors.js';
import { ZIP_LIMITS } from './zip.js';
import { readFileDetailed, type ReadFileOptions, type SniffResult } from './read.js';

/** Reads a file from disk; missing files, directories and oversized files are InputErrors. */
export async function readPathBytes(path: string): Promise<Uint8Array> {
  const where = { file: basename(path) };
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError('input.file-not-found', {}, { file: path });
  }
  if (!info.isFile()) throw new InputError('input.not-a-file', {}, { file: path });
  if (info.size > ZIP_LIMITS.maxFileBytes) {
    const size = Math.round((info.size / 1024 / 1024) * 10) / 10;
    throw new InputError('input.too-large', { size, limit: ZIP_LIMITS.maxFileBytes / 1024 / 1024 }, where);
  }
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'EIO';
    throw new InputError(
      'input.unreadable',
      { detail: `lỗi hệ thống ${code}`, detailEn: `system error ${code}` },
      where,
    );
  }
}

export async function readPathToGrids(
  path: string,
  options: ReadFileOptions = {},
): Promise<{ grids: Grid[] } & SniffResult> {
  return readFileDetailed(await readPathBytes(path), basename(path), options);
}
