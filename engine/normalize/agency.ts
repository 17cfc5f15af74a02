// Agency directory: canonical names, spellings, collective groups, list splitting, successors, suggestions.
// The directory itself is data (data/agencies/*.json, one file per province and period); this module only
// reads it. Matching is by foldKey, so "Sở TT&TT", "Sở TT &TT" and "Sở TTTT" are one key.
import Fuse from 'fuse.js';
import { z } from 'zod';
import type { AgencyRef } from '../model.js';
import { cleanText, foldKey, isCleanText } from './text.js';
import { remember } from '../bounded.js';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ngày phải có dạng yyyy-mm-dd');

export const AgencyEntrySchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** Other spellings and abbreviations ("Sở TT&TT", "Sở TTTT"). */
  aliases: z.array(z.string()).optional(),
  kind: z.enum(['agency', 'group']).optional(),
  /** Period in which the agency exists (ISO dates, inclusive). */
  validFrom: IsoDate.optional(),
  validTo: IsoDate.optional(),
  /** Where the agency went when it was merged or dissolved. */
  successor: z.object({ id: z.string(), since: IsoDate }).optional(),
  /** Why/what changed, in Vietnamese (shown next to the successor). */
  note: z.string().optional(),
});
export type AgencyEntry = z.infer<typeof AgencyEntrySchema>;

export const DirectoryFileSchema = z.object({
  province: z.string().min(1), // "nam-dinh"; "common" for groups and province-neutral names
  provinceName: z.string().min(1), // "Nam Định"
  validFrom: IsoDate.optional(),
  validTo: IsoDate.optional(),
  successorProvince: z.object({ id: z.string(), since: IsoDate }).optional(),
  note: z.string().optional(),
  agencies: z.array(AgencyEntrySchema),
});
export type DirectoryFile = z.infer<typeof DirectoryFileSchema>;

export interface ResolveAt {
  province?: string;
  /** ISO date at which names are resolved (successors apply from their date). */
  date?: string;
}

export interface Suggestion {
  id: string;
  name: string;
  score: number;
}

export type AgencyStatus = 'active' | 'superseded' | 'dissolved' | 'not-yet';

/** The province id used for collective groups and province-neutral department names. */
export const COMMON_PROVINCE = 'common';

// ---------------------------------------------------------------------------------------------
// Splitting a cell into agency names (no directory needed)
// ---------------------------------------------------------------------------------------------

/** Words an agency name starts with; a "và" or comma before one of them separates two agencies. */
const HEAD =
  /^(?:các|những|sở|ban|văn phòng|vp\b|ubnd|ủy ban|uỷ ban|công an|bộ|kho bạc|kbnn|bảo hiểm|bhxh|đài|báo|thanh tra|cục|chi cục|thuế|trung tâm|phòng|hội|liên đoàn|cơ quan|đơn vị|địa phương|tổ\b|người|doanh nghiệp|hiệp hội|chủ đầu tư|hội đồng|tỉnh ủy|tỉnh uỷ|mặt trận|ủy ban mặt trận)/iu;

/** "cấp xã", "huyện": a level without a noun, which borrows one from the item before it. */
const LEVEL_ONLY = /^(?:cấp\s+)?(xã|huyện|tỉnh)$/iu;

// Collective phrases that contain commas but name ONE group, and department names with a comma.
const COMMA_PHRASES: RegExp[] = [
  /(?:các\s+)?sở,\s*(?:ban,?\s*)?ngành(?:,\s*địa phương)?/giu,
  /(?:các\s+)?ban,\s*ngành(?:,\s*địa phương)?/giu,
  /sở,\s*cơ quan ngang sở/giu,
  /cơ quan,\s*(?:đơn vị|tổ chức)(?:,\s*(?:địa phương|tổ chức))?/giu,
  /ngành,\s*địa phương/giu,
  /bộ,\s*ngành/giu,
  /huyện,\s*(?:thị xã,\s*)?(?:thành phố|thành,\s*thị|thị,\s*thành phố)/giu,
  /huyện,\s*thị xã/giu,
  /xã,\s*phường(?:,\s*(?:thị trấn|đặc khu))?/giu,
  /cấp tỉnh,\s*cấp huyện(?:,\s*cấp xã)?/giu,
  /văn hóa,\s*thể thao/giu,
  /văn hoá,\s*thể thao/giu,
  /\bVH,\s*TT/gu,
  /lao động,\s*thương binh/giu,
  /LĐ,\s*TB/gu,
  /thi đua,\s*khen thưởng/giu,
  /phát thanh,\s*truyền hình/giu,
  /thu phí,\s*lệ phí/giu,
  /tổ chức,\s*cá nhân/giu,
  /cơ quan,\s*người/giu,
];
const KEEP = '\u0001'; // stands for a protected comma while splitting

