// Dashboard of Sở Nội vụ and agency officers: TypeScript bundled by esbuild (scripts/build-dashboard.ts),
// no framework, no CDN (works offline). Talks to the JSON API under /api with the session cookie; every
// text the user sees is Vietnamese.
import { ApiError, OfflineError, fetchTransport, offlineError, readJson, type HttpMethod } from '../../clients/api.js';
import type {
  AgencyRow,
  AuditEntry,
  CandidatesResponse,
  CandidateView,
  DecisionResult,
  DecisionView,
  Diagnostic,
  Directory,
  Me,
  ReportView,
  RoundDetail,
  RoundRow,
  Severity,
  SubmissionDetail,
  SubmitAnswer,
  VersionDetail,
  VersionDiff,
  GridView,
  CellEditView,
  TokenInfo,
  AccountView,
} from './types.js';
import { downloadPlace, placeOf, placeText } from './places.js';

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** Builds an element; strings become text nodes (never HTML), so user data cannot inject markup. */
type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, unknown> | null;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}
/** A form's submit: no page reload, and the work runs with the form's button busy (see `busy`). */
function submitting(button: HTMLButtonElement, work: () => Promise<unknown>) {
  return (e: Event) => {
    e.preventDefault();
    busy(button, work);
  };
}
function append<E extends Element>(el: E, children: Child[]): E {
  for (const c of (children as unknown[]).flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const SVG_NS = 'http://www.w3.org/2000/svg';
function s(tag: string, attrs: Attrs, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of (children as unknown[]).flat(Infinity))
    if (c !== undefined && c !== null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// The session's CSRF token (from sign-in or /api/me): uploads and bodiless posts carry it.
let csrfToken = '';

// The shared client protocol over fetch, with the session cookie (same origin) instead of a bearer token.
const send = fetchTransport({
  server: '',
  cookies: true,
  headers: (req): Record<string, string> => (req.method !== 'GET' && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
});

/** An unreachable server as an error the pages show like any other (status 0). */
function reachable(e: unknown): unknown {
  return e instanceof OfflineError ? new ApiError(0, 'http.offline', e.message) : e;
}

// Answers are typed by the caller: the dashboard reads the server's JSON views (see types.ts).
async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const m = method as HttpMethod;
  try {
    return readJson(
      await send(body instanceof FormData ? { method: m, path, form: body } : { method: m, path, body }),
    ) as T;
  } catch (e) {
    throw reachable(e);
  }
}

/** A table's header row: one column header each (scope="col" for screen readers), numeric columns right-aligned. */
function thead(titles: string[], numeric: number[] = []): HTMLElement {
  const th = (t: string, i: number) => h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : undefined }, t);
  return h('thead', {}, h('tr', {}, titles.map(th)));
}

const TZ = 'Asia/Ho_Chi_Minh';
function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('vi-VN', {
    timeZone: TZ,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}
function fmtDate(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso ?? '');
}
const num = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : new Intl.NumberFormat('vi-VN').format(n);

const STATUS: Record<string, string> = {
  missing: 'Chưa nộp',
  submitted: 'Đã nộp, chờ xem xét',
  returned: 'Đã trả lại',
  accepted: 'Đã chấp nhận',
};
const ROLE: Record<string, string> = { admin: 'Quản trị', reviewer: 'Chuyên viên thẩm định', agency: 'Cán bộ cơ quan' };
const SEVERITY: Record<Severity, string> = { error: 'Lỗi', warning: 'Cảnh báo', info: 'Thông tin' };
const FIELD: Record<string, string> = {
  number: 'STT',
  task: 'Nhiệm vụ',
  products: 'Sản phẩm',
  lead: 'Cơ quan chủ trì',
  support: 'Cơ quan phối hợp',
  monitor: 'Theo dõi, đôn đốc',
  timeline: 'Thời gian thực hiện',
  approval: 'Cấp ban hành/phê duyệt',
  note: 'Ghi chú',
};
const ACTION: Record<string, string> = {
  'auth.login': 'Đăng nhập',
  'auth.logout': 'Đăng xuất',
  'round.open': 'Mở đợt báo cáo',
  'round.lock': 'Khóa đợt báo cáo',
  'round.plan': 'Gắn kế hoạch của tỉnh',
  'submission.submit': 'Nộp phụ lục',
  'submission.return': 'Trả lại phụ lục',
  'submission.accept': 'Chấp nhận phụ lục',
  'report.build': 'Tổng hợp báo cáo',
  'decision.merge': 'Gộp nhóm nhiệm vụ',
  'decision.apart': 'Giữ riêng nhóm nhiệm vụ',
  'decision.undo': 'Hủy quyết định gộp / giữ riêng',
  'token.create': 'Tạo mã truy cập cho phần bổ trợ',
  'token.revoke': 'Thu hồi mã truy cập',
  'user.create': 'Tạo tài khoản',
  'user.password': 'Đổi mật khẩu',
  'user.password-reset': 'Đặt lại mật khẩu',
  'user.disable': 'Khoá tài khoản',
  'user.enable': 'Mở khoá tài khoản',
  'auth.login-failed': 'Đăng nhập không thành công',
  'access.refused': 'Bị từ chối truy cập',
  'demo.refused': 'Từ chối dữ liệu dùng thử',
};
const SOURCE: Record<string, string> = {
  file: 'Tải tệp lên',
  'excel-addin': 'Phần bổ trợ Excel',
  'sheets-addon': 'Tiện ích Google Trang tính',
  'google-sheet': 'Liên kết Google Trang tính',
  api: 'API',
  'dashboard-fix': 'Sửa trên bảng điều khiển',
};
// Reform-area titles come from the server's vocabulary (GET /api/directory), in the resolution's order.
let areaTitlesMemo: Promise<Map<string, string>> | null = null;
function areaTitles(): Promise<Map<string, string>> {
  areaTitlesMemo ??= api<Directory>('GET', '/api/directory')
    .then((d) => new Map((d.areas ?? []).map((a) => [a.code, a.title] as const)))
    .catch(() => {
      areaTitlesMemo = null;
      return new Map<string, string>();
    });
  return areaTitlesMemo;
}

const badge = (status: string) => h('span', { class: `badge s-${status}` }, STATUS[status] ?? status);
const isReviewer = () => !!state.me && (state.me.role === 'reviewer' || state.me.role === 'admin');

const state: { me: Me | null } = { me: null };
/** The signed-in user; views run only after ensureMe() succeeded. */
const me = (): Me => {
  if (!state.me) throw new ApiError(401, 'auth.required', 'Máy chủ trả lỗi HTTP 401.');
  return state.me;
};
const byId = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;
const main = () => byId('main');

function flash(text: string, kind = 'ok') {
  const box = byId('flash');
  box.replaceChildren(h('div', { class: `msg ${kind}` }, text));
}
function clearFlash() {
  byId('flash').replaceChildren();
}
function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return `Có lỗi không mong muốn: ${(err as Error | null)?.message ?? err}`;
  const where = err.where
    ? [
        err.where.sheet && `trang ${err.where.sheet}`,
        err.where.cell && `ô ${err.where.cell}`,
        err.where.field && `trường ${err.where.field}`,
      ]
        .filter(Boolean)
        .join(', ')
    : '';
  return where ? `${err.message} (${where})` : err.message;
}
function showError(err: unknown) {
  if (err instanceof ApiError && err.status === 401) {
    state.me = null;
    location.hash = '#/login';
    return;
  }
  flash(errorText(err), 'error');
}

function render(...nodes: Child[]) {
  const m = main();
  m.replaceChildren();
  append(m, nodes);
  const first = m.querySelector('h1');
  if (first) document.title = `${first.textContent} — Phụ lục`;
  m.focus({ preventScroll: true });
}

