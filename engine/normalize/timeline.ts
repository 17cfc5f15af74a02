// Vietnamese free-text timelines → typed values. Never invents a date.
// STUB (foundation): the normalize owner replaces the body; the signature is the contract.
import type { Timeline } from '../model.js';

export interface TimelineContext {
  planYear?: number;
}

export function parseTimeline(text: string, _ctx: TimelineContext = {}): Timeline {
  const t = text.trim();
  return t ? { kind: 'unknown', text } : { kind: 'empty', text };
}

/** True when a text reads as a timeline ("Quý I/2024", "Tháng 6", "Thường xuyên") rather than a product. */
export function looksLikeTimeline(text: string): boolean {
  return /^(quý|tháng|trước|năm|thường xuyên|hằng năm|định kỳ)/i.test(text.trim());
}
