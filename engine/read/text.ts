// Fast paths in front of normalize/text.ts and normalize/timeline.ts for the reader's hot loop.
// Most cells are already clean Unicode: those are returned as they are; anything else goes through
// cleanText. Repeated values (agencies, "Thường xuyên", "Năm 2025") are parsed once.
import type { Timeline } from '../model.js';
import { cleanText, isCleanText } from '../normalize/text.js';
import { parseTimeline } from '../normalize/timeline.js';
import { splitAssignment } from '../normalize/agency.js';

const cleanCache = new Map<string, string>();

/** cleanText with a fast path and a bounded cache. */
export function clean(raw: string): string {
  if (!raw) return '';
  const trimmed = raw.trim();
  if (isCleanText(trimmed)) return trimmed;
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