/** Runs a button's action with the button disabled, reporting errors in the flash area. */
async function busy(button: HTMLButtonElement, fn: () => Promise<unknown>) {
  button.disabled = true;
  try {
    await fn();
  } catch (err) {
    showError(err);
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Charts: inline SVG, drawn here (no chart library; the machine may be offline)
// ---------------------------------------------------------------------------------------------

let chartSeq = 0;
/** Horizontal bar chart. items: [{label, value, color}] */
interface BarItem {
  label: string;
  value: number;
  color?: string;
}
function barChart(title: string, items: BarItem[], opts: { labelWidth?: number } = {}) {
  const id = `chart-${++chartSeq}`;
  const labelW = opts.labelWidth ?? 250;
  const barW = 300;
  const rowH = 30;
  const width = labelW + barW + 60;
  const height = items.length * rowH + 10;
  const max = Math.max(1, ...items.map((i) => i.value));
  const desc = items.map((i) => `${i.label}: ${i.value}`).join('; ');
  const svg = s(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-t ${id}-d` },
    s('title', { id: `${id}-t` }, title),
    s('desc', { id: `${id}-d` }, desc),
    items.map((item, k) => {
      const y = 5 + k * rowH;
      const w = Math.round((item.value / max) * barW);
      return s(
        'g',
        { class: 'bar' },
        s('text', { x: labelW - 8, y: y + 19, 'text-anchor': 'end' }, item.label),
        s(
          'rect',
          {
            x: labelW,
            y: y + 4,
            width: Math.max(w, item.value ? 2 : 0),
            height: rowH - 10,
            fill: item.color ?? '#2255a4',
            rx: 2,
          },
          s('title', {}, `${item.label}: ${item.value}`),
        ),
        s('text', { x: labelW + Math.max(w, 0) + 6, y: y + 19 }, String(item.value)),
      );
    }),
  );
  return h('figure', { class: 'chart card' }, h('figcaption', {}, h('strong', {}, title)), svg);
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

function viewLogin() {
  byId('nav').hidden = true;
  const user = h('input', { type: 'text', id: 'username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', {
    type: 'password',
    id: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Đăng nhập');
  const form = h(
    'form',
    {
      class: 'card login',
      onsubmit: submitting(button, async () => {
        try {
          const r = await api<{ user: Me; csrfToken?: string }>('POST', '/api/auth/login', {
            username: user.value.trim(),
            password: pass.value,
          });
          state.me = r.user;
          csrfToken = r.csrfToken ?? '';
          clearFlash();
          location.hash = '#/';
        } catch (err) {
          // Here a 401 means wrong credentials, not an expired session: say so and stay.
          flash(errorText(err), 'error');
          pass.select();
        }
      }),
    },
    h('h1', {}, 'Đăng nhập'),
    h('p', { class: 'muted' }, 'Dùng tài khoản do Sở Nội vụ cấp cho cơ quan, đơn vị của bạn.'),
    h('div', { class: 'field' }, h('label', { for: 'username' }, 'Tên đăng nhập'), user),
    h('div', { class: 'field' }, h('label', { for: 'password' }, 'Mật khẩu'), pass),
    button,
  );
  render(form);
  user.focus();
}

/** Sở Nội vụ opens a round: title, year, deadline and the agencies expected to submit (from the directory). */
async function openRoundForm() {
  const year = new Date().getFullYear();
  const title = h('input', {
    type: 'text',
    id: 'round-title',
    required: true,
    value: `Kế hoạch cải cách hành chính năm ${year}`,
  });
  const yearIn = h('input', { type: 'number', id: 'round-year', min: 2000, max: 2100, required: true, value: year });
  const deadline = h('input', { type: 'date', id: 'round-deadline', required: true, value: `${year}-01-15` });
  const list = h('fieldset', { id: 'round-agencies' }, h('legend', {}, 'Cơ quan phải nộp'));
  // The directory answers with the successor province when the user's province was merged before that year.
  let roundProvince = me().province;
  const loadAgencies = async () => {
    const dir = await api<Directory>(
      'GET',
      `/api/directory?province=${encodeURIComponent(me().province)}&date=${yearIn.value}-01-01`,
    );
    roundProvince = dir.province;
    const agencies = dir.agencies.filter((a) => a.kind === 'agency');
    const merged = (dir.mergedFrom ?? []).map(
      (m) => `tỉnh ${m.fromName} đã hợp nhất từ ngày ${m.since.split('-').reverse().join('/')}`,
    );
    list.replaceChildren();
    append(list, [
      h('legend', {}, `Cơ quan phải nộp (${agencies.length})`),
      merged.length
        ? h(
            'p',
            { class: 'muted', id: 'round-province-note' },
            `Năm ${yearIn.value} dùng danh mục cơ quan của tỉnh ${dir.provinceName} (${merged.join('; ')}).`,
          )
        : null,
      agencies.length ? null : h('p', { class: 'muted' }, 'Danh mục cơ quan của tỉnh chưa có dữ liệu cho năm này.'),
      agencies.map((a) =>
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', name: 'agency', value: a.id, checked: true }),
          ' ',
          a.name,
        ),
      ),
    ]);
  };
  yearIn.addEventListener('change', () => loadAgencies().catch(showError));
  await loadAgencies();
  const button = h('button', { type: 'submit', class: 'primary' }, 'Mở đợt báo cáo');
  const form = h(
    'form',
    {
      class: 'card',
      id: 'open-round',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const ids = [...list.querySelectorAll<HTMLInputElement>('input[name=agency]:checked')].map((x) => x.value);
        if (!ids.length) return flash('Chọn ít nhất một cơ quan phải nộp.', 'error');
        busy(button, async () => {
          const r = await api<{ round: RoundRow }>('POST', '/api/rounds', {
            title: title.value.trim(),
            year: Number(yearIn.value),
            province: roundProvince,
            deadline: deadline.value,
            expectedAgencyIds: ids,
          });
          flash(`Đã mở đợt báo cáo “${r.round.title}” với ${ids.length} cơ quan phải nộp.`, 'ok');
          location.hash = `#/rounds/${encodeURIComponent(r.round.id)}`;
        });
      },
    },
    h('h2', {}, 'Mở đợt báo cáo mới'),
    h(
      'div',
      { class: 'inline' },
      h('div', {}, h('label', { for: 'round-title' }, 'Tên đợt báo cáo'), title),
      h('div', {}, h('label', { for: 'round-year' }, 'Năm kế hoạch'), yearIn),
      h('div', {}, h('label', { for: 'round-deadline' }, 'Hạn nộp'), deadline),
    ),
    list,
    h('div', { class: 'actions' }, button),
  );
  return form;
}

async function viewRounds() {
  const { rounds } = await api<{ rounds: RoundRow[] }>('GET', '/api/rounds');
  const rows = rounds.map((r) =>
    h(
      'tr',
      {},
      h('td', {}, h('a', { href: `#/rounds/${encodeURIComponent(r.id)}` }, r.title)),
      h('td', { class: 'num' }, r.year),
      h('td', {}, fmtDate(r.deadline)),
      h('td', { class: 'num' }, r.expected !== undefined ? `${num(r.submitted)}/${num(r.expected)}` : '—'),
      h('td', {}, r.locked ? 'Đã khóa' : 'Đang nhận'),
    ),
  );
  render(
    h('h1', {}, 'Các đợt báo cáo'),
    rounds.length
      ? h(
          'table',
          {},
          h('caption', {}, `${rounds.length} đợt báo cáo`),
          thead(['Đợt báo cáo', 'Năm', 'Hạn nộp', 'Đã nộp', 'Tình trạng'], [1, 3]),
          h('tbody', {}, rows),
        )
      : h('p', { class: 'muted' }, 'Chưa có đợt báo cáo nào.'),
    me().role === 'admin' ? await openRoundForm() : null,
  );
}

function timeliness(a: AgencyRow) {
  if (a.status === 'missing')
    return a.late ? h('span', { class: 'late' }, 'Quá hạn, chưa nộp') : h('span', { class: 'muted' }, 'Chưa đến hạn');
  return a.onTime ? h('span', {}, 'Đúng hạn') : h('span', { class: 'late' }, 'Nộp muộn');
}

async function areaCounts(
  agencies: AgencyRow[],
  report: ReportView | null,
): Promise<{ from: 'report' | 'versions'; items: BarItem[] }> {
  if (report?.summary?.byArea) {
    return { from: 'report', items: report.summary.byArea.map((a) => ({ label: a.title, value: a.tasks })) };
  }
  // No consolidated report yet: count the sections of each agency's latest version.
  const titles = await areaTitles();
  const counts = new Map([...titles.keys()].map((k) => [k, 0]));
  let other = 0;
  const subs = agencies.filter((a) => a.submissionId && a.latestVersion).slice(0, 40);
  await Promise.all(
    subs.map(async (a) => {
      const v = await api<VersionDetail>(
        'GET',
        `/api/submissions/${encodeURIComponent(a.submissionId ?? '')}/versions/${a.latestVersion}`,
      ).catch(() => null);
      for (const sec of v?.annex?.sections ?? []) {
        if (sec.area && counts.has(sec.area)) counts.set(sec.area, (counts.get(sec.area) ?? 0) + sec.tasks.length);
        else other += sec.tasks.length;
      }
    }),
  );
  const items = [...counts].map(([k, v]) => ({ label: titles.get(k) ?? k, value: v }));
  if (other) items.push({ label: 'Lĩnh vực khác', value: other });
  return { from: 'versions', items };
}

/** "196 nhiệm vụ của 4 cơ quan, 12 nhóm cần xem xét": what the report holds and what is left to decide. */
function reportHeadline(st: Partial<ReportView['stats']>): string {
  return `${num(st.inputTasks)} nhiệm vụ của ${num(st.agencies)} cơ quan, ${num(st.pendingGroups ?? 0)} nhóm cần xem xét`;
}

/** What the reviewer typed into the cover block, kept per round in this browser so the next download has it. */
interface CoverChoice {
  cover: boolean;
  parent: string;
  issuer: string;
  number: string;
  date: string;
  recipients: string;
}
const COVER_FIELDS = ['parent', 'issuer', 'number', 'date', 'recipients'] as const;

function loadCover(roundId: string): CoverChoice {
  const blank: CoverChoice = { cover: false, parent: '', issuer: '', number: '', date: '', recipients: '' };
  try {
    const saved = JSON.parse(localStorage.getItem(`cover:${roundId}`) ?? 'null') as Partial<CoverChoice> | null;
    if (!saved || typeof saved !== 'object') return blank;
    const out = { ...blank, cover: saved.cover === true };
    for (const k of COVER_FIELDS) if (typeof saved[k] === 'string') out[k] = saved[k];
    return out;
  } catch {
    // Storage off (private window, policy): the form still works for this page.
    return blank;
  }
}

