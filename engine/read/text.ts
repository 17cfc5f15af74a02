// Fast paths in front of normalize/text.ts and normalize/timeline.ts for the reader's hot loop.
// Most cells are already clean Unicode: those are returned as they are; anything else goes through
// cleanText. Repeated values (agencies, "Thường xuyên", "Năm 2025") are parsed once.
import type { Timeline } from '../model.js';
import { cleanText, isCleanText } from '../normalize/text.js';
import { parseTimeline } from '../normalize/timeline.js';
import { splitAssignment } from '../normalize/agency.js';
import { remember } from '../bounded.js';

/** Each cache of this module is emptied when it reaches this many entries. */
const CACHE_LIMIT = 20_000;

const cleanCache = new Map<string, string>();

/** cleanText with a fast path and a bounded cache. */
export function clean(raw: string): string {
  if (!raw) return '';
  const trimmed = raw.trim();
  if (isCleanText(trimmed)) return trimmed;
  return cleanCache.get(raw) ?? remember(cleanCache, raw, cleanText(raw), CACHE_LIMIT);
}

const timelineCache = new Map<string, Timeline>();

/** parseTimeline, parsed once per distinct text and plan year; callers get their own copy. */
export function timeline(text: string, planYear?: number): Timeline {
  const key = `${planYear ?? ''}|${text}`;
  const hit = timelineCache.get(key) ?? remember(timelineCache, key, parseTimeline(text, { planYear }), CACHE_LIMIT);
  return { ...hit };
}

const assignmentCache = new Map<string, { lead: string; support: string }>();

/** splitAssignment, once per distinct "Phân công" text. */
export function assignment(text: string): { lead: string; support: string } {
  return assignmentCache.get(text) ?? remember(assignmentCache, text, splitAssignment(text), CACHE_LIMIT);
}
