// Column roles from cell content. A header word the vocabulary does not know ("Đơn vị", "Cơ quan", "Trách nhiệm",
// "Mốc thời gian") leaves its column unmapped; when the cells under it are mostly agency names, or mostly
// timelines, and the table has no column of that role yet, the column takes the role. The reader says so in an
// info diagnostic at the header cell, so that the officer can rename the header if the guess is wrong.
import type { Field } from '../model.js';
import { cleanText } from '../normalize/text.js';
import { looksLikeTimeline } from '../normalize/timeline.js';
import type { AgencyContext } from './agencies.js';
import { agencyRefs } from './agencies.js';
import type { HeaderMatch } from './header.js';

/** Rows under the header looked at: enough to judge a column, few enough that edits below them stay incremental. */
export const CONTENT_PROBE_ROWS = 40;
/** Cells of a column that must have text before its content says anything. */
const MIN_CELLS = 3;
/** Share of those cells that must read as the role. */
const MIN_SHARE = 0.6;

/** A column whose role was taken from its cells. */
export interface InferredColumn {
  /** 0-based column. */
  column: number;
  field: Field;
  /** Share of the column's non-empty cells that read as that role (0–1). */
  share: number;
}

/**
 * Without a directory: a cell that starts like the name of a public body (or a list of them). Names only: a
 * sentence that merely mentions a body ("Sở Tư pháp thẩm định…") is longer than the limit. Case matters: "Ban
 * Quản lý" is a body, "Ban hành" a verb; an acronym ("UBND", "VP") is one whatever follows it.
 */
const AGENCY_NAME =
  /^(?:[-–•+]\s*)?(?:(?:UBND|HĐND|VP|BQL|BHXH|KBNN|MTTQ|CA)(?=[\s,.;:&-]|$)|(?:Các|các)\s+(?:sở|cơ quan|đơn vị|ban|phòng|xã|huyện)(?=[\s,.;:]|$)|(?:Sở|Văn phòng|Ban|Ủy ban|Uỷ ban|Hội đồng|Công an|Bộ Chỉ huy|Bảo hiểm|Thanh tra|Đài|Kho bạc|Thuế|Ngân hàng|Cục|Chi cục|Trung tâm|Phòng|Tòa án|Viện|Mặt trận|Tỉnh đoàn|Liên đoàn)\s+(?:\p{Lu}|tỉnh|thành phố|xã|phường|huyện|nhà nước)|Công an tỉnh|Thanh tra tỉnh)/u;
const NAME_MAX = 120;

function isAgencyCell(text: string, agencies: AgencyContext): boolean {
  if (text.length > 200) return false;
  if (agencies.directory) {
    const refs = agencyRefs(text, agencies);
    return refs.length > 0 && refs.filter((r) => r.kind !== 'unknown').length * 2 >= refs.length;
  }
  return text.length <= NAME_MAX && AGENCY_NAME.test(text);
}

/**
 * The header with roles given to unmapped columns whose cells show them (lead before support, left to right),
 * or the header unchanged. The roles of named columns are never changed.
 */
export function inferColumnRoles(header: HeaderMatch, agencies: AgencyContext): HeaderMatch {
  const unmapped = header.columns.filter((c) => c.field === null);
  if (!unmapped.length) return header;
  const start = (header.sub?.position ?? header.position) + 1;
  const rows = header.grid.rows.slice(start, start + CONTENT_PROBE_ROWS);
  const probe = { to: start + CONTENT_PROBE_ROWS - 1 };
  const fieldCol = { ...header.fieldCol };
  const inferred: InferredColumn[] = [];
  const has = (f: Field) => fieldCol[f] !== undefined;
  for (const c of unmapped) {
    const i = c.index - 1;
    const texts: string[] = [];
    for (const r of rows) {
      const t = cleanText(r.cells[i]?.text ?? '');
      if (t) texts.push(t);
    }
    if (texts.length < MIN_CELLS) continue;
    const share = (test: (t: string) => boolean) => texts.filter(test).length / texts.length;
    let field: Field | null = null;
    let s = 0;
    if (!has('timeline') && (s = share(looksLikeTimeline)) >= MIN_SHARE) field = 'timeline';
    else if (!has('assignment') && (!has('lead') || !has('support'))) {
      s = share((t) => isAgencyCell(t, agencies));
      if (s >= MIN_SHARE) field = has('lead') ? 'support' : 'lead';
    }
    if (!field) continue;
    fieldCol[field] = i;
    inferred.push({ column: i, field, share: Math.round(s * 100) / 100 });
  }
  if (!inferred.length) return { ...header, probe };
  const byColumn = new Map(inferred.map((x) => [x.column, x.field]));
  return {
    ...header,
    columns: header.columns.map((c) => (byColumn.has(c.index - 1) ? { ...c, field: byColumn.get(c.index - 1)! } : c)),
    fieldCol,
    inferred,
    probe,
  };
}
