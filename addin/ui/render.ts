// Pure rendering helpers of the pane: report → grouped issue view model, and small DOM builders.
import type { Diagnostic, Report, Severity, CellEdit } from '../../engine/index.js';

export const SEVERITY_LABEL: Record<Severity, string> = { error: 'Lỗi', warning: 'Cảnh báo', info: 'Gợi ý' };
const ORDER: Severity[] = ['error', 'warning', 'info'];

export interface IssueGroup {
  severity: Severity;
  label: string;
  count: number;
  sections: { title: string; issues: Diagnostic[] }[];
}

/** Groups diagnostics by severity, then by the annex section the row belongs to. */
export function groupIssues(report: Report): IssueGroup[] {
  const sections = [...report.sections].sort((a, b) => a.source.row - b.source.row);
  const sectionOf = (d: Diagnostic): string => {
    let title = 'Chung';
    for (const s of sections) {
      if (s.source.sheet === d.location.sheet && s.source.row <= d.location.row) title = `${s.numeral}. ${s.title}`;
    }
    if (d.location.row < (sections[0]?.source.row ?? 0)) title = 'Chung';
    return title;
  };
  const groups: IssueGroup[] = [];
  for (const severity of ORDER) {
    const list = report.diagnostics.filter((d) => d.severity === severity);
    if (!list.length) continue;
    const bySection = new Map<string, Diagnostic[]>();
    for (const d of [...list].sort(
      (a, b) => a.location.row - b.location.row || (a.location.column ?? 0) - (b.location.column ?? 0),
    )) {
      const t = sectionOf(d);
      bySection.set(t, [...(bySection.get(t) ?? []), d]);
    }
    groups.push({
      severity,
      label: SEVERITY_LABEL[severity],
      count: list.length,
      sections: [...bySection].map(([title, issues]) => ({ title, issues })),
    });
  }
  return groups;
}

export function summaryText(report: Report): string {
  const s = report.stats;
  if (!report.diagnostics.length)
    return `Không có vấn đề nào — ${s.sections} mục, ${s.tasks} nhiệm vụ, ${s.products} sản phẩm.`;
  return `${s.errors} lỗi, ${s.warnings} cảnh báo, ${s.infos} gợi ý — ${s.sections} mục, ${s.tasks} nhiệm vụ, ${s.products} sản phẩm.`;
}

/** "“Theo lộ trình…” → (trống)" */
export function describeEdit(e: CellEdit): string {
  const show = (t: string) => (t === '' ? '(trống)' : `“${t.length > 60 ? t.slice(0, 57) + '…' : t}”`);
  return `${e.cell}: ${show(e.from)} → ${show(e.to)}`;
}

/** Office errors carry English text: the officer gets a Vietnamese explanation keyed by the error code. */
const OFFICE_ERRORS: Record<string, string> = {
  ItemNotFound: 'Không tìm thấy trang tính hoặc vùng ô (có thể đã bị xóa hoặc đổi tên). Bấm “Kiểm tra lại”.',
  InvalidArgument: 'Excel không nhận dữ liệu gửi tới (vùng ô hoặc giá trị không hợp lệ).',
  InvalidOperation: 'Excel không cho phép thao tác này lúc này (trang tính có thể đang được bảo vệ).',
  InvalidOperationInCellEditMode: 'Excel đang ở chế độ sửa ô: nhấn Enter hoặc Esc rồi thử lại.',
  AccessDenied: 'Excel từ chối quyền ghi (tệp chỉ đọc hoặc trang tính được bảo vệ).',
  ItemAlreadyExists: 'Đã có một trang tính trùng tên.',
  RequestPayloadSizeLimitExceeded: 'Bảng quá lớn để gửi trong một lần; hãy thu gọn vùng dữ liệu.',
  ResponsePayloadSizeLimitExceeded: 'Bảng quá lớn để đọc trong một lần; hãy xóa các dòng trống ở cuối trang tính.',
};

export function describeError(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && OFFICE_ERRORS[code]) return `${OFFICE_ERRORS[code]} (mã lỗi Excel: ${code})`;
  return e instanceof Error ? e.message : String(e);
}

type Attrs = Record<string, string | boolean | undefined>;

/** Tiny element builder: text children are escaped by construction (textContent). */
export function h(
  tag: string,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}
