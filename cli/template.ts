// `annex template --province ID --year N [--date ISO] [--no-optional] --out FILE.xlsx`: writes the annex
// template for a province and year. Exit codes as the rest of the CLI: 0 written, 2 bad usage or input.
import { parseArgs } from 'node:util';
import { writeFile, rename, mkdir, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { buildAnnexTemplate, TemplateError } from '../templates/annex-template.js';

export interface TemplateOutput {
  out: (s: string) => void;
  err: (s: string) => void;
}

const std: TemplateOutput = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export const TEMPLATE_USAGE = `Cách dùng: annex template --province MÃ_TỈNH --year NĂM [--date YYYY-MM-DD] [--no-optional] --out TỆP.xlsx

Tạo tệp mẫu phụ lục nhiệm vụ CCHC (Excel): 7 mục lĩnh vực theo Nghị quyết 76/NQ-CP, danh sách chọn cơ quan
theo danh mục của tỉnh tại ngày --date (mặc định 01/01 của năm), trang "Hướng dẫn", thiết lập in A4 ngang.

  --province   tỉnh/thành như thường viết ("Khánh Hòa", "TP HCM") hoặc mã, ví dụ ninh-binh
  --year       năm kế hoạch, ví dụ 2026
  --date       ngày lấy danh mục cơ quan (sau sáp nhập dùng ngày hiện hành)
  --no-optional  bỏ hai cột không bắt buộc (Theo dõi, kiểm tra, đôn đốc; Ghi chú)
  --out        tệp .xlsx sẽ ghi

Usage: annex template --province ID --year N [--date ISO] [--no-optional] --out FILE.xlsx
`;

function fail(io: TemplateOutput, vi: string, en: string): number {
  io.err(`Lỗi: ${vi}\n`);
  io.err(`Error: ${en}\n`);
  return 2;
}

export async function runTemplateCommand(args: string[], io: TemplateOutput = std): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        province: { type: 'string' },
        year: { type: 'string' },
        date: { type: 'string' },
        out: { type: 'string', short: 'o' },
        'no-optional': { type: 'boolean' },
        lang: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    const detail = String((e as Error).message).split('\n')[0];
    return fail(io, `Tùy chọn không hợp lệ: ${detail}\n${TEMPLATE_USAGE}`, `Bad option: ${detail}`);
  }
  if (values.help) {
    io.out(TEMPLATE_USAGE);
    return 0;
  }
  const missing = (['province', 'year', 'out'] as const).filter((k) => !values[k]);
  if (missing.length) {
    const list = missing.map((k) => `--${k}`).join(', ');
    return fail(io, `Thiếu tùy chọn ${list}.\n${TEMPLATE_USAGE}`, `Missing option(s) ${list}.`);
  }
  const year = String(values.year);
  if (!/^\d{4}$/.test(year))
    return fail(io, `Năm "${year}" không hợp lệ; ghi bốn chữ số, ví dụ 2026.`, `Year "${year}" is not valid.`);
  const out = String(values.out);
  if (!/\.xlsx$/i.test(out))
    return fail(io, `Tệp ra "${out}" phải có đuôi .xlsx.`, `Output "${out}" must end in .xlsx.`);

  let bytes: Buffer;
  try {
    bytes = await buildAnnexTemplate({
      province: String(values.province),
      year: Number(year),
      date: values.date ? String(values.date) : undefined,
      optionalColumns: !values['no-optional'],
    });
  } catch (e) {
    if (e instanceof TemplateError) return fail(io, e.message, e.messageEn);
    throw e;
  }
  // write beside the target, then rename: never leave a half-written workbook
  const target = resolve(out);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(tmp, bytes);
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    const detail = (e as NodeJS.ErrnoException).code ?? String(e);
    return fail(
      io,
      `Không ghi được tệp "${out}" (${detail}). Kiểm tra thư mục và quyền ghi.`,
      `Cannot write "${out}" (${detail}).`,
    );
  }
  io.out(`Đã tạo mẫu phụ lục: ${out} (${Math.round(bytes.length / 1024)} KB)\n`);
  return 0;
}

export { runTemplateCommand as run };