function saveCover(roundId: string, c: CoverChoice): void {
  try {
    localStorage.setItem(`cover:${roundId}`, JSON.stringify(c));
  } catch {
    // Not kept across pages; the download itself still carries the choice.
  }
}

/** The query of an xlsx or docx download with the NĐ 30/2020 cover block (the API's ReportFileQuery). */
function coverQuery(c: CoverChoice): string {
  if (!c.cover) return '';
  const q = new URLSearchParams({ cover: '1' });
  for (const k of COVER_FIELDS) if (c[k].trim()) q.set(k, c[k].trim());
  return `?${q.toString()}`;
}

/**
 * The report's download links, with the optional cover block of NĐ 30/2020 (issuing body, national name, number
 * and symbol, place and date above the table; "Nơi nhận" under it). The Word and Excel links follow the form as it
 * is typed; CSV and JSON are data and carry no cover.
 */
function downloadsWithCover(roundId: string) {
  const base = `/api/rounds/${encodeURIComponent(roundId)}/report`;
  const choice = loadCover(roundId);
  const xlsx = h('a', { class: 'button', id: 'report-xlsx', download: '' }, 'Excel (.xlsx)');
  const docx = h('a', { class: 'button', id: 'report-docx', download: '' }, 'Word (.docx)');
  const refresh = () => {
    xlsx.setAttribute('href', `${base}.xlsx${coverQuery(choice)}`);
    docx.setAttribute('href', `${base}.docx${coverQuery(choice)}`);
    fields.hidden = !choice.cover;
    saveCover(roundId, choice);
  };
  const input = (key: (typeof COVER_FIELDS)[number], label: string, attrs: Record<string, unknown>) => {
    const el =
      key === 'recipients'
        ? h('textarea', { id: `cover-${key}`, rows: 3, ...attrs })
        : h('input', { id: `cover-${key}`, type: key === 'date' ? 'date' : 'text', ...attrs });
    el.value = choice[key];
    el.addEventListener('input', () => {
      choice[key] = el.value;
      refresh();
    });
    return h('div', {}, h('label', { for: `cover-${key}` }, label), el);
  };
  const toggle = h('input', { type: 'checkbox', id: 'cover-on' });
  toggle.checked = choice.cover;
  toggle.addEventListener('change', () => {
    choice.cover = toggle.checked;
    refresh();
  });
  const fields = h(
    'div',
    { class: 'cover-fields' },
    input('parent', 'Cơ quan chủ quản (nếu có)', { placeholder: 'Ví dụ: UBND tỉnh …', maxlength: 120 }),
    input('issuer', 'Cơ quan ban hành', {
      placeholder: 'Để trống: UBND tỉnh của đợt báo cáo',
      maxlength: 120,
    }),
    input('number', 'Số, ký hiệu', { placeholder: 'Ví dụ: 20/KH-UBND (để trống: …)', maxlength: 40 }),
    input('date', 'Ngày ban hành (để trống: ghi tay khi ký)', {}),
    input('recipients', 'Nơi nhận (mỗi dòng một nơi; để trống: Như trên; Lưu: VT.)', { maxlength: 2000 }),
  );
  refresh();
  return h(
    'div',
    { class: 'downloads' },
    h(
      'p',
      {},
      'Tải về: ',
      xlsx,
      docx,
      h('a', { class: 'button', href: `${base}.csv`, download: '' }, 'CSV'),
      h('a', { class: 'button', href: `${base}.json`, download: '' }, 'JSON'),
    ),
    h(
      'div',
      { class: 'cover' },
      h(
        'label',
        { for: 'cover-on' },
        toggle,
        ' Thêm phần đầu văn bản và Nơi nhận theo Nghị định 30/2020/NĐ-CP (tệp Excel và Word)',
      ),
      fields,
    ),
  );
}

function reportPanel(roundId: string, report: ReportView | null) {
  const box = h('div', { id: 'report-result' });
  if (!report) {
    box.append(h('p', { class: 'muted' }, 'Chưa tổng hợp báo cáo cho đợt này.'));
    return box;
  }
  const st = report.stats ?? {};
  box.append(
    h(
      'p',
      {},
      `Đã tổng hợp lúc ${fmtDateTime(report.createdAt)} từ ${report.agencies?.length ?? 0} cơ quan (${report.include === 'accepted' ? 'chỉ phụ lục đã chấp nhận' : 'phiên bản mới nhất'}).`,
    ),
    h(
      'ul',
      { class: 'stats' },
      h('li', { id: 'report-headline' }, reportHeadline(st)),
      h('li', {}, h('b', {}, num(st.tasks)), 'dòng trong phụ lục tổng hợp'),
      h('li', {}, h('b', {}, num(st.duplicatesMerged)), 'nhiệm vụ đã gộp theo quyết định của người duyệt'),
      h('li', {}, h('b', {}, num(st.conflicts)), 'xung đột chủ trì'),
      h('li', {}, h('b', {}, num(report.summary?.overdue?.length ?? 0)), 'nhiệm vụ quá hạn'),
    ),
    downloadsWithCover(roundId),
  );
  const q = report.summary?.byQuarter ?? [];
  // Every row of the report is in one bar: a task without a date is counted, not left out.
  const undated = report.summary?.undated ?? 0;
  if (q.length || undated) {
    const roman = ['I', 'II', 'III', 'IV'];
    box.append(
      barChart(
        'Nhiệm vụ theo quý (theo thời hạn hoàn thành)',
        [
          ...q.map((x) => ({ label: `Quý ${roman[x.quarter - 1]}/${x.year}`, value: x.tasks })),
          { label: 'Thường xuyên, định kỳ', value: report.summary?.recurring ?? 0, color: '#6b7785' },
          { label: 'Theo điều kiện', value: report.summary?.conditional ?? 0, color: '#6b7785' },
          { label: 'Chưa xác định thời gian', value: undated, color: '#b86b64' },
        ],
        { labelWidth: 200 },
      ),
    );
  }
  return box;
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** The task text with the words that set it apart from the other members marked. */
function markedTask(task: string, differs: string[]) {
  const set = new Set(differs);
  return task.split(/(\s+)/).map((part) => (set.has(part) ? h('mark', {}, part) : part));
}

const DECISION: Record<'merge' | 'apart', string> = { merge: 'Đã gộp thành một dòng', apart: 'Đã giữ riêng' };

/** Members of a decision as people read them: "I.8 Sở Tài chính: …". */
const decisionTasks = (d: DecisionView) => d.members.map((m) => `${m.at} ${m.agencyName}: ${m.task}`);

/**
 * Candidate groups of the last report: similar tasks of different agencies, never merged on their own. The reviewer
 * merges a group into one row ("Gộp"), keeps it apart ("Giữ riêng") or undoes a decision; the report is rebuilt.
 */
function candidatesPanel(roundId: string, data: CandidatesResponse | null, onChange: () => Promise<unknown>) {
  const box = h('section', { id: 'candidates', 'aria-labelledby': 'candidates-h' });
  if (!data) return box;
  const pending = data.candidates.filter((g) => !g.decision).length;
  const send = (
    button: HTMLButtonElement,
    method: 'POST' | 'DELETE',
    path: string,
    body: unknown,
    done: (r: DecisionResult) => string,
  ) =>
    busy(button, async () => {
      const r = await api<DecisionResult>(method, `/api/rounds/${encodeURIComponent(roundId)}${path}`, body);
      flash(`${done(r)} Báo cáo đã được tổng hợp lại: ${reportHeadline(r.report.stats ?? {})}.`, 'ok');
      await onChange();
    });
  const undoButton = (decisionId: string, label: string) => {
    const b = h('button', { type: 'button', class: 'secondary', dataset: { action: 'undo' } }, label);
    b.addEventListener('click', () =>
      send(b, 'DELETE', `/decisions/${encodeURIComponent(decisionId)}`, undefined, () => 'Đã hủy quyết định.'),
    );
    return b;
  };
  box.append(
    h(
      'h3',
      { id: 'candidates-h' },
      `Nhóm nhiệm vụ tương tự: ${num(data.candidates.length)} nhóm, ${num(pending)} nhóm cần xem xét`,
    ),
    h(
      'p',
      { class: 'muted' },
      'Nhiệm vụ tương tự của các cơ quan không tự gộp. Bấm “Gộp” nếu là cùng một việc: báo cáo còn một dòng, liệt kê mọi cơ quan chủ trì, phối hợp, sản phẩm và thời gian của từng cơ quan. Bấm “Giữ riêng” nếu là các việc khác nhau. Từ khác nhau giữa các nhiệm vụ được tô màu.',
    ),
  );
  if (data.stale.length) {
    box.append(
      h(
        'div',
        { class: 'msg error', id: 'stale-decisions' },
        h(
          'p',
          {},
          h('strong', {}, `${data.stale.length} quyết định không còn áp dụng`),
          ' vì nội dung nhiệm vụ đã thay đổi hoặc không còn trong phụ lục. Xem lại nhóm mới rồi quyết định lại, hoặc hủy quyết định cũ.',
        ),
        h(
          'ul',
          {},
          data.stale.map((d) =>
            h(
              'li',
              { dataset: { decision: d.id } },
              `${d.action === 'merge' ? 'Gộp' : 'Giữ riêng'}: ${decisionTasks(d).join(' | ')}. Đã đổi: ${d.missing.map((m) => `“${m.task}”`).join(', ')}. `,
              undoButton(d.id, 'Hủy quyết định cũ'),
            ),
          ),
        ),
      ),
    );
  }
  if (!data.candidates.length) {
    box.append(h('p', {}, 'Không có nhóm nhiệm vụ tương tự nào cần xem xét.'));
    return box;
  }
  data.candidates.forEach((g: CandidateView, i) => {
    const sim =
      g.minSimilarity === g.maxSimilarity
        ? percent(g.maxSimilarity)
        : `${percent(g.minSimilarity)}–${percent(g.maxSimilarity)}`;
    const actions = h('div', { class: 'actions' });
    // The two decisions, each offered unless it is the one in force.
    const choices = [
      {
        action: 'merge',
        label: 'Gộp',
        cls: 'primary',
        done: `Đã gộp ${g.members.length} nhiệm vụ của nhóm ${i + 1} thành một dòng.`,
      },
      {
        action: 'apart',
        label: 'Giữ riêng',
        cls: 'secondary',
        done: `Đã giữ riêng ${g.members.length} nhiệm vụ của nhóm ${i + 1}.`,
      },
    ] as const;
    for (const c of choices) {
      if (g.decision === c.action) continue;
      const b = h('button', { type: 'button', class: c.cls, dataset: { action: c.action } }, c.label);
      b.addEventListener('click', () => send(b, 'POST', '/decisions', { group: g.id, action: c.action }, () => c.done));
      actions.append(b);
    }
    if (g.decisionId) actions.append(undoButton(g.decisionId, 'Hủy quyết định'));
    box.append(
      h(
        'article',
        { class: 'card candidate', dataset: { group: g.id, decision: g.decision ?? 'pending' } },
        h(
          'h4',
          {},
          `Nhóm ${i + 1} · ${g.areaTitle} · độ tương đồng ${sim}${g.identical ? ' · trùng nguyên văn' : ''} · `,
          h(
            'span',
            { class: `badge ${g.decision ? 's-accepted' : 's-submitted'}` },
            g.decision ? DECISION[g.decision] : 'Chờ xem xét',
          ),
        ),
        h(
          'table',
          {},
          thead(['Số thứ tự trong báo cáo', 'Cơ quan', 'Nhiệm vụ (từ khác nhau được tô màu)']),
          h(
            'tbody',
            {},
            g.members.map((m) =>
              h('tr', {}, h('td', {}, m.at), h('td', {}, m.agencyName), h('td', {}, markedTask(m.task, m.differs))),
            ),
          ),
        ),
        actions,
      ),
    );
  });
  return box;
}

function uploadForm(
  roundId: string,
  { title = 'Nộp phụ lục', onDone }: { title?: string; onDone?: (r: SubmitAnswer) => Promise<unknown> } = {},
) {
  const file = h('input', {
    type: 'file',
    id: 'upload-file',
    name: 'file',
    accept: '.xlsx,.csv,.txt,.docx,.pdf',
    required: true,
  });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Nộp phụ lục');
  const result = h('div', { id: 'upload-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      class: 'card',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const chosen = file.files?.[0];
        if (!chosen) return flash('Chọn tệp phụ lục (.xlsx, .csv, .txt, .docx hoặc .pdf) trước khi nộp.', 'error');
        busy(button, async () => {
          const fd = new FormData();
          fd.append('file', chosen);
          fd.append('source', 'file');
          const r = await api<SubmitAnswer>('POST', `/api/rounds/${encodeURIComponent(roundId)}/submissions`, fd);
          const st = r.report?.stats ?? {};
          const text = r.duplicate
            ? `Nội dung giống hệt phiên bản ${r.version} đã nộp; không tạo phiên bản mới.`
            : `Đã nộp phiên bản ${r.version}: ${num(st.tasks)} nhiệm vụ, ${num(st.errors)} lỗi, ${num(st.warnings)} cảnh báo.`;
          flash(text, 'ok');
          result.replaceChildren(
            h(
              'p',
              {},
              text,
              ' ',
              h('a', { href: `#/submissions/${encodeURIComponent(r.submissionId)}` }, 'Xem chi tiết và danh sách lỗi'),
            ),
          );
          form.reset();
          if (onDone) await onDone(r);
        });
      },
    },
    h('h2', {}, title),
    h(
      'p',
      { class: 'muted' },
      'Chọn tệp phụ lục của cơ quan (Excel .xlsx, .csv, .txt, Word .docx hoặc PDF có lớp chữ). Mỗi lần nộp được lưu thành một phiên bản mới.',
    ),
    h('div', { class: 'inline' }, h('label', { for: 'upload-file' }, 'Tệp phụ lục'), file, ' ', button),
    result,
  );
  return form;
}

