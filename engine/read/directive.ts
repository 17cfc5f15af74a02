// Directives (Chỉ thị) and plans written as prose: numbered points that assign work in the sentence itself —
// "Giao Sở Nội vụ chủ trì, phối hợp với … tham mưu …. Thời gian: hoàn thành trước ngày 31/3/2026." — or name
// the agency first ("3. Sở Tư pháp:") with lettered sub-points under it. Each assignment becomes a task with
// its lead, support and timeline, like the prose steps of seed 003.
import type { Grid, Location, Section, Task } from '../model.js';
import { a1 } from '../a1.js';
import { agencyRefs, type AgencyContext } from './agencies.js';
import type { RowRole } from './index.js';
import { proseLines, rolesOfRows } from './prose.js';
import { assignment, timeline } from './text.js';
import { matchArea } from '../vocab/index.js';

const PART = /^([IVXLC]+)\s*[.)]\s+(\S.*)$/;
const POINT = /^(\d{1,2})\s*[.)]\s+(\S.*)$/;
const SUB = /^([a-zđ])\s*\)\s+(\S.*)$/u;
const GIVE = /^(?:Giao|Đề nghị)\s+/u;
/** "Sở Tư pháp:" — an agency heading its own sub-points. */
const AGENCY_HEAD =
  /^((?:Các\s+)?(?:Sở|Văn phòng|Ban|UBND|Ủy ban|Uỷ ban|Công an|Bộ Chỉ huy|Bảo hiểm|Thanh tra|Đài|Kho bạc|Thuế|Ngân hàng|Cục|Chi cục|Trung tâm|Trường|Chủ tịch|Thủ trưởng|Giám đốc|Người đứng đầu|Đề nghị)[^:.;]{0,160}):\s*(.*)$/u;
const TIME =
  /(?:^|[.;]\s*|\s)[-–(]?\s*(?:Thời gian|Thời hạn|Tiến độ)(?:\s+(?:thực hiện|hoàn thành))?\s*:\s*([^.;)\n]+)/iu;
const DEADLINE =
  /(?:^|[^\p{L}])((?:hoàn thành|thực hiện|báo cáo[^.;]{0,60}?)\s+(?:trước|trong|chậm nhất)\s+(?:ngày\s+)?[^.;,\n]{2,40})/iu;
const RECURRING = /(?:^|[^\p{L}])(thường xuyên|hằng năm|hàng năm|hằng quý|hàng quý|hằng tháng|hàng tháng)(?!\p{L})/iu;
/** A sentence that assigns work: "Giao X …", "X chủ trì …", "Đề nghị X phối hợp …". */
const ASSIGNS = /(?:^(?:Giao|Đề nghị)\s|\schủ trì(?!\p{L})|^Chủ trì(?!\p{L}))/u;
/** Verbs that end a list of partner agencies ("phối hợp với Công an tỉnh bảo đảm kết nối…"). */
const WORK_VERB =
  /\s(?:bảo đảm|đảm bảo|kiện toàn|đẩy mạnh|nghiên cứu|công bố|nâng cấp|vận hành|tuyên truyền|thẩm tra|tiếp nhận|giải quyết|cấp|số hóa|kết nối|rà soát|triển khai|thực hiện|tổ chức|xây dựng|hoàn thành|thẩm định|tham mưu|theo dõi|kiểm tra|hướng dẫn)(?=$|[\s,.;:])/u;

interface Point {
  number: string;
  row: number;
  rows: number[];
  text: string;
  part: number;
  /** Lettered sub-points under an agency heading. */
  subs: Point[];
  agency?: string;
}

export interface DirectiveResult {
  sections: Section[];
  rowRoles: RowRole[];
}

