// Agency cells → AgencyRef[]. With a directory the normalize module resolves names; without one the
// cell is split into a plain list so every item still keeps the officer's own wording.
import type { AgencyRef } from '../model.js';
import type { AgencyDirectory, ResolveAt } from '../normalize/agency.js';

// Words that start a new agency after a comma or "và" ("..., UBND cấp huyện", "... và Sở Tư pháp").
const HEAD =
  /^(?:Sở|Ban|Văn phòng|VP|UBND|Ủy ban|Uỷ ban|HĐND|Công an|Bộ|Cục|Chi cục|Kho bạc|Bảo hiểm|BHXH|Đài|Báo|Trung tâm|Thanh tra|Tòa án|Viện|Phòng|Cơ quan|Các|các|Đơn vị|Trường|Hội|Liên đoàn|Ngân hàng|Quỹ|Người|Tổ|Chủ tịch|Thường trực|Tỉnh ủy|Tỉnh đoàn|Cổng|Bưu điện|Công ty|Cảng vụ|BQL|Lãnh đạo|Đoàn|Ủy ban nhân dân)(?=[\s.:,]|$)/;

/** Splits an agency cell into items: ";" and line breaks always split; "," and " và " split before a new agency name. */
export function splitAgencyText(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[;\n]+/)) {
    let item = '';
    let inList = false; // after "Các Sở:" commas list members of one group
    const pieces = part.split(/(,|\s+và\s+|\s+&\s+)/);
    for (let i = 0; i < pieces.length; i += 2) {
      const piece = pieces[i].trim();
      if (!piece) continue;
      const sep = i > 0 ? pieces[i - 1] : '';
      if (!item) {
        item = piece;
      } else if (!inList && HEAD.test(piece)) {
        out.push(item);
        item = piece;
      } else {
        item += sep.trim() === ',' ? `, ${piece}` : ` ${sep.trim()} ${piece}`;
      }
      if (piece.includes(':')) inList = true;
    }
    if (item) out.push(item);
  }
  return out
    .map((s) =>
      s
        .trim()
        .replace(/^[-+•*–]\s*/, '')
        .replace(/[\s.,;:]+$/, ''),
    )
    .filter((s) => s.length > 0);
}

export interface AgencyContext {
  directory?: AgencyDirectory;
  at: ResolveAt;
  /** Resolutions made during this read (agency cells repeat a lot). */
  memo?: Map<string, AgencyRef[]>;
}

const splitCache = new Map<string, string[]>();

export function agencyRefs(text: string, ctx: AgencyContext): AgencyRef[] {
  const t = text.trim();
  if (!t) return [];
  if (ctx.directory) {
    ctx.memo ??= new Map();
    let refs = ctx.memo.get(t);
    if (!refs) ctx.memo.set(t, (refs = ctx.directory.resolve(t, ctx.at)));
    return refs.map((r) => ({ ...r }));
  }
  let items = splitCache.get(t);
  if (!items) {
    items = splitAgencyText(t);
    if (splitCache.size > 20_000) splitCache.clear();
    splitCache.set(t, items);
  }
  return items.map((item) => ({ text: item, kind: 'unknown' as const }));
}

/** Union of several ref lists, first occurrence wins (by id when resolved, else by text). */
export function unionRefs(lists: AgencyRef[][]): AgencyRef[] {
  const seen = new Set<string>();
  const out: AgencyRef[] = [];
  for (const list of lists)
    for (const ref of list) {
      const key = ref.id ?? ref.text.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(ref);
    }
  return out;
}