async function viewRound(roundId: string): Promise<void> {
  const data = await api<RoundDetail>('GET', `/api/rounds/${encodeURIComponent(roundId)}`);
  const { round, agencies, summary } = data;
  let report: ReportView | null = null;
  let candidates: CandidatesResponse | null = null;
  if (isReviewer())
    report = await api<ReportView>('GET', `/api/rounds/${encodeURIComponent(roundId)}/report`).catch(() => null);
  if (report)
    candidates = await api<CandidatesResponse>(
      'GET',
      `/api/rounds/${encodeURIComponent(roundId)}/report/candidates`,
    ).catch(() => null);

  const statusItems = [
    { label: STATUS.accepted, value: summary.accepted, color: '#1f7a3a' },
    { label: STATUS.submitted, value: summary.submitted - summary.accepted - summary.returned, color: '#2255a4' },
    { label: STATUS.returned, value: summary.returned, color: '#c98a00' },
    { label: STATUS.missing, value: summary.missing, color: '#b3261e' },
    { label: 'Nộp đúng hạn', value: summary.onTime, color: '#5c8f6b' },
    { label: 'Nộp muộn hoặc quá hạn', value: summary.late, color: '#b86b64' },
  ];
  const areas = await areaCounts(agencies, report);

  const table = h(
    'table',
    { id: 'status-table' },
    h('caption', {}, 'Tình hình nộp phụ lục của các cơ quan'),
    thead(
      ['Cơ quan', 'Trạng thái', 'Thời hạn', 'Phiên bản', 'Nhiệm vụ', 'Lỗi', 'Cảnh báo', 'Nộp lần cuối'],
      [3, 4, 5, 6],
    ),
    h(
      'tbody',
      {},
      agencies.map((a) =>
        h(
          'tr',
          { dataset: { agency: a.agencyId } },
          h(
            'th',
            { scope: 'row' },
            a.submissionId
              ? h('a', { href: `#/submissions/${encodeURIComponent(a.submissionId)}` }, a.agencyName)
              : a.agencyName,
          ),
          h('td', {}, badge(a.status)),
          h('td', {}, timeliness(a)),
          h('td', { class: 'num' }, num(a.latestVersion)),
          h('td', { class: 'num' }, num(a.tasks)),
          h('td', { class: `num ${a.errors ? 'sev-error' : ''}` }, num(a.errors)),
          h('td', { class: `num ${a.warnings ? 'sev-warning' : ''}` }, num(a.warnings)),
          h('td', {}, fmtDateTime(a.submittedAt)),
        ),
      ),
    ),
  );

  const nodes: Child[] = [
    h('p', {}, h('a', { href: '#/' }, '← Các đợt báo cáo')),
    h('h1', {}, round.title),
    h(
      'p',
      { class: 'muted' },
      `Năm ${round.year} · Hạn nộp ${fmtDate(round.deadline)} · ${round.locked ? 'Đã khóa, không nhận thêm' : 'Đang nhận phụ lục'}`,
    ),
    h(
      'p',
      {},
      h(
        'a',
        {
          id: 'template-link',
          href: `/api/template.xlsx?province=${encodeURIComponent(round.province)}&year=${round.year}`,
          download: '',
        },
        `Tải mẫu phụ lục năm ${round.year} (.xlsx)`,
      ),
    ),
    h(
      'ul',
      { class: 'stats', 'aria-label': 'Số liệu tổng quát' },
      h('li', {}, h('b', {}, num(summary.expected)), 'cơ quan phải nộp'),
      h('li', {}, h('b', {}, num(summary.submitted)), 'đã nộp'),
      h('li', {}, h('b', {}, num(summary.onTime)), 'đúng hạn'),
      h('li', { class: summary.late ? 'late' : '' }, h('b', {}, num(summary.late)), 'muộn hoặc quá hạn'),
      h('li', {}, h('b', {}, num(summary.missing)), 'chưa nộp'),
      h('li', {}, h('b', {}, num(summary.withErrors)), 'còn lỗi'),
    ),
    h(
      'div',
      { class: 'grid2' },
      barChart('Tình hình nộp phụ lục', statusItems, { labelWidth: 200 }),
      // Area titles run to ~55 characters ("Công tác chỉ đạo, điều hành cải cách hành chính"): room for them whole.
      barChart(
        areas.from === 'report'
          ? 'Nhiệm vụ theo lĩnh vực (sau tổng hợp)'
          : 'Nhiệm vụ theo lĩnh vực (các phụ lục đã nộp)',
        areas.items,
        { labelWidth: 360 },
      ),
    ),
  ];
  if (me().role === 'agency' && !round.locked) nodes.push(uploadForm(roundId, { onDone: () => viewRound(roundId) }));
  nodes.push(h('h2', {}, 'Danh sách cơ quan'), table);

  if (isReviewer()) {
    const include = h(
      'select',
      { id: 'report-include' },
      h('option', { value: 'accepted' }, 'Chỉ phụ lục đã chấp nhận'),
      h('option', { value: 'latest' }, 'Phiên bản mới nhất của mọi cơ quan'),
    );
    // The choice of the last build stays chosen.
    if (report?.include) include.value = report.include;
    const button = h('button', { type: 'button', class: 'primary', id: 'build-report' }, 'Tổng hợp báo cáo');
    const panel = reportPanel(roundId, report);
    button.addEventListener('click', () =>
      busy(button, async () => {
        const r = await api<ReportView>('POST', `/api/rounds/${encodeURIComponent(roundId)}/report`, {
          include: include.value,
        });
        flash(`Đã tổng hợp báo cáo: ${reportHeadline(r.stats ?? {})}.`, 'ok');
        panel.replaceWith(reportPanel(roundId, r));
        await viewRound(roundId);
      }),
    );
    nodes.push(
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'report-h' },
        h('h2', { id: 'report-h' }, 'Báo cáo tổng hợp của tỉnh'),
        h(
          'div',
          { class: 'inline actions' },
          h('div', {}, h('label', { for: 'report-include' }, 'Tổng hợp từ'), include),
          button,
        ),
        panel,
        candidatesPanel(roundId, candidates, () => viewRound(roundId)),
      ),
    );
  }
  nodes.push(
    h('p', {}, h('a', { href: `#/audit?roundId=${encodeURIComponent(roundId)}` }, 'Nhật ký hoạt động của đợt này')),
  );
  render(nodes);
}