/**
 * Whether any of COMMA_PHRASES occurs in a text: one pass per set of flags instead of a replacement per phrase. Most
 * parts with a comma are plain lists ("Sở Tư pháp, Sở Y tế"), where none occurs.
 */
const anyOf = (flags: string): RegExp =>
  new RegExp(
    COMMA_PHRASES.filter((re) => re.flags === flags)
      .map((re) => `(?:${re.source})`)
      .join('|'),
    flags.replace('g', ''),
  );
const ANY_COMMA_PHRASE = [...new Set(COMMA_PHRASES.map((re) => re.flags))].map(anyOf);

function protectCommas(s: string): string {
  // Every phrase has a comma of its own.
  if (!s.includes(',')) return s;
  if (!ANY_COMMA_PHRASE.some((re) => re.test(s))) return s;
  let out = s;
  for (const re of COMMA_PHRASES) out = out.replace(re, (m) => m.replace(/,/g, KEEP));
  return out;
}
const restore = (s: string) => s.replaceAll(KEEP, ',');

/** One piece of an agency cell: as written, and what to look up (list items get their "Sở " back). */
interface Piece {
  text: string;
  query: string;
  /** Prefix that list items share ("Sở "), so adjacent items can be re-joined. */
  listPrefix?: string;
  /** How the piece was joined to the previous one in the cell. */
  sep?: ', ' | ' và ';
}

/**
 * Whether tidy() would change the text: an edge character it strips, a trailing "và"/"với", or whitespace
 * other than single spaces. Most names are tidy already, and one test is cheaper than the four replacements.
 */
const UNTIDY = /^[\s\-–+•*.,:;]|[\s.,:;\-–]$|\s(?:và|với)$|\s\s|[^\S ]/u;

