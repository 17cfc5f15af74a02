// Fast paths in front of normalize/text.ts and normalize/timeline.ts for the reader's hot loop.
// Most cells are already clean Unicode: those are returned as they are; anything else goes through
// cleanText. Repeated values (agencies, "Thường xuyên", "Năm 2025") are parsed once.
import type { Timeline } from '../model.js';
import { cleanText } from '../normalize/text.js';
import { parseTimeline } from '../normalize/timeline.js';
import { splitAssignment } from '../normalize/agency.js';

const VN_LATIN1 = 'àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ';
const NEUTRAL = '\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026';

/**
 * True when cleanText would return the text unchanged apart from trimming: no HTML or entities, single
 * spaces, no combining marks, and Unicode Vietnamese (a precomposed ă/đ/ơ/ư/ạ… with no stray Latin-1
 * symbol — the signature legacy encodings never have) or plain ASCII.
 */
function alreadyClean(s: string): boolean {
  let vn = 0;
  let high = 0;
  let prevSpace = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if (c === 60 || c === 38 || c < 32) return false; // "<", "&", tabs, line breaks
      const space = c === 32;
      if (space && prevSpace) return false;
      prevSpace = space;
      continue;
    }
    prevSpace = false;
    high++;
    if (
      (c >= 0x1ea0 && c <= 0x1ef9) ||
      c === 0x103 ||
      c === 0x102 ||
      c === 0x111 ||
      c === 0x110 ||
      c === 0x1a1 ||
      c === 0x1a0 ||
      c === 0x1b0 ||
      c === 0x1af ||
      c === 0x129 ||
      c === 0x128 ||
      c === 0x169 ||
      c === 0x168
    )
      vn++;
    else if (!VN_LATIN1.includes(s[i]) && !NEUTRAL.includes(s[i])) return false;
  }
  return high === 0 || vn > 0;
}

const cleanCache = new Map<string, string>();

/** cleanText with a fast path and a bounded cache. */
export function clean(raw: string): string {
  if (!raw) return '';
  const trimmed = raw.trim();
  if (alreadyClean(trimmed)) return trimmed;
  let hit = cleanCache.get(raw);
  if (hit === undefined) {
    hit = cleanText(raw);
    if (cleanCache.size > 20_000) cleanCache.clear();
    cleanCache.set(raw, hit);
  }
  return hit;
}

const timelineCache = new Map<string, Timeline>();

/** parseTimeline, parsed once per distinct text and plan year; callers get their own copy. */
export function timeline(text: string, planYear?: number): Timeline {
  const key = `${planYear ?? ''}|${text}`;
  let hit = timelineCache.get(key);
  if (!hit) {
    hit = parseTimeline(text, { planYear });
    if (timelineCache.size > 20_000) timelineCache.clear();
    timelineCache.set(key, hit);
  }
  return { ...hit };
}

const assignmentCache = new Map<string, { lead: string; support: string }>();

/** splitAssignment, once per distinct "Phân công" text. */
export function assignment(text: string): { lead: string; support: string } {
  let hit = assignmentCache.get(text);
  if (!hit) {
    hit = splitAssignment(text);
    if (assignmentCache.size > 20_000) assignmentCache.clear();
    assignmentCache.set(text, hit);
  }
  return hit;
}