/**
 * A fix applied to the stored version's input, as the engine's applyFixes does it: every edited cell must still
 * hold the text the check saw, else nothing is changed. (Written here rather than importing the engine, which would
 * bring its whole rule set and directory into the page.)
 */
function applyEdits(grids: GridView[], edits: CellEditView[]): GridView[] | null {
  const copy = structuredClone(grids);
  for (const e of edits) {
    const row = copy.find((g) => g.sheet === e.sheet)?.rows.find((r) => r.index === e.row);
    if (!row || (row.cells[e.column - 1]?.text ?? '') !== e.from) return null;
    row.cells[e.column - 1] = { text: e.to };
  }
  return copy;
}

interface DiagnosticsOptions {
  /** The version's input: places are said as the officer finds them (text line, Word table row, cell). */
  grids?: GridView[];
  /** Where each row of a text or Word upload is in the version's xlsx download. */
  xlsxRows?: VersionDetail['xlsxRows'];
  /** Given to the officer who owns the submission: applies a diagnostic's fix as a new version. */
  onFix?: (d: Diagnostic) => Promise<unknown>;
}

function diagnosticsTable(report: { diagnostics?: Diagnostic[] } | undefined, opts: DiagnosticsOptions = {}) {
  const list = report?.diagnostics ?? [];
  if (!list.length) return h('p', { class: 'msg ok' }, 'Không phát hiện lỗi hay cảnh báo nào.');
  const grids = opts.grids ?? [];
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  const sorted = [...list].sort(
    (a, b) => order[a.severity] - order[b.severity] || (a.location?.row ?? 0) - (b.location?.row ?? 0),
  );
  const filter = h(
    'select',
    { id: 'severity-filter' },
    h('option', { value: '' }, 'Tất cả'),
    (['error', 'warning', 'info'] as const).map((k) => h('option', { value: k }, SEVERITY[k])),
  );
  const tbody = h('tbody', {});
  const fixButton = (d: Diagnostic) => {
    if (!opts.onFix || !d.fix?.edits.length) return null;
    const b = h('button', { type: 'button', class: 'secondary fix' }, `Sửa: ${d.fix.label}`);
    b.addEventListener('click', () => busy(b, () => opts.onFix!(d)));
    return b;
  };
  const downloadCell = (d: Diagnostic) => {
    const at = downloadPlace(d.location, grids, opts.xlsxRows);
    return at ? h('div', { class: 'muted download-row' }, at) : null;
  };
  const fill = () =>
    tbody.replaceChildren(
      ...sorted
        .filter((d) => !filter.value || d.severity === filter.value)
        .map((d) =>
          h(
            'tr',
            { class: `diag sev-row-${d.severity}`, dataset: { code: d.code ?? '' } },
            h('td', { class: 'cell' }, placeOf(d.location, grids), downloadCell(d)),
            h('td', {}, h('span', { class: `badge sev-${d.severity}` }, SEVERITY[d.severity] ?? d.severity)),
            h('td', {}, placeText(d.message, d.location, grids)),
            h(
              'td',
              {},
              d.hint ? placeText(d.hint, d.location, grids) : '',
              d.hint && fixButton(d) ? ' ' : '',
              fixButton(d),
            ),
          ),
        ),
    );
  filter.addEventListener('change', fill);
  fill();
  const counts = (['error', 'warning', 'info'] as const)
    .map((k) => `${list.filter((d) => d.severity === k).length} ${SEVERITY[k].toLowerCase()}`)
    .join(', ');
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'inline actions' },
      h('div', {}, h('label', { for: 'severity-filter' }, 'Lọc theo mức độ'), filter),
      h('span', { class: 'muted' }, `Tổng cộng: ${counts}.`),
    ),
    h(
      'table',
      { id: 'diagnostics' },
      h('caption', {}, 'Danh sách vấn đề phát hiện'),
      thead(['Vị trí', 'Mức độ', 'Nội dung', 'Cách sửa']),
      tbody,
    ),
  );
}

function diffView(d: VersionDiff) {
  // One row per task that changed: what happened, where it is, the task, and for an edit each field's change.
  const row = (cls: string, what: string, t: { section: string; number: string; task: string }, detail: Child) =>
    h(
      'tr',
      { class: cls },
      h('td', {}, what),
      h('td', {}, `${t.section} · ${t.number}`),
      h('td', {}, t.task),
      h('td', {}, detail),
    );
  const rows: HTMLElement[] = [
    ...d.added.map((t) => row('diff-added', 'Thêm mới', t, '')),
    ...d.removed.map((t) => row('diff-removed', 'Bỏ đi', t, '')),
    ...d.changed.map((t) =>
      row(
        'diff-changed',
        'Sửa',
        t,
        t.fields.map((f) =>
          h(
            'div',
            {},
            h('strong', {}, `${FIELD[f.field] ?? f.field}: `),
            h('del', {}, f.from || '(trống)'),
            ' → ',
            h('ins', {}, f.to || '(trống)'),
          ),
        ),
      ),
    ),
  ];
  const head = h(
    'p',
    {},
    `Phiên bản ${d.from} → ${d.to}: ${d.added.length} nhiệm vụ thêm, ${d.removed.length} bỏ đi, ${d.changed.length} sửa, ${d.unchanged} giữ nguyên.`,
  );
  if (!rows.length) return h('div', { id: 'diff-result' }, head);
  return h(
    'div',
    { id: 'diff-result' },
    head,
    h(
      'table',
      {},
      h('caption', {}, 'Khác biệt giữa hai phiên bản'),
      thead(['Thay đổi', 'Mục · STT', 'Nhiệm vụ', 'Chi tiết']),
      h('tbody', {}, rows),
    ),
  );
}