function tidy(s: string): string {
  if (!UNTIDY.test(s)) return s;
  return s
    .replace(/^[\s\-–+•*.,:;]+/u, '')
    .replace(/[\s.,:;\-–]+$/u, '')
    .replace(/\s+(?:và|với)$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A piece of text and the separator that joined it to the previous piece in the cell. */
interface Seg {
  s: string;
  sep: ', ' | ' và ';
}

/** Splits on "," and "và" where a new agency starts; commas inside protected phrases stay. */
function splitList(part: string): Seg[] {
  const out: string[] = [];
  for (const raw of part.split(',')) {
    const seg = raw.trim();
    if (!seg) continue;
    const prev = out.length ? out[out.length - 1] : undefined;
    if (prev !== undefined && !HEAD.test(seg) && !LEVEL_ONLY.test(seg)) out[out.length - 1] = `${prev}, ${seg}`;
    else out.push(seg);
  }
  const res: Seg[] = [];
  for (const seg of out) {
    // "X và Y" is two agencies only when Y starts like an agency name.
    const bits = seg.includes('và') ? seg.split(/\s+và\s+/u) : [seg];
    let cur = bits[0];
    let sep: Seg['sep'] = ', ';
    for (let i = 1; i < bits.length; i++) {
      if (HEAD.test(bits[i])) {
        res.push({ s: cur, sep });
        cur = bits[i];
        sep = ' và ';
      } else cur = `${cur} và ${bits[i]}`;
    }
    res.push({ s: cur, sep });
  }
  return res;
}

const LIST_RE =
  /(^|.*?[,;]?\s*(?:và\s+)?)(?:(các|những)\s+)?(sở|phòng|ban|huyện|ubnd các huyện|ubnd huyện|ubnd các xã|ubnd xã)\s*:\s*(.+)$/iu;

/** A piece as its part of the cell yields it, before "cấp xã" borrows from the piece before it. */
interface PartPiece extends Piece {
  /** "xã" for a bare "cấp xã" / "xã": becomes "UBND cấp xã" after a piece that starts with UBND. */
  level?: string;
}

const STARTS_UBND = /^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\b/u;

/** Each cache of this module (the split caches, each map of an AtCache) is emptied when it grows past this. */
const CACHE_LIMIT = 20_000;

// Cells differ as whole texts ("Sở A; Sở B", "Sở A; Sở C") while their ";"/line parts repeat: a part is split
// once. Only the borrowing of "UBND" reaches across parts, so it is applied per cell (splitPieces).
const partCache = new Map<string, readonly PartPiece[]>();

function splitPart(rawPart: string): readonly PartPiece[] {
  return partCache.get(rawPart) ?? remember(partCache, rawPart, splitPartUncached(rawPart), CACHE_LIMIT);
}

function splitPartUncached(rawPart: string): PartPiece[] {
  let part = tidy(rawPart);
  if (!part) return [];
  // "Các Sở, ban, ngành UBND cấp huyện": a missing comma before UBND (only text with "UBND" or "ban nhân dân").
  if (part.includes('UBND') || part.includes('ban nhân dân'))
    part = part.replace(
      /(ngành(?:\s+tỉnh)?|địa phương|đơn vị)\s+(?=(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s)/gu,
      '$1, ',
    );
  const protectedPart = protectCommas(part);
  // The list pattern needs a colon; without one its lazy prefix would only backtrack over the whole part.
  const lm = protectedPart.includes(':') ? LIST_RE.exec(protectedPart) : null;
  let listItems: Piece[] = [];
  let before = protectedPart;
  if (lm) {
    before = lm[1];
    const head = lm[3].toLowerCase();
    const prefix =
      head === 'sở'
        ? 'Sở '
        : head === 'phòng'
          ? 'Phòng '
          : head === 'ban'
            ? 'Ban '
            : /xã/.test(head)
              ? 'UBND xã '
              : 'UBND huyện ';
    const items = lm[4]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    let ended = false;
    const rest: string[] = [];
    for (const item of items) {
      // The list ends at an item that names its own agency ("các cơ quan, tổ chức có liên quan").
      if (HEAD.test(item)) ended = true;
      if (ended) rest.push(item);
      else {
        const written = tidy(restore(item));
        listItems.push({ text: written, query: prefix + written, listPrefix: prefix });
      }
    }
    if (rest.length) {
      listItems = listItems.concat(
        splitList(rest.join(',')).map((g) => ({ text: tidy(restore(g.s)), query: tidy(restore(g.s)), sep: g.sep })),
      );
    }
  }
  const out: PartPiece[] = [];
  for (const g of splitList(before)) {
    const t = tidy(restore(g.s));
    if (t) out.push({ text: t, query: t, sep: g.sep });
  }
  for (const p of listItems) if (p.text) out.push(p);
  for (const p of out) {
    const m = LEVEL_ONLY.exec(p.query);
    if (m) p.level = m[1].toLowerCase();
  }
  return out;
}

// Readers resolve each cell at its document's date, so the same text is split again for every date: the split
// itself depends on the text alone.
const piecesCache = new Map<string, readonly Piece[]>();

function splitPieces(text: string): readonly Piece[] {
  return piecesCache.get(text) ?? remember(piecesCache, text, splitPiecesUncached(text), CACHE_LIMIT);
}

/**
 * Whether cleanText returns a text of several lines as it is: every line clean (isCleanText), none empty or
 * with a space at either end (cleanText drops those around a break).
 */
function cleanLines(s: string): boolean {
  for (const line of s.split('\n')) {
    if (!line || line[0] === ' ' || line[line.length - 1] === ' ' || !isCleanText(line)) return false;
  }
  return true;
}

function splitPiecesUncached(text: string): Piece[] {
  const raw = text ?? '';
  // Cells reach here already cleaned by the reader: cleanText would only trim them, or leave their lines be.
  const clean = isCleanText(raw) ? raw.trim() : raw.includes('\n') && cleanLines(raw) ? raw : cleanText(raw);
  if (!clean) return [];
  const pieces: Piece[] = [];
  // Parts end at a line break or ";" (split on a string: a regular expression split is much slower).
  for (const rawPart of clean.replaceAll('\n', ';').split(';')) {
    for (const part of splitPart(rawPart)) {
      // A copy without `level`, made field by field: object rest (`{ level, ...piece }`) goes through a slow
      // runtime call, once per piece of every distinct cell.
      const piece: Piece = { text: part.text, query: part.query };
      if (part.listPrefix !== undefined) piece.listPrefix = part.listPrefix;
      if (part.sep !== undefined) piece.sep = part.sep;
      // "UBND cấp huyện, cấp xã": the second item borrows "UBND" from the first.
      const prev = pieces[pieces.length - 1];
      if (part.level && prev && STARTS_UBND.test(prev.query)) piece.query = `UBND cấp ${part.level}`;
      pieces.push(piece);
    }
  }
  return pieces;
}

/**
 * Splits an agency cell into agency names without a directory: comma/semicolon/line lists, "và"
 * before a new agency, "Các Sở: Tài chính, Tư pháp" → "Sở Tài chính", "Sở Tư pháp". Collective
 * phrases with commas ("Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố") stay whole.
 */
export function splitAgencyText(text: string): string[] {
  return splitPieces(text).map((p) => p.query);
}

// ---------------------------------------------------------------------------------------------
// Lead / support split of the combined "Phân công" column
// ---------------------------------------------------------------------------------------------

// Verbs that end the agency name at the start of a clause (lower case only: "Sở Xây dựng" is a name).
const VERB =
  /\s(?:chủ trì|phối hợp|tham gia|tham mưu|thực hiện|hướng dẫn|thẩm định|chỉ đạo|triển khai|xây dựng|tổng hợp|rà soát|chủ động|đề xuất|hoàn thiện|trên cơ sở|theo dõi|kiểm tra|đôn đốc|báo cáo|gửi|trình|căn cứ|cập nhật|tổ chức thực hiện|tổ chức triển khai|ban hành|cung cấp|phê duyệt)(?=$|[\s,.;:])/u;

function subjectOf(clause: string): { subject: string; rest: string } {
  const m = VERB.exec(` ${clause}`);
  if (!m) return { subject: tidy(clause), rest: '' };
  const at = Math.max(0, m.index - 1);
  return { subject: tidy(clause.slice(0, at)), rest: clause.slice(at).trim() };
}

/** The agencies after "phối hợp với", up to the next verb ("… tham mưu UBND tỉnh"). */
function partnersAfter(rest: string): string {
  const m = /phối hợp(?:\s+với)?\s+(.*)$/u.exec(rest);
  if (!m) return '';
  const tail = m[1];
  const v = VERB.exec(` ${tail}`);
  return tidy(v ? tail.slice(0, Math.max(0, v.index - 1)) : tail);
}

/** "gửi Sở Nội vụ thẩm định": the agency a draft is sent to takes part. */
function sentTo(rest: string): string[] {
  const out: string[] = [];
  for (const m of rest.matchAll(/gửi\s+(.+?)\s+(?:thẩm định|tổng hợp|thẩm tra|xem xét|góp ý)/gu)) out.push(tidy(m[1]));
  return out;
}

/**
 * Splits a combined "Phân công" text ("Sở Nội vụ chủ trì, phối hợp với các sở, ngành") into the lead and
 * the support agencies (each a "; "-separated list for AgencyDirectory.resolve). Handles one-sentence
 * forms, bullet lists ("- Sở Tài chính chủ trì tham mưu\n- Các sở, ban ngành phối hợp"), inline bullets
 * and "X xây dựng Đề án gửi Sở Nội vụ thẩm định".
 */
export function splitAssignment(text: string): { lead: string; support: string } {
  let clean = cleanText(text ?? '');
  if (!clean) return { lead: '', support: '' };
  // A line that starts in lower case continues the previous one (page-break or soft wrap).
  clean = clean.replace(/\n(?=\p{Ll})/gu, ' ');
  const clauses = clean
    .split(
      /\n|;|\s+[-–]\s+(?=(?:Các|Sở|Ban|Văn phòng|VP|UBND|Ủy ban|Uỷ ban|Công an|Kho bạc|Bảo hiểm|Thanh tra|Trung tâm|Phòng|Cơ quan|Đơn vị|Người|Bộ)\s)/u,
    )
    .map((c) => tidy(c))
    .filter(Boolean);
  const lead: string[] = [];
  const support: string[] = [];
  const add = (list: string[], s: string) => {
    const t = tidy(s);
    if (t && !lead.includes(t) && !support.includes(t)) list.push(t);
  };
  const pending: string[] = [];
  for (const clause of clauses) {
    const { subject, rest } = subjectOf(clause);
    if (!subject) continue;
    if (/^chủ trì/u.test(rest)) {
      add(lead, subject);
      add(support, partnersAfter(rest));
    } else if (/^phối hợp\s+với/u.test(rest)) {
      // "Các sở, ban, ngành phối hợp với UBND cấp huyện …": the subject does the work.
      if (lead.length) pending.push(subject);
      else add(lead, subject);
      add(support, partnersAfter(rest));
    } else if (/^(?:phối hợp|tham gia)/u.test(rest)) {
      add(support, subject);
    } else {
      pending.push(subject);
    }
    for (const s of sentTo(rest)) pending.push(s);
  }
  for (const s of pending) {
    if (!lead.length) add(lead, s);
    else add(support, s);
  }
  return { lead: lead.filter(Boolean).join('; '), support: support.filter(Boolean).join('; ') };
}

// ---------------------------------------------------------------------------------------------
// The directory
// ---------------------------------------------------------------------------------------------

interface Indexed {
  entry: AgencyEntry;
  file: DirectoryFile;
}

/**
 * Results at one province and date class (see AgencyDirectory.dateClass), by text: each depends only on the
 * directory, the text and those two. Cells differ as whole texts far more than their agency names do, so names
 * are matched once, not once per cell.
 */
interface AtCache {
  /** resolve(): the refs of a whole cell (callers get copies). */
  refs: Map<string, AgencyRef[]>;
  /** The same, resolved without suggestions. */
  bareRefs: Map<string, AgencyRef[]>;
  /** match(query, at, false) and match(query, at, true); null for no match. */
  exact: Map<string, Indexed | null>;
  withPrefix: Map<string, Indexed | null>;
  /** suggest(query, at, 3) for unknown names (callers get copies). */
  suggestions: Map<string, Suggestion[]>;
  /** successorOf(id, date, province), null for none (callers get copies). */
  successors: Map<string, { id: string; name: string; since: string } | null>;
}

/** Dice coefficient over character bigrams (1 = identical strings). */
function bigramDice(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const grams = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  let common = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const n = grams.get(g) ?? 0;
    if (n > 0) {
      common++;
      grams.set(g, n - 1);
    }
  }
  return (2 * common) / (a.length - 1 + b.length - 1);
}

function inPeriod(date: string | undefined, from?: string, to?: string): boolean {
  if (!date) return true;
  return (!from || from <= date) && (!to || date <= to);
}

function validAt(x: Indexed, date: string | undefined): boolean {
  return inPeriod(date, x.entry.validFrom, x.entry.validTo) && inPeriod(date, x.file.validFrom, x.file.validTo);
}

export interface ProvinceInfo {
  id: string;
  name: string;
  validFrom?: string;
  validTo?: string;
  successor?: { id: string; since: string };
}

/** Provinces of some directory files (without the common file), with their period and successor province. */
export function provincesOf(files: DirectoryFile[]): ProvinceInfo[] {
  const seen = new Map<string, ProvinceInfo>();
  for (const f of files) {
    if (f.province === COMMON_PROVINCE || seen.has(f.province)) continue;
    seen.set(f.province, {
      id: f.province,
      name: f.provinceName,
      ...(f.validFrom ? { validFrom: f.validFrom } : {}),
      ...(f.validTo ? { validTo: f.validTo } : {}),
      ...(f.successorProvince ? { successor: f.successorProvince } : {}),
    });
  }
  return [...seen.values()];
}

export class AgencyDirectory {
  private readonly byKey = new Map<string, Indexed[]>();
  private readonly byId = new Map<string, Indexed>();
  private readonly provinceKeys: { key: string; id: string }[] = [];
  /** Provinces that have a file (the common one included). */
  private readonly provinceIds = new Set<string>();
  /** What resolving has worked out, per (province, date class): see AtCache and dateClass. */
  private readonly atCaches = new Map<string, AtCache>();
  /** Every date the directory holds (periods and successions), sorted: see dateClass. */
  private readonly boundaries: string[];
  private readonly dateClasses = new Map<string, string>();
  private readonly keysOf = new Map<AgencyEntry, string[]>();
  private readonly scopes = new Map<string, { id: string; name: string; keys: string[] }[]>();
  /** fuse.js scores (by id) for a query and its candidates: see suggest. */
  private readonly fuseScores = new Map<string, Map<string, number>>();

  private constructor(readonly files: DirectoryFile[]) {
    // The standard set repeats in every province's file: fold each distinct name once.
    const folded = new Map<string, string>();
    const fold = (s: string): string => {
      let k = folded.get(s);
      if (k === undefined) folded.set(s, (k = foldKey(s)));
      return k;
    };
    // Built at every start of a command, by code that runs once (not optimised): plain loops, no arrays per entry,
    // and a key's list (one entry per province for the standard set's names) is searched for the entry only when
    // that entry object was indexed before, the one way it can already be there.
    const indexed = new Set<AgencyEntry>();
    const dates = new Set<string>();
    const keys: string[] = [];
    const addKey = (k: string) => {
      if (k && !keys.includes(k)) keys.push(k);
    };
    for (const file of files) {
      this.provinceIds.add(file.province);
      if (file.province !== COMMON_PROVINCE)
        this.provinceKeys.push({ key: foldKey(file.provinceName), id: file.province });
      if (file.validFrom) dates.add(file.validFrom);
      if (file.validTo) dates.add(file.validTo);
      if (file.successorProvince?.since) dates.add(file.successorProvince.since);
      for (const entry of file.agencies) {
        const x: Indexed = { entry, file };
        if (!this.byId.has(entry.id)) this.byId.set(entry.id, x);
        const again = indexed.has(entry);
        indexed.add(entry);
        keys.length = 0;
        addKey(fold(entry.name));
        if (entry.aliases) for (const alias of entry.aliases) addKey(fold(alias));
        this.keysOf.set(entry, keys.slice());
        for (const k of keys) {
          let list = this.byKey.get(k);
          if (!list) this.byKey.set(k, (list = []));
          if (!again || !list.some((y) => y.entry === entry)) list.push(x);
        }
        if (entry.validFrom) dates.add(entry.validFrom);
        if (entry.validTo) dates.add(entry.validTo);
        if (entry.successor?.since) dates.add(entry.successor.since);
      }
    }
    // Longer province names first so "Hà Nam" never shadows a longer one.
    this.provinceKeys.sort((a, b) => b.key.length - a.key.length);
    this.boundaries = [...dates].sort();
  }

  /**
   * Resolving depends on the date only through comparisons with the directory's own dates. Two dates with as
   * many of those before them, and as many at or before them, compare alike with every one and so resolve
   * alike: the caches are per class, where per date they would miss on every document's own date.
   */
  private dateClass(date: string | undefined): string {
    if (!date) return '';
    let cls = this.dateClasses.get(date);
    if (cls === undefined) {
      let before = 0;
      let atOrBefore = 0;
      for (const b of this.boundaries) {
        if (b < date) before++;
        if (b <= date) atOrBefore++;
      }
      cls = remember(this.dateClasses, date, `${before}:${atOrBefore}`, CACHE_LIMIT);
    }
    return cls;
  }

  /**
   * Validates the data (zod) and builds the index. Throws with the file and entry at fault. `derived` files are
   * built in code from files already validated here (the standard set copied per province): their ids and
   * successor links are checked like the rest, but the schema check is skipped, which halves the build time.
   */
  static fromData(files: DirectoryFile[], derived: DirectoryFile[] = []): AgencyDirectory {
    const parsed: DirectoryFile[] = [];
    files.forEach((f, i) => {
      const r = DirectoryFileSchema.safeParse(f);
      if (!r.success) {
        const where = (f as { province?: string })?.province ?? `#${i + 1}`;
        const issue = r.error.issues[0];
        throw new Error(`Tệp danh mục cơ quan "${where}" không hợp lệ tại ${issue.path.join('.')}: ${issue.message}`);
      }
      parsed.push(r.data);
    });
    parsed.push(...derived);
    const ids = new Map<string, string>();
    for (const f of parsed)
      for (const e of f.agencies) {
        const prev = ids.get(e.id);
        if (prev && prev !== f.province)
          throw new Error(`Mã cơ quan "${e.id}" bị trùng giữa tệp "${prev}" và "${f.province}".`);
        ids.set(e.id, f.province);
      }
    for (const f of parsed)
      for (const e of f.agencies)
        if (e.successor && !ids.has(e.successor.id))
          throw new Error(
            `Cơ quan "${e.id}" (tệp "${f.province}") trỏ tới cơ quan kế nhiệm "${e.successor.id}" không có trong danh mục.`,
          );
    return new AgencyDirectory(parsed);
  }

  /** Province ids and names in the directory (without the common file). */
  provinces(): ProvinceInfo[] {
    return provincesOf(this.files);
  }

  /** Province id for a name as written in a document ("tỉnh Khánh Hoà", "UBND tỉnh Nam Định"). */
  provinceOf(name: string): string | undefined {
    const k = ` ${foldKey(name)} `;
    for (const p of this.provinceKeys) if (k.includes(` ${p.key} `)) return p.id;
    return undefined;
  }

  /** The entry for an id, with its province. */
  lookup(id: string): (AgencyEntry & { province: string }) | undefined {
    const x = this.byId.get(id);
    return x ? { ...x.entry, province: x.file.province } : undefined;
  }

  /** Whether an agency exists at a date, was succeeded, dissolved without successor, or is not yet created. */
  status(id: string, date: string): AgencyStatus | undefined {
    const x = this.byId.get(id);
    if (!x) return undefined;
    const from = x.entry.validFrom ?? x.file.validFrom;
    if (from && date < from) return 'not-yet';
    if (x.entry.successor && x.entry.successor.since <= date) return 'superseded';
    const to = x.entry.validTo ?? x.file.validTo;
    if (to && date > to) return 'dissolved';
    return 'active';
  }

  /** The agency that carries on `id` at `date`, following merges in order (Sở TT&TT → Sở KH&CN → …). */
  successorOf(id: string, date?: string, province?: string): { id: string; name: string; since: string } | undefined {
    if (!date) return undefined;
    let cur = this.byId.get(id);
    let found: { id: string; name: string; since: string } | undefined;
    const seen = new Set<string>();
    while (cur?.entry.successor && cur.entry.successor.since <= date && !seen.has(cur.entry.id)) {
      seen.add(cur.entry.id);
      const { id: next, since } = cur.entry.successor;
      const target = this.byId.get(next);
      if (!target) break;
      // A province-neutral successor becomes the document province's own agency when it has one.
      const nx = this.localize(target, province);
      // `since` is when the written agency stopped: the first hop of the chain.
      found = { id: nx.entry.id, name: nx.entry.name, since: found?.since ?? since };
      cur = nx;
    }
    return found;
  }

  /** Agencies and groups valid in a province at a date (for dropdowns): the province's own, then common groups. */
  agencies(province: string, date?: string): AgencyEntry[] {
    const own: AgencyEntry[] = [];
    const groups: AgencyEntry[] = [];
    for (const f of this.files) {
      const isOwn = f.province === province;
      if (!isOwn && f.province !== COMMON_PROVINCE) continue;
      if (!inPeriod(date, f.validFrom, f.validTo)) continue;
      for (const e of f.agencies) {
        if (!inPeriod(date, e.validFrom, e.validTo)) continue;
        if (isOwn) own.push(e);
        else if (e.kind === 'group' || !this.files.some((g) => g.province === province)) groups.push(e);
      }
    }
    return [...own, ...groups];
  }

  /** Candidates for a folded key, best scope first: the province at the date, the province at any time, common. */
  private find(key: string, at: ResolveAt): Indexed | undefined {
    const list = this.byKey.get(key);
    if (!list) return undefined;
    const province = at.province && this.provinceIds.has(at.province) ? at.province : undefined;
    const tiers: ((x: Indexed) => boolean)[] = province
      ? [
          (x) => x.file.province === province && validAt(x, at.date),
          (x) => x.file.province === province,
          (x) => x.file.province === COMMON_PROVINCE && validAt(x, at.date),
          (x) => x.file.province === COMMON_PROVINCE,
        ]
      : [
          (x) => x.file.province === COMMON_PROVINCE && validAt(x, at.date),
          (x) => x.file.province === COMMON_PROVINCE,
          (x) => validAt(x, at.date),
          () => true,
        ];
    for (const t of tiers) {
      const hit = list.find(t);
      if (hit) return this.localize(hit, province);
    }
    return undefined;
  }

  /** A province-neutral match ("common/so-noi-vu") becomes the province's own agency when it has one. */
  private localize(x: Indexed, province: string | undefined): Indexed {
    if (!province || x.file.province !== COMMON_PROVINCE || x.entry.kind === 'group') return x;
    const slug = x.entry.id.slice(COMMON_PROVINCE.length + 1);
    return this.byId.get(`${province}/${slug}`) ?? x;
  }

  /** Key variants tried in order: as written, without the province name, the longest known prefix. */
  private match(query: string, at: ResolveAt, cache: AtCache, prefix = true): Indexed | undefined {
    // An unknown name is the costly case (every province suffix is tried), and the same ones come back.
    const memo = prefix ? cache.withPrefix : cache.exact;
    const known = memo.get(query);
    if (known !== undefined) return known ?? undefined;
    return remember(memo, query, this.matchUncached(query, at, prefix) ?? null, CACHE_LIMIT) ?? undefined;
  }

  private matchUncached(query: string, at: ResolveAt, prefix: boolean): Indexed | undefined {
    const key = foldKey(query);
    if (!key) return undefined;
    const direct = this.find(key, at);
    if (direct) return direct;
    // "Sở Nội vụ tỉnh Nam Định", "Kho bạc nhà nước Tiền Giang", "Cục Thuế tỉnh"
    for (const p of this.provinceKeys) {
      for (const suffix of [` tinh ${p.key}`, ` ${p.key}`]) {
        if (key.endsWith(suffix) && key.length > suffix.length) {
          const hit = this.find(key.slice(0, -suffix.length), at);
          if (hit) return hit;
        }
      }
    }
    if (key.endsWith(' tinh')) {
      const hit = this.find(key.slice(0, -5), at);
      if (hit) return hit;
    }
    if (!prefix) return undefined;
    // "Sở Tư pháp theo dõi cấp huyện": the longest leading run of words that names an agency.
    const words = key.split(' ');
    for (let n = words.length - 1; n >= 2; n--) {
      const hit = this.find(words.slice(0, n).join(' '), at);
      if (hit) return hit;
    }
    return undefined;
  }

  private toRef(
    text: string,
    x: Indexed | undefined,
    at: ResolveAt,
    query: string,
    cache: AtCache,
    suggest: boolean,
  ): AgencyRef {
    if (!x) {
      const suggestions = suggest ? this.suggestionsFor(query, at, cache) : [];
      return { text, kind: 'unknown', ...(suggestions.length ? { suggestions } : {}) };
    }
    const id = x.entry.id;
    let successor = cache.successors.get(id);
    if (successor === undefined)
      successor = remember(cache.successors, id, this.successorOf(id, at.date, at.province) ?? null, CACHE_LIMIT);
    return {
      text,
      id,
      name: x.entry.name,
      kind: x.entry.kind ?? 'agency',
      ...(successor ? { successor: { ...successor } } : {}),
    };
  }

  private suggestionsFor(query: string, at: ResolveAt, cache: AtCache): Suggestion[] {
    const list =
      cache.suggestions.get(query) ?? remember(cache.suggestions, query, this.suggest(query, at, 3), CACHE_LIMIT);
    return list.map((s) => ({ ...s }));
  }

  /** The cache for resolving at `at` (an empty province or date is the same as none, as everywhere here). */
  private cacheAt(at: ResolveAt): AtCache {
    const key = `${at.province ?? ''}\u0000${this.dateClass(at.date)}`;
    let cache = this.atCaches.get(key);
    if (!cache) {
      cache = remember(
        this.atCaches,
        key,
        {
          refs: new Map(),
          bareRefs: new Map(),
          exact: new Map(),
          withPrefix: new Map(),
          suggestions: new Map(),
          successors: new Map(),
        },
        200,
      );
    }
    return cache;
  }

  private resolveUncached(text: string, at: ResolveAt, cache: AtCache, suggest: boolean): AgencyRef[] {
    const pieces = splitPieces(text);
    const refs: AgencyRef[] = [];
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i];
      let hit = this.match(p.query, at, cache, false);
      if (!hit) {
        // Re-join with following pieces when the split cut a name ("Sở Văn hóa" + "Thể thao và Du lịch").
        for (let j = Math.min(pieces.length - 1, i + 3); j > i && !hit; j--) {
          const joined = pieces.slice(i, j + 1);
          const tail = joined
            .slice(1)
            .map((x) => `${x.sep ?? ', '}${x.text}`)
            .join('');
          const h = this.match(p.query + tail, at, cache, false);
          if (h) {
            hit = h;
            refs.push(this.toRef(p.text + tail, h, at, p.query + tail, cache, suggest));
            i = j;
          }
        }
        if (hit) continue;
        // A piece that is two agencies joined by "và" the splitter kept together.
        const bits = p.query.split(/\s+và\s+/u);
        if (bits.length > 1) {
          const parts: Indexed[] = [];
          for (const b of bits) {
            const h = this.match(
              (p.listPrefix && !b.startsWith(p.listPrefix) ? p.listPrefix : '') + b,
              at,
              cache,
              false,
            );
            if (h) parts.push(h);
          }
          if (parts.length === bits.length) {
            const written = p.text.split(/\s+và\s+/u);
            parts.forEach((h, k) => refs.push(this.toRef(written[k] ?? bits[k], h, at, bits[k], cache, suggest)));
            continue;
          }
        }
      }
      refs.push(this.toRef(p.text, hit ?? this.match(p.query, at, cache), at, p.query, cache, suggest));
    }
    return refs;
  }

  /**
   * Splits a cell into agencies and resolves each: canonical name, kind, successor at `at.date`, and
   * ranked suggestions for unknown names (unless `options.suggestions` is false: a caller that never shows them
   * saves the fuzzy search, about a quarter of resolving a roll-up's cells). Memoised by (text, province, date
   * class). With `options.shared`, the memoised list itself rather than a copy, the same objects for every call
   * with this text (see ReadOptions.sharedAgencyRefs): only for a caller that never changes them.
   */
  resolve(text: string, at: ResolveAt = {}, options: { suggestions?: boolean; shared?: boolean } = {}): AgencyRef[] {
    if (!text || !text.trim()) return [];
    const cache = this.cacheAt(at);
    const suggest = options.suggestions !== false;
    const known = suggest ? cache.refs : cache.bareRefs;
    const refs = known.get(text) ?? remember(known, text, this.resolveUncached(text, at, cache, suggest), CACHE_LIMIT);
    return options.shared ? refs : refs.map((r) => ({ ...r }));
  }

  /**
   * Ranked suggestions (score 0..1, 1 = same name) among agencies valid in the province at the date, then
   * groups. A bigram similarity of the folded names picks the closest dozen; fuse.js then scores those, and
   * the two scores are blended (fuse alone rates a short alias inside a long name as a perfect match).
   */
  suggest(text: string, at: ResolveAt = {}, limit = 3): Suggestion[] {
    const q = foldKey(text);
    // A long sentence is not a misspelt name: no suggestions (and no slow fuzzy search).
    if (!q || q.length > 64) return [];
    const scopeKey = `${at.province ?? ''}|${at.date ?? ''}`;
    let docs = this.scopes.get(scopeKey);
    if (!docs) {
      const entries = at.province
        ? this.agencies(at.province, at.date)
        : this.files
            .filter((f) => f.province === COMMON_PROVINCE)
            .flatMap((f) => f.agencies.filter((e) => inPeriod(at.date, e.validFrom, e.validTo)));
      docs = entries.map((e) => ({ id: e.id, name: e.name, keys: this.keysOf.get(e) ?? [foldKey(e.name)] }));
      remember(this.scopes, scopeKey, docs, 200);
    }
    const near = docs
      .map((d) => ({ d, sim: Math.max(...d.keys.map((k) => bigramDice(q, k))) }))
      .filter((x) => x.sim > 0.2)
      .sort((x, y) => y.sim - x.sim)
      .slice(0, 12);
    if (!near.length) return [];
    // fuse.js scores depend only on the query and the candidates, which dates and provinces often narrow alike.
    const candidates = `${q}\u0000${near.map((x) => `${x.d.id}\u0001${x.d.keys.join('\u0001')}`).join('\u0000')}`;
    let fuseScore = this.fuseScores.get(candidates);
    if (!fuseScore) {
      const fuse = new Fuse(
        near.map((x) => x.d),
        { keys: ['keys'], includeScore: true, threshold: 0.8 },
      );
      // fuse's bit-parallel search is fast up to 32 characters; longer patterns cost much more for no gain.
      fuseScore = new Map(fuse.search(q.slice(0, 32)).map((r) => [r.item.id, 1 - (r.score ?? 1)]));
      remember(this.fuseScores, candidates, fuseScore, CACHE_LIMIT);
    }
    const ranked = near.map(({ d, sim }) => ({
      id: d.id,
      name: d.name,
      score: Math.round((0.3 * (fuseScore.get(d.id) ?? 0) + 0.7 * sim) * 100) / 100,
    }));
    ranked.sort((x, y) => y.score - x.score);
    return ranked.filter((r) => r.score >= 0.35).slice(0, limit);
  }
}