/** Reads the numbered assignments of a prose directive; null when fewer than two points assign work. */
export function readDirective(grid: Grid, agencies: AgencyContext, planYear?: number): DirectiveResult | null {
  const lines = proseLines(grid);
  const parts: { numeral: string; title: string; row: number }[] = [];
  const points: Point[] = [];
  let point: Point | undefined;
  let sub: Point | undefined;
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = PART.exec(line.text))) {
      parts.push({ numeral: m[1], title: m[2].trim(), row: line.row });
      point = sub = undefined;
    } else if ((m = POINT.exec(line.text))) {
      point = { number: m[1], row: line.row, rows: [line.row], text: m[2].trim(), part: parts.length, subs: [] };
      const head = AGENCY_HEAD.exec(point.text);
      if (head && !ASSIGNS.test(head[1])) {
        point.agency = head[1].trim();
        point.text = head[2].trim();
      }
      points.push(point);
      sub = undefined;
    } else if (point && (m = SUB.exec(line.text))) {
      sub = {
        number: `${point.number}.${m[1]}`,
        row: line.row,
        rows: [line.row],
        text: m[2].trim(),
        part: point.part,
        subs: [],
      };
      point.subs.push(sub);
    } else if (point) {
      const into = sub ?? point;
      into.text = into.text ? `${into.text} ${line.text}` : line.text;
      into.rows.push(line.row);
    }
  }
  const assigning = points.filter((p) => p.agency || ASSIGNS.test(p.text) || p.subs.some((s) => ASSIGNS.test(s.text)));
  if (assigning.length < 2) return null;

  const loc = (row: number): Location => ({ sheet: grid.sheet, row, column: 1, cell: a1(row, 1), line: row });
  const sections: Section[] = [];
  const roleOf = new Map<number, RowRole>();
  const sectionOf = (part: number): Section => {
    const p = parts[part - 1];
    let s = sections.find((x) => (x as Section & { _part?: number })._part === part);
    if (!s) {
      s = {
        numeral: p?.numeral ?? '',
        title: p?.title ?? '',
        area: p ? matchArea(p.title) : null,
        source: loc(p?.row ?? 1),
        tasks: [],
      };
      Object.defineProperty(s, '_part', { value: part, enumerable: false });
      sections.push(s);
      if (p) roleOf.set(p.row, { sheet: grid.sheet, row: p.row, role: 'section', section: sections.length - 1 });
    }
    return s;
  };
  for (const p of assigning) {
    const items = p.agency && p.subs.length ? p.subs : [p];
    const section = sectionOf(p.part);
    for (const item of items) {
      const task = taskOf(item, p.agency, agencies, planYear, loc);
      section.tasks.push(task);
      const si = sections.indexOf(section);
      for (const r of [...(items === p.subs ? p.rows : []), ...item.rows])
        roleOf.set(r, { sheet: grid.sheet, row: r, role: 'task', section: si, task: section.tasks.length - 1 });
    }
  }
  return { sections, rowRoles: rolesOfRows(grid, roleOf, Math.min(...roleOf.keys())) };
}

/** The agencies of a partner list, without the work that follows them. */
function cutAtVerb(list: string): string {
  const m = WORK_VERB.exec(` ${list}`);
  const cut = m ? list.slice(0, Math.max(0, m.index - 1)) : list;
  return cut.replace(/[\s,;]+$/u, '').trim();
}

function taskOf(
  item: Point,
  agency: string | undefined,
  agencies: AgencyContext,
  planYear: number | undefined,
  loc: (row: number) => Location,
): Task {
  let text = item.text;
  let when = '';
  const t = TIME.exec(text);
  if (t) {
    when = t[1].trim();
    text = (text.slice(0, t.index) + text.slice(t.index + t[0].length)).trim();
  } else when = (DEADLINE.exec(text)?.[1] ?? RECURRING.exec(text)?.[1] ?? '').trim();
  // Who: "Giao X chủ trì, phối hợp với Y …" in the first sentence; else the agency heading the sub-points.
  const stop = /[.;]\s/u.exec(text);
  const first = (stop ? text.slice(0, stop.index + 1) : text).replace(GIVE, '');
  let lead = '';
  let support = '';
  if (agency && /^(?:Chủ trì|Phối hợp)/u.test(first))
    ({ support } = assignment(`${agency} ${first.charAt(0).toLowerCase()}${first.slice(1)}`));
  else if (ASSIGNS.test(text) || GIVE.test(item.text)) {
    const colon = GIVE.test(item.text) ? /^([^:]{3,160}):/u.exec(first) : null;
    if (colon && !/chủ trì/u.test(colon[1])) lead = colon[1].trim();
    else ({ lead, support } = assignment(first));
  }
  if (!lead && agency) lead = agency;
  support = cutAtVerb(support);
  const task: Task = {
    number: item.number,
    task: text.replace(/[\s.;]+$/u, '').trim(),
    products: [],
    lead: agencyRefs(lead, agencies),
    support: agencyRefs(support, agencies),
    timeline: timeline(when, planYear),
    source: loc(item.row),
    rows: [...item.rows].sort((a, b) => a - b),
  };
  task.raw = Object.fromEntries(
    [
      ['task', item.text],
      ['lead', lead],
      ['support', support],
      ['timeline', when],
    ].filter((e): e is [string, string] => !!e[1]),
  );
  return task;
}