async function viewSubmission(submissionId: string, wantVersion: number | string | null): Promise<void> {
  const sub = await api<SubmissionDetail>('GET', `/api/submissions/${encodeURIComponent(submissionId)}`);
  const n = Number(wantVersion) || sub.latestVersion;
  const version = await api<VersionDetail>('GET', `/api/submissions/${encodeURIComponent(submissionId)}/versions/${n}`);
  const stats = version.report?.stats ?? {};
  const link = (v: number) => `#/submissions/${encodeURIComponent(submissionId)}?v=${v}`;

  const versions = h(
    'table',
    { id: 'versions' },
    h('caption', {}, 'Các phiên bản đã nộp'),
    thead(['Phiên bản', 'Nộp lúc', 'Người nộp', 'Cách nộp', 'Nhiệm vụ', 'Lỗi', 'Cảnh báo', 'Tải về']),
    h(
      'tbody',
      {},
      sub.versions.map((v) =>
        h(
          'tr',
          { 'aria-current': v.version === n ? 'true' : undefined },
          h(
            'td',
            {},
            v.version === n
              ? h('strong', {}, `${v.version} (đang xem)`)
              : h('a', { href: link(v.version) }, `Xem phiên bản ${v.version}`),
          ),
          h('td', {}, fmtDateTime(v.createdAt)),
          h('td', {}, v.createdBy?.displayName ?? ''),
          h('td', {}, [SOURCE[v.source] ?? v.source, v.fileName ? ` (${v.fileName})` : '']),
          h('td', { class: 'num' }, num(v.stats?.tasks)),
          h('td', { class: 'num' }, num(v.stats?.errors)),
          h('td', { class: 'num' }, num(v.stats?.warnings)),
          h('td', {}, [
            h(
              'a',
              { href: `/api/submissions/${encodeURIComponent(sub.id)}/versions/${v.version}/annex.docx`, download: '' },
              'Word',
            ),
            ' · ',
            h(
              'a',
              { href: `/api/submissions/${encodeURIComponent(sub.id)}/versions/${v.version}/annex.xlsx`, download: '' },
              'Excel',
            ),
          ]),
        ),
      ),
    ),
  );

  const comments = (sub.comments ?? []).length
    ? h(
        'ul',
        { id: 'comments' },
        (sub.comments ?? []).map((c) =>
          h(
            'li',
            {},
            h('strong', {}, c.kind === 'return' ? 'Trả lại' : c.kind === 'accept' ? 'Chấp nhận' : 'Ý kiến'),
            ` — ${c.author}, ${fmtDateTime(c.createdAt)}, phiên bản ${c.version}`,
            c.row ? `, dòng ${c.row}` : '',
            h('div', { class: 'pre' }, c.text),
          ),
        ),
      )
    : h('p', { class: 'muted' }, 'Chưa có ý kiến nào.');

  const nodes: Child[] = [
    h('p', {}, h('a', { href: `#/rounds/${encodeURIComponent(sub.roundId)}` }, '← Về đợt báo cáo')),
    h('h1', {}, sub.agencyName),
    h(
      'p',
      {},
      badge(sub.status),
      ` · Phiên bản mới nhất: ${sub.latestVersion} · Nộp lần đầu ${fmtDateTime(sub.firstSubmittedAt)}`,
    ),
    h('h2', {}, 'Phiên bản'),
    versions,
  ];

  if (sub.versions.length >= 2) {
    const opts = (sel: number) =>
      sub.versions.map((v) =>
        h('option', { value: v.version, selected: v.version === sel ? true : undefined }, `Phiên bản ${v.version}`),
      );
    const from = h('select', { id: 'diff-from' }, opts(sub.versions[sub.versions.length - 2].version));
    const to = h('select', { id: 'diff-to' }, opts(sub.latestVersion));
    const out = h('div', { id: 'diff-box' });
    const button = h('button', { type: 'button', class: 'secondary', id: 'diff-button' }, 'So sánh');
    button.addEventListener('click', () =>
      busy(button, async () => {
        const d = await api<VersionDiff>(
          'GET',
          `/api/submissions/${encodeURIComponent(submissionId)}/diff?from=${from.value}&to=${to.value}`,
        );
        out.replaceChildren(diffView(d));
      }),
    );
    nodes.push(
      h('h2', {}, 'So sánh hai phiên bản'),
      h(
        'div',
        { class: 'inline actions' },
        h('div', {}, h('label', { for: 'diff-from' }, 'Từ'), from),
        h('div', {}, h('label', { for: 'diff-to' }, 'Đến'), to),
        button,
      ),
      out,
    );
  }

  // Comments first: an officer reads what to fix, then resubmits; the full list of checks follows.
  nodes.push(h('h2', {}, 'Ý kiến của Sở Nội vụ'), comments);
  if (me().role === 'agency') {
    nodes.push(
      uploadForm(sub.roundId, {
        title: 'Nộp lại phụ lục đã sửa',
        onDone: (r) => viewSubmission(r.submissionId, r.version),
      }),
    );
  }
  nodes.push(
    h('h2', {}, `Kết quả kiểm tra phiên bản ${n}`),
    h('p', { class: 'muted' }, `${num(stats.tasks)} nhiệm vụ, ${num(stats.products)} sản phẩm.`),
    diagnosticsTable(version.report, {
      grids: version.grids,
      xlsxRows: version.xlsxRows,
      // Only the officer of the agency changes its annex; a fix is a new version they chose to make.
      onFix:
        me().role === 'agency' && n === sub.latestVersion && version.grids
          ? async (d) => {
              const grids = applyEdits(version.grids!, d.fix!.edits);
              if (!grids)
                return flash(
                  'Nội dung ô đã thay đổi kể từ lần kiểm tra nên không sửa tự động được. Hãy mở phiên bản mới nhất rồi thử lại.',
                  'error',
                );
              const r = await api<SubmitAnswer>('POST', `/api/rounds/${encodeURIComponent(sub.roundId)}/submissions`, {
                grids,
                baseVersion: n,
                source: 'dashboard-fix',
              });
              await viewSubmission(submissionId, r.version);
              flash(
                `Đã sửa (${d.fix!.label}) và lưu thành phiên bản ${r.version}: ${num(r.report?.stats?.errors)} lỗi, ${num(r.report?.stats?.warnings)} cảnh báo.`,
                'ok',
              );
            }
          : undefined,
    }),
  );

  if (isReviewer()) {
    const comment = h('textarea', {
      id: 'return-comment',
      name: 'comment',
      rows: 4,
      placeholder: 'Nêu rõ nội dung cần sửa, ví dụ: bổ sung thời gian hoàn thành ở mục II.',
    });
    const back = h('button', { type: 'button', class: 'secondary', id: 'return-button' }, 'Trả lại');
    const accept = h('button', { type: 'button', class: 'primary', id: 'accept-button' }, 'Chấp nhận');
    back.addEventListener('click', () => {
      if (!comment.value.trim()) {
        flash('Nhập ý kiến trả lại để cơ quan biết cần sửa gì.', 'error');
        comment.focus();
        return;
      }
      busy(back, async () => {
        await api('POST', `/api/submissions/${encodeURIComponent(submissionId)}/return`, {
          comment: comment.value.trim(),
          version: n,
        });
        flash(`Đã trả lại phụ lục của ${sub.agencyName}.`, 'ok');
        await viewSubmission(submissionId, n);
      });
    });
    const doAccept = (button: HTMLButtonElement) =>
      busy(button, async () => {
        await api('POST', `/api/submissions/${encodeURIComponent(submissionId)}/accept`, { version: n });
        flash(`Đã chấp nhận phụ lục của ${sub.agencyName} (phiên bản ${n}).`, 'ok');
        await viewSubmission(submissionId, n);
      });
    // A version that still has errors is accepted only after the reviewer confirms it, naming the count.
    const confirmBox = h('div', {
      id: 'accept-confirm',
      class: 'msg error',
      role: 'alertdialog',
      'aria-labelledby': 'accept-confirm-t',
      hidden: true,
    });
    accept.addEventListener('click', () => {
      const errors = stats.errors ?? 0;
      if (!errors) return doAccept(accept);
      const yes = h('button', { type: 'button', class: 'primary' }, 'Vẫn chấp nhận');
      const no = h('button', { type: 'button', class: 'secondary' }, 'Không chấp nhận');
      yes.addEventListener('click', () => doAccept(yes));
      no.addEventListener('click', () => {
        confirmBox.hidden = true;
        accept.focus();
      });
      confirmBox.replaceChildren(
        h(
          'p',
          { id: 'accept-confirm-t' },
          `Phiên bản ${n} còn ${num(errors)} lỗi. Chấp nhận thì phụ lục có lỗi sẽ được đưa vào báo cáo tổng hợp. Vẫn chấp nhận?`,
        ),
        h('div', { class: 'actions' }, yes, no),
      );
      confirmBox.hidden = false;
      no.focus();
    });
    nodes.push(
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'review-h' },
        h('h2', { id: 'review-h' }, 'Xem xét phụ lục'),
        h('label', { for: 'return-comment' }, 'Ý kiến khi trả lại'),
        comment,
        h('div', { class: 'actions' }, back, accept),
        confirmBox,
      ),
    );
  }
  render(nodes);
}

async function viewAudit(roundId: string | null): Promise<void> {
  const q = roundId ? `?roundId=${encodeURIComponent(roundId)}` : '';
  const { entries } = await api<{ entries: AuditEntry[] }>('GET', `/api/audit${q}`);
  const detail = (e: AuditEntry) => {
    const d = e.detail ?? {};
    const parts: string[] = [];
    if (d.version) parts.push(`phiên bản ${d.version}`);
    if (d.comment) parts.push(`ý kiến: “${d.comment}”`);
    if (d.include) parts.push(d.include === 'accepted' ? 'từ phụ lục đã chấp nhận' : 'từ phiên bản mới nhất');
    if (d.file) parts.push(`tệp ${d.file}`);
    if (d.agencyName) parts.push(d.agencyName);
    if (d.tasks?.length) parts.push(d.tasks.join(' | '));
    return parts.join('; ');
  };
  render(
    roundId ? h('p', {}, h('a', { href: `#/rounds/${encodeURIComponent(roundId)}` }, '← Về đợt báo cáo')) : null,
    h('h1', {}, 'Nhật ký hoạt động'),
    entries.length
      ? h(
          'table',
          { id: 'audit' },
          h('caption', {}, `${entries.length} hoạt động, cũ nhất trước`),
          thead(['Thời điểm', 'Người thực hiện', 'Hoạt động', 'Đối tượng', 'Chi tiết']),
          h(
            'tbody',
            {},
            entries.map((e) =>
              h(
                'tr',
                {},
                h('td', {}, fmtDateTime(e.at)),
                h('td', {}, e.actorName ?? e.actor),
                h('td', {}, ACTION[e.action] ?? e.action),
                h(
                  'td',
                  {},
                  e.target?.type === 'submission'
                    ? h(
                        'a',
                        { href: `#/submissions/${encodeURIComponent(e.target.id)}` },
                        e.targetName ? `Phụ lục của ${e.targetName}` : 'Phụ lục',
                      )
                    : e.target?.type === 'round'
                      ? h('a', { href: `#/rounds/${encodeURIComponent(e.target.id)}` }, e.targetName ?? 'Đợt báo cáo')
                      : e.target?.type === 'decision'
                        ? 'Nhóm nhiệm vụ tương tự'
                        : (e.targetName ?? e.agencyName ?? e.agencyId ?? ''),
                ),
                h('td', {}, detail(e)),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'Chưa có hoạt động nào.'),
  );
}

// ---------------------------------------------------------------------------------------------
// API tokens (the Excel add-in's access) and the forced password change
// ---------------------------------------------------------------------------------------------

async function viewTokens(): Promise<void> {
  const { tokens } = await api<{ tokens: TokenInfo[] }>('GET', '/api/tokens');
  const label = h('input', {
    id: 'token-label',
    name: 'label',
    required: true,
    maxlength: '100',
    value: 'Phần bổ trợ Excel',
  });
  const days = h('input', {
    id: 'token-days',
    name: 'days',
    type: 'number',
    min: '1',
    max: '365',
    value: '90',
    required: true,
  });
  const created = h('div', { id: 'token-created' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Tạo mã truy cập');
  const stateOf = (t: TokenInfo) => (t.revoked ? 'Đã thu hồi' : t.active ? 'Đang dùng được' : 'Đã hết hạn');
  render(
    h('h1', {}, 'Mã truy cập của phần bổ trợ'),
    h(
      'p',
      { class: 'muted' },
      'Mỗi máy tính dùng phần bổ trợ Excel cần một mã truy cập. Mã chỉ dùng để xem, nộp và đồng bộ phụ lục; mã hết hạn theo số ngày bạn chọn và bị thu hồi khi bạn đổi mật khẩu.',
    ),
    h(
      'form',
      {
        class: 'card',
        id: 'token-form',
        onsubmit: submitting(button, async () => {
          const r = await api<{ token: string; expiresAt: string }>('POST', '/api/tokens', {
            label: label.value.trim(),
            expiresInDays: Number(days.value),
          });
          await viewTokens();
          byId('token-created').replaceChildren(
            h(
              'p',
              {},
              `Mã mới (dùng được đến ${fmtDate(r.expiresAt)}). Sao chép vào ô "Mã truy cập" của phần bổ trợ ngay bây giờ: mã chỉ hiện một lần.`,
            ),
            h('input', {
              id: 'token-value',
              readonly: true,
              value: r.token,
              size: '60',
              'aria-label': 'Mã truy cập mới',
            }),
          );
        }),
      },
      h('label', {}, 'Tên gợi nhớ (ví dụ: máy tính phòng Tổng hợp)', label),
      h('label', {}, 'Số ngày dùng được (1–365)', days),
      button,
    ),
    created,
    tokens.length
      ? h(
          'table',
          { id: 'tokens' },
          h('caption', {}, `${tokens.length} mã truy cập`),
          thead(['Tên', 'Tạo lúc', 'Dùng lần cuối', 'Hết hạn', 'Trạng thái', '']),
          h(
            'tbody',
            {},
            tokens.map((t) => {
              const revoke = h('button', { type: 'button', class: 'secondary' }, 'Thu hồi');
              revoke.addEventListener('click', () =>
                busy(revoke, async () => {
                  await api('DELETE', `/api/tokens/${encodeURIComponent(t.id)}`);
                  await viewTokens();
                  flash(`Đã thu hồi mã "${t.label}".`);
                }),
              );
              return h(
                'tr',
                {},
                h('td', {}, t.label),
                h('td', {}, fmtDateTime(t.createdAt)),
                h('td', {}, t.lastUsedAt ? fmtDateTime(t.lastUsedAt) : 'Chưa dùng'),
                h('td', {}, fmtDate(t.expiresAt)),
                h('td', {}, stateOf(t)),
                h('td', {}, t.active ? revoke : ''),
              );
            }),
          ),
        )
      : h('p', { class: 'muted' }, 'Bạn chưa có mã truy cập nào.'),
  );
}

// ---------------------------------------------------------------------------------------------
// Accounts (admins): disable and enable, and a temporary password the user must change
// ---------------------------------------------------------------------------------------------

/** A temporary password to suggest: 12 letters and digits without look-alikes (0/O, 1/l/I). */
function suggestPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => letters[b % letters.length]).join('');
}

async function viewUsers(): Promise<void> {
  if (me().role !== 'admin') {
    render(h('h1', {}, 'Tài khoản'), h('p', {}, 'Chỉ quản trị viên xem và quản lý được các tài khoản.'));
    return;
  }
  const { users } = await api<{ users: AccountView[] }>('GET', '/api/users');
  const stateOf = (u: AccountView) =>
    u.disabled ? 'Đã khoá' : u.mustChangePassword ? 'Phải đổi mật khẩu khi đăng nhập' : 'Đang dùng';
  const row = (u: AccountView) => {
    const self = u.id === me().id;
    const toggle = h('button', { type: 'button', class: 'secondary' }, u.disabled ? 'Mở khoá' : 'Khoá');
    toggle.addEventListener('click', () =>
      busy(toggle, async () => {
        await api('POST', `/api/users/${encodeURIComponent(u.id)}/${u.disabled ? 'enable' : 'disable'}`);
        await viewUsers();
        flash(
          u.disabled
            ? `Đã mở khoá tài khoản "${u.username}".`
            : `Đã khoá tài khoản "${u.username}": người này không đăng nhập được và mọi mã truy cập của họ bị thu hồi.`,
        );
      }),
    );
    // The reset form opens in the row: the admin sees (and may change) the temporary password before saving it.
    const resetCell = h('div', {});
    const openReset = h('button', { type: 'button', class: 'secondary' }, 'Đặt lại mật khẩu');
    openReset.addEventListener('click', () => {
      const input = h('input', {
        type: 'text',
        required: true,
        minlength: '8',
        maxlength: '200',
        value: suggestPassword(),
        'aria-label': `Mật khẩu tạm cho ${u.username}`,
        class: 'temp-password',
      });
      const save = h('button', { type: 'submit', class: 'primary' }, 'Lưu mật khẩu tạm');
      resetCell.replaceChildren(
        h(
          'form',
          {
            class: 'inline',
            onsubmit: submitting(save, async () => {
              const password = input.value;
              await api('POST', `/api/users/${encodeURIComponent(u.id)}/reset-password`, { password });
              await viewUsers();
              flash(
                `Đã đặt mật khẩu tạm "${password}" cho "${u.username}". Hãy báo cho người dùng; họ phải đổi mật khẩu khi đăng nhập.`,
              );
            }),
          },
          input,
          save,
        ),
      );
    });
    resetCell.append(openReset);
    return h(
      'tr',
      { 'data-username': u.username },
      h('td', {}, u.username),
      h('td', {}, u.displayName),
      h('td', {}, ROLE[u.role] ?? u.role),
      h('td', {}, u.agencyName ?? ''),
      h('td', { class: 'state' }, stateOf(u)),
      h('td', {}, self ? h('span', { class: 'muted' }, 'Tài khoản của bạn') : [toggle, ' ', resetCell]),
    );
  };
  render(
    h('h1', {}, 'Tài khoản'),
    h(
      'p',
      { class: 'muted' },
      'Khoá tài khoản của người đã chuyển công tác; đặt mật khẩu tạm cho người quên mật khẩu (họ phải đổi mật khẩu ngay khi đăng nhập). Mỗi thao tác được ghi vào nhật ký.',
    ),
    h(
      'table',
      { id: 'users' },
      h('caption', {}, `${users.length} tài khoản`),
      thead(['Tên đăng nhập', 'Họ tên', 'Vai trò', 'Cơ quan', 'Trạng thái', '']),
      h('tbody', {}, users.map(row)),
    ),
  );
}

function viewChangePassword(): void {
  const current = h('input', {
    id: 'current-password',
    type: 'password',
    required: true,
    autocomplete: 'current-password',
  });
  const next = h('input', {
    id: 'new-password',
    type: 'password',
    required: true,
    minlength: '8',
    autocomplete: 'new-password',
  });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Đổi mật khẩu');
  render(
    h('h1', {}, 'Đổi mật khẩu'),
    h(
      'p',
      {},
      'Mật khẩu của bạn do quản trị viên đặt lại. Hãy chọn mật khẩu mới (ít nhất 8 ký tự) trước khi làm việc tiếp.',
    ),
    h(
      'form',
      {
        class: 'card',
        id: 'password-form',
        onsubmit: submitting(button, async () => {
          await api('POST', '/api/me/password', { currentPassword: current.value, newPassword: next.value });
          state.me = null;
          location.hash = '#/login';
          // After the hash change has cleared the old messages.
          setTimeout(() => flash('Đã đổi mật khẩu. Hãy đăng nhập lại bằng mật khẩu mới.'), 200);
        }),
      },
      h('label', {}, 'Mật khẩu hiện tại (do quản trị viên cấp)', current),
      h('label', {}, 'Mật khẩu mới', next),
      button,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Marked copy and add-in install (for every host: Excel 2016, WPS, LibreOffice get the marked copy)
// ---------------------------------------------------------------------------------------------

/** Posts the workbook and saves the marked copy the server answers with. */
async function downloadMarked(file: File, year: string): Promise<{ name: string; counts: number[] }> {
  const fd = new FormData();
  fd.append('file', file, file.name);
  if (year) fd.append('year', year);
  let res: Response;
  try {
    res = await fetch('/api/check/marked.xlsx', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'x-csrf-token': csrfToken },
      body: fd,
    });
  } catch {
    throw reachable(offlineError(''));
  }
  if (!res.ok) {
    const answer = { status: res.status, text: await res.text() };
    try {
      readJson(answer); // an error status: throws the server's error
    } catch (e) {
      throw reachable(e);
    }
  }
  const blob = await res.blob();
  const star = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '');
  const name = star ? decodeURIComponent(star[1]) : 'phu-luc - kiem tra.xlsx';
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { name, counts: (res.headers.get('x-phuluc-issues') ?? '0,0,0').split(',').map(Number) };
}

function viewCheck(): void {
  const file = h('input', { id: 'check-file', type: 'file', accept: '.xlsx', required: true });
  const year = h('input', {
    id: 'check-year',
    type: 'number',
    min: '2000',
    max: '2100',
    placeholder: 'đọc từ văn bản',
  });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Kiểm tra và tải bản đánh dấu');
  const result = h('div', { id: 'check-result', role: 'status' });
  render(
    h('h1', {}, 'Kiểm tra tệp Excel'),
    h(
      'p',
      {},
      'Dành cho máy không cài được phần bổ trợ (Excel 2016, Excel 2019 bản mua đứt, WPS Office, LibreOffice): tải tệp phụ lục của anh/chị lên, ',
      'hệ thống trả lại chính tệp đó với các ô có vấn đề được tô màu, mỗi ô có ghi chú nêu vấn đề và cách sửa, ',
      'và thêm trang "Kiểm tra" liệt kê mọi vấn đề (bấm vào địa chỉ ô để đến ô đó). Định dạng, cột và các trang tính của anh/chị được giữ nguyên; tệp không được lưu trên máy chủ.',
    ),
    h(
      'form',
      {
        class: 'card',
        id: 'check-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const f = file.files?.[0];
          if (!f) return;
          busy(button, async () => {
            result.textContent = '';
            const got = await downloadMarked(f, year.value);
            const [errors, warnings, infos] = got.counts;
            result.append(
              h(
                'p',
                {},
                `Đã tải về "${got.name}": ${num(errors)} lỗi, ${num(warnings)} cảnh báo, ${num(infos)} thông tin.`,
              ),
              h(
                'p',
                { class: 'muted' },
                'Mở tệp, xem trang "Kiểm tra", sửa trong trang phụ lục của anh/chị rồi nộp bản đã sửa (không cần xóa màu và ghi chú của bản đánh dấu, nhưng nên nộp bản gốc đã sửa).',
              ),
            );
          });
        },
      },
      h('label', {}, 'Tệp phụ lục (.xlsx)', file),
      h('label', {}, 'Năm kế hoạch (không bắt buộc)', year),
      button,
    ),
    result,
  );
}

function viewInstall(): void {
  const manifest = h(
    'a',
    { href: '/manifest.xml', download: 'phuluc-manifest.xml', class: 'button primary', id: 'manifest-link' },
    'Tải tệp cài đặt (manifest.xml)',
  );
  const step = (...c: Child[]) => h('li', {}, ...c);
  render(
    h('h1', {}, 'Cài phần bổ trợ'),
    h(
      'p',
      {},
      'Phần bổ trợ "Phụ lục CCHC" kiểm tra phụ lục ngay trong Excel khi anh/chị gõ, tô màu ô có vấn đề và nộp phụ lục lên hệ thống. Cần Excel 2019 trở lên, Excel cho Microsoft 365 (Windows, Mac, iPad) hoặc Excel trên web.',
    ),
    h('p', {}, manifest),
    h('h2', {}, 'Excel trên Windows (thư mục dùng chung)'),
    h(
      'ol',
      {},
      step(
        'Chép tệp manifest.xml vào một thư mục dùng chung trong mạng của cơ quan (ví dụ \\\\may-chu\\phuluc-addin).',
      ),
      step(
        'Trong Excel: Tệp → Tùy chọn → Trung tâm Tin cậy → Thiết đặt Trung tâm Tin cậy → Danh mục Phần bổ trợ Tin cậy; thêm đường dẫn thư mục, đánh dấu "Hiện trong Menu", bấm OK rồi mở lại Excel.',
      ),
      step('Trang đầu → Phần bổ trợ → Nâng cao → Thư mục Dùng chung, chọn "Phụ lục CCHC".'),
    ),
    h('h2', {}, 'Excel trên máy Mac'),
    h(
      'ol',
      {},
      step(
        'Chép manifest.xml vào thư mục ~/Library/Containers/com.microsoft.Excel/Data/Documents/wef/ (tạo thư mục nếu chưa có).',
      ),
      step('Mở lại Excel; phần bổ trợ có trong Trang đầu → Phần bổ trợ.'),
    ),
    h('h2', {}, 'Excel trên web'),
    h(
      'ol',
      {},
      step('Trang đầu → Phần bổ trợ → Thêm phần bổ trợ → Phần bổ trợ của tôi → Tải lên phần bổ trợ của tôi.'),
      step('Chọn tệp manifest.xml vừa tải về.'),
    ),
    h('h2', {}, 'Cho cả tỉnh'),
    h(
      'p',
      {},
      'Quản trị Microsoft 365 của tỉnh tải manifest.xml lên Trung tâm quản trị (Thiết đặt → Ứng dụng tích hợp → Tải lên ứng dụng tùy chỉnh) và chọn người dùng; phần bổ trợ sẽ tự hiện trên thẻ Trang đầu.',
    ),
    h('h2', {}, 'Máy không cài được phần bổ trợ'),
    h(
      'p',
      {},
      'Excel 2016, WPS Office hoặc LibreOffice: dùng ',
      h('a', { href: '#/check' }, 'Kiểm tra tệp Excel'),
      ' để nhận lại chính tệp của anh/chị có đánh dấu các ô cần sửa.',
    ),
    h(
      'p',
      { class: 'muted' },
      'Google Trang tính: dùng tiện ích "Phụ lục CCHC" do quản trị Google Workspace của tỉnh cài cho tên miền.',
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Router
// ---------------------------------------------------------------------------------------------

async function ensureMe(): Promise<Me | null> {
  if (state.me) return state.me;
  try {
    const answer = await api<{ user: Me; csrfToken?: string }>('GET', '/api/me');
    state.me = answer.user;
    csrfToken = answer.csrfToken ?? '';
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
  return state.me;
}

function showNav() {
  const nav = byId('nav');
  nav.hidden = false;
  const u = me();
  // Display names often already end with the agency ("Quản trị Sở Nội vụ"): do not repeat it.
  const agencyPart = u.agencyName && !u.displayName.includes(u.agencyName) ? ` · ${u.agencyName}` : '';
  byId('who').textContent = `${u.displayName} · ${ROLE[u.role] ?? u.role}${agencyPart}`;
  // Only admins manage accounts.
  byId('nav-users').hidden = u.role !== 'admin';
}

async function route() {
  const hash = location.hash || '#/';
  const [path, query] = hash.slice(1).split('?');
  const params = new URLSearchParams(query ?? '');
  try {
    if (path === '/login') return viewLogin();
    // The install guide is public: the task pane outside Excel links here before anyone signs in.
    if (path === '/addin') {
      if (await ensureMe().catch(() => null)) showNav();
      else byId('nav').hidden = true;
      return viewInstall();
    }
    const user = await ensureMe();
    if (!user) {
      location.hash = '#/login';
      return;
    }
    showNav();
    if (user.mustChangePassword) return viewChangePassword();
    let m: RegExpExecArray | null;
    if ((m = /^\/rounds\/([^/]+)$/.exec(path))) return await viewRound(decodeURIComponent(m[1]));
    if ((m = /^\/submissions\/([^/]+)$/.exec(path)))
      return await viewSubmission(decodeURIComponent(m[1]), params.get('v'));
    if (path === '/audit') return await viewAudit(params.get('roundId'));
    if (path === '/tokens') return await viewTokens();
    if (path === '/users') return await viewUsers();
    if (path === '/check') return viewCheck();
    return await viewRounds();
  } catch (err) {
    showError(err);
    if (!(err instanceof ApiError && err.status === 401))
      render(
        h('h1', {}, 'Không mở được trang'),
        h('p', {}, errorText(err)),
        h('p', {}, h('a', { href: '#/' }, 'Về trang đầu')),
      );
  }
}

window.addEventListener('hashchange', () => {
  clearFlash();
  route();
});
byId('logout').addEventListener('click', async () => {
  await api('POST', '/api/auth/logout').catch(() => undefined);
  state.me = null;
  clearFlash();
  location.hash = '#/login';
});
route();
